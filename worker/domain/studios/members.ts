// Who works in a studio: owners manage the studio and its people; staff work on galleries.
// New people join through an invite link (one-time token, stored hashed, valid 7 days). The link is
// mailed (team.ts), and the owner is shown it once too.

import { and, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { JoinedResponse, MembersResponse, StaffInvitesResponse } from "../../contract/studios";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, invites, memberships } from "../../db/directory-schema";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
import { newId, randomToken, sha256 } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { type LoginClient, login, secondFactorLogin } from "../accounts/login";
import { hashPassword } from "../accounts/password";
import { emailSchema, passwordSchema, personNameSchema } from "../accounts/schemas";

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export const inviteSchema = z.object({ email: emailSchema, role: z.enum(["owner", "staff"]).default("staff") });
export const acceptInviteSchema = z.object({
  token: z.string().min(20, "is not an invite token").max(100, "is not an invite token"),
  password: passwordSchema,
  name: personNameSchema.optional(),
  // An existing account with two-factor sign-in proves itself with its second factor too.
  code: z
    .union([
      z.literal(""),
      z
        .string()
        .trim()
        .regex(/^\d{6}$/, "must be the 6 digits your app shows"),
    ])
    .optional(),
  recoveryCode: z.union([z.literal(""), z.string().trim().min(8, "is not a recovery code").max(40, "is not a recovery code")]).optional(),
});

const inviteGone = () => new AppError("invite_invalid", "This invite link is invalid, used, revoked or expired; ask the studio for a new one.");

function isUniqueViolation(err: unknown): boolean {
  return String(err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : err).includes("UNIQUE constraint failed");
}

export const memberListQuery = pageQuery.strict();

/** One page of the studio's people, longest-standing first. */
export async function listMembers(dir: DirectoryDb, tenantId: string, query: PageQuery): Promise<MembersResponse> {
  const { after, orderBy } = keyset([memberships.createdAt, memberships.accountId], "asc", query.cursor);
  const rows = await dir
    .select({ accountId: accounts.id, name: accounts.name, email: accounts.email, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.tenantId, tenantId), after))
    .orderBy(...orderBy)
    .limit(pageSize(query));
  const page = pageOf(
    rows,
    query,
    (m) => [m.since, m.accountId],
    (m) => m,
  );
  return { members: page.items, next: page.next };
}

/** One page of invites still open, oldest first. */
export async function listInvites(dir: DirectoryDb, tenantId: string, query: PageQuery): Promise<StaffInvitesResponse> {
  const { after, orderBy } = keyset([invites.createdAt, invites.id], "asc", query.cursor);
  const rows = await dir
    .select({
      createdAt: invites.createdAt,
      id: invites.id,
      email: invites.email,
      role: invites.role,
      expiresAt: invites.expiresAt,
      invitedBy: invites.invitedBy,
    })
    .from(invites)
    .where(and(eq(invites.tenantId, tenantId), isNull(invites.acceptedAt), gt(invites.expiresAt, Date.now()), after))
    .orderBy(...orderBy)
    .limit(pageSize(query));
  const page = pageOf(
    rows,
    query,
    (i) => [i.createdAt, i.id ?? ""],
    ({ createdAt: _c, ...i }) => i,
  );
  return { invites: page.items, next: page.next };
}

export async function createInvite(dir: DirectoryDb, tenantId: string, invitedBy: string, input: z.infer<typeof inviteSchema>) {
  const member = await dir
    .select({ id: accounts.id })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.tenantId, tenantId), eq(accounts.email, input.email)))
    .get();
  if (member) throw new AppError("already_member", `${input.email} is already a member of this studio.`);
  const token = randomToken();
  const id = newId("inv");
  const expiresAt = Date.now() + INVITE_TTL_MS;
  await dir
    .insert(invites)
    .values({ id, tokenHash: await sha256(token), tenantId, email: input.email, role: input.role, invitedBy, expiresAt, createdAt: Date.now() });
  return { id, token, email: input.email, role: input.role, expiresAt };
}

export async function revokeInvite(dir: DirectoryDb, tenantId: string, inviteId: string): Promise<void> {
  const gone = await dir.delete(invites).where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId), isNull(invites.acceptedAt)));
  if (gone.meta.changes === 0) throw new AppError("not_found", "No such pending invite in this studio.");
}

