// Who works in a studio: owners manage the studio and its people; staff work on galleries.
// New people join through an invite link (one-time token, stored hashed, valid 7 days).
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, invites, memberships } from "../../db/directory-schema";
import { AppError } from "../../http/errors";
import { newId, randomToken, sha256 } from "../../lib/bytes";
import { login } from "../accounts/login";
import { hashPassword } from "../accounts/password";
import { emailSchema, passwordSchema, personNameSchema } from "../accounts/schemas";

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export const inviteSchema = z.object({ email: emailSchema, role: z.enum(["owner", "staff"]).default("staff") });
export const acceptInviteSchema = z.object({
  token: z.string().min(20, "is not an invite token").max(100, "is not an invite token"),
  password: passwordSchema,
  name: personNameSchema.optional(),
});

export async function listMembers(dir: DirectoryDb, tenantId: string) {
  return dir
    .select({ accountId: accounts.id, name: accounts.name, email: accounts.email, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(memberships.createdAt);
}

export async function createInvite(dir: DirectoryDb, tenantId: string, invitedBy: string, input: z.infer<typeof inviteSchema>) {
  const member = await dir.select({ id: accounts.id }).from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.tenantId, tenantId), eq(accounts.email, input.email))).get();
  if (member) throw new AppError("already_member", `${input.email} is already a member of this studio.`);
  const token = randomToken();
  const expiresAt = Date.now() + INVITE_TTL_MS;
  await dir.insert(invites).values({ tokenHash: await sha256(token), tenantId, email: input.email, role: input.role, invitedBy, expiresAt });
  return { token, email: input.email, role: input.role, expiresAt };
}

/** Joins the invited studio: an existing account proves itself with its password, a new one is created. */
export async function acceptInvite(dir: DirectoryDb, pepper: string, input: z.infer<typeof acceptInviteSchema>) {
  const tokenHash = await sha256(input.token);
  const invite = await dir.select().from(invites)
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.acceptedAt), gt(invites.expiresAt, Date.now()))).get();
  if (!invite) throw new AppError("invite_invalid", "This invite link is invalid, used or expired; ask the studio for a new one.");

  const existing = await dir.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, invite.email)).get();
  let account: { id: string; email: string; name: string };
  const claim = dir.update(invites).set({ acceptedAt: Date.now() })
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.acceptedAt)));
  const join = (accountId: string) =>
    dir.insert(memberships).values({ tenantId: invite.tenantId, accountId, role: invite.role }).onConflictDoNothing();
  if (existing) {
    account = await login(dir, pepper, { email: invite.email, password: input.password });
    await dir.batch([claim, join(account.id)]);
  } else {
    if (!input.name) throw new AppError("invalid_input", "name: is required to create your account");
    account = { id: newId("a"), email: invite.email, name: input.name };
    const passwordHash = await hashPassword(input.password, pepper);
    await dir.batch([claim, dir.insert(accounts).values({ ...account, passwordHash }), join(account.id)]);
  }
  return { account, tenantId: invite.tenantId, role: invite.role };
}

export async function removeMember(dir: DirectoryDb, tenantId: string, accountId: string): Promise<void> {
  const target = await dir.select({ role: memberships.role }).from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.accountId, accountId))).get();
  if (!target) throw new AppError("not_found", "No such member in this studio.");
  if (target.role === "owner") {
    const owners = await dir.select({ id: memberships.accountId }).from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")));
    if (owners.length <= 1) throw new AppError("last_owner", "A studio needs at least one owner; make someone else owner first.");
  }
  await dir.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.accountId, accountId)));
}
