// The team screen's work beyond the member and invite lists (members.ts): an invite mailed to the
// invitee with a link that opens an accept page, what that page shows before anyone signs in, and
// role changes that never leave a studio without an owner.
import { and, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, invites, memberships, tenants } from "../../db/directory-schema";
import { tenantDb } from "../../db/shards";
import { studioProfiles } from "../../db/tenant-schema";
import { sha256 } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { releaseHeldMail, requireConfirmedStudio } from "../accounts/verification";
import { announceAccountMail, queueAccountMail } from "../mail/account-mail";
import { teamInviteMail } from "../mail/account-messages";
import { createInvite, explainRefusal, type inviteSchema } from "./members";

export const roleSchema = z.object({ role: z.enum(["owner", "staff"]) }).strict();
/** Open invites a studio may have at once: enough for any team, not for a mailing list. */
export const MAX_OPEN_INVITES = 50;

/** Creates the invite and mails its link to the invitee; the link is also returned for the owner. */
export async function inviteByMail(env: Env, dir: DirectoryDb, tenantId: string, inviter: string, input: z.infer<typeof inviteSchema>, dashboard: string) {
  const open = await dir
    .select({ n: sql<number>`count(*)` })
    .from(invites)
    .where(and(eq(invites.tenantId, tenantId), isNull(invites.acceptedAt), gt(invites.expiresAt, Date.now())))
    .get();
  if ((open?.n ?? 0) >= MAX_OPEN_INVITES) {
    throw new AppError("invalid_input", `A studio may have at most ${MAX_OPEN_INVITES} open invites; revoke some first.`);
  }
  await requireConfirmedStudio(dir, tenantId, "Loupe cannot mail team invites for your studio");
  const invite = await createInvite(dir, tenantId, inviter, input);
  const url = `${dashboard}/invite?token=${invite.token}`;
  const [studio, from] = await Promise.all([
    studioName(env, dir, tenantId),
    dir.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, inviter)).get(),
  ]);
  const mail = queueAccountMail(dir, teamInviteMail(invite, studio, from?.name ?? "The studio", url));
  await mail.insert;
  await announceAccountMail(env.MAIL_QUEUE, [mail.id]);
  return { ...invite, url };
}

async function studioName(env: Env, dir: DirectoryDb, tenantId: string): Promise<string> {
  const tenant = await dir.select({ id: tenants.id, slug: tenants.slug, shard: tenants.shard }).from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!tenant) return "A studio";
  const profile = await tenantDb(env, tenant).first(studioProfiles);
  return profile?.name ?? tenant.slug;
}

/** What the accept page shows for a link: whom it invites where, and whether they already have an account. */
export async function invitePreview(env: Env, dir: DirectoryDb, token: string) {
  const invite = await dir
    .select({ email: invites.email, role: invites.role, tenantId: invites.tenantId })
    .from(invites)
    .where(and(eq(invites.tokenHash, await sha256(token)), isNull(invites.acceptedAt), gt(invites.expiresAt, Date.now())))
    .get();
  if (!invite) return null;
  const existing = await dir.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, invite.email)).get();
  return { email: invite.email, role: invite.role, studio: await studioName(env, dir, invite.tenantId), hasAccount: !!existing };
}

/** Makes a member an owner or staff; the last owner cannot be made staff, checked in the statement itself. */
export async function changeRole(env: Env, dir: DirectoryDb, tenantId: string, accountId: string, role: "owner" | "staff"): Promise<void> {
  const otherOwners = sql`(SELECT count(*) FROM memberships m WHERE m.tenant_id = ${tenantId} AND m.role = 'owner' AND m.account_id <> ${accountId})`;
  const changed = await dir
    .update(memberships)
    .set({ role })
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.accountId, accountId),
        or(eq(sql`${role}`, "owner"), ne(memberships.role, "owner"), sql`${otherOwners} > 0`),
      ),
    )
    .returning({ accountId: memberships.accountId });
  if (changed.length === 1) {
    // A confirmed member made owner makes the studio confirmed: mail it held goes out now.
    if (role === "owner") await releaseHeldMail(env, dir, accountId);
    return;
  }
  await explainRefusal(dir, tenantId, accountId);
}