/** Joins the invited studio: an existing account proves itself with its password, a new one is created. */
export async function acceptInvite(
  dir: DirectoryDb,
  secrets: { pepper: string; jwt: string },
  input: z.infer<typeof acceptInviteSchema>,
  client: LoginClient,
): Promise<JoinedResponse> {
  const { pepper } = secrets;
  const tokenHash = await sha256(input.token);
  const invite = await dir
    .select()
    .from(invites)
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.acceptedAt), gt(invites.expiresAt, Date.now())))
    .get();
  if (!invite) throw inviteGone();
  // An invite is only as good as its inviter: one who is no longer an owner cannot bring people in.
  const inviter = await dir
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, invite.tenantId), eq(memberships.accountId, invite.invitedBy)))
    .get();
  if (inviter?.role !== "owner") throw inviteGone();

  const existing = await dir.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, invite.email)).get();
  const claim = dir
    .update(invites)
    .set({ acceptedAt: Date.now() })
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.acceptedAt)));
  const join = (accountId: string) => dir.insert(memberships).values({ tenantId: invite.tenantId, accountId, role: invite.role }).onConflictDoNothing();
  let account: { id: string; email: string; name: string };
  if (existing) {
    let signedIn = await login(dir, secrets, { email: invite.email, password: input.password }, client);
    if ("challenge" in signedIn) {
      const factor = input.code ? { code: input.code } : input.recoveryCode ? { recoveryCode: input.recoveryCode } : null;
      if (!factor) {
        throw new AppError(
          "invalid_input",
          "code: your account has two-factor sign-in; enter the 6-digit code from your authenticator app, or a recovery code",
        );
      }
      // A wrong code counts toward the same lockout as at the sign-in page.
      signedIn = await secondFactorLogin(dir, secrets, { challenge: signedIn.challenge, ...factor }, client);
    }
    if ("challenge" in signedIn) throw inviteGone();
    const row = await dir
      .select({ id: accounts.id, email: accounts.email, name: accounts.name })
      .from(accounts)
      .where(eq(accounts.id, signedIn.accountId))
      .get();
    if (!row) throw inviteGone();
    account = row;
    await dir.batch([claim, join(account.id)]);
  } else {
    if (!input.name) throw new AppError("invalid_input", "name: is required to create your account");
    account = { id: newId("a"), email: invite.email, name: input.name };
    const passwordHash = await hashPassword(input.password, pepper);
    try {
      // The unique email makes this batch the one winner among concurrent accepts. The address is
      // not taken as confirmed: the inviting owner was shown the link too.
      await dir.batch([dir.insert(accounts).values({ ...account, passwordHash }), claim, join(account.id)]);
    } catch (err) {
      if (isUniqueViolation(err)) throw inviteGone();
      throw err;
    }
  }
  return { account, tenantId: invite.tenantId, role: invite.role };
}

/** Removes a member; the last owner stays, checked in the same statement that deletes. */
export async function removeMember(dir: DirectoryDb, tenantId: string, accountId: string): Promise<void> {
  const otherOwners = sql`(SELECT count(*) FROM memberships m WHERE m.tenant_id = ${tenantId} AND m.role = 'owner' AND m.account_id <> ${accountId})`;
  const [removed, _revoked] = await dir.batch([
    dir
      .delete(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.accountId, accountId), or(ne(memberships.role, "owner"), sql`${otherOwners} > 0`))),
    // Pending invites made by someone who leaves go with them.
    dir
      .delete(invites)
      .where(
        and(
          eq(invites.tenantId, tenantId),
          eq(invites.invitedBy, accountId),
          isNull(invites.acceptedAt),
          sql`NOT EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = ${tenantId} AND m.account_id = ${accountId})`,
        ),
      ),
  ]);
  if (removed.meta.changes === 1) return;
  await explainRefusal(dir, tenantId, accountId);
}

/** Why a change to a member matched no row: they are not a member, or they are the last owner. */
export async function explainRefusal(dir: DirectoryDb, tenantId: string, accountId: string): Promise<never> {
  const still = await dir
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.accountId, accountId)))
    .get();
  if (!still) throw new AppError("not_found", "No such member in this studio.");
  throw new AppError("last_owner", "A studio needs at least one owner; make someone else an owner first.");
}
