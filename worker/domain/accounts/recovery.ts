// A forgotten password: a reset link by mail, then a new password that ends every session. The
// answer to "send me a link" is the same whether or not the address has an account.
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, loginLocks, sessions } from "../../db/directory-schema";
import { announceAccountMail, queueAccountMail } from "../mail/account-mail";
import { passwordResetMail } from "../mail/account-messages";
import { badLink, issueLink, retireLinks, useLink } from "./links";
import { hashPassword } from "./password";
import { emailSchema, passwordSchema } from "./schemas";
import { releaseHeldMail } from "./verification";

export const forgotSchema = z.object({ email: emailSchema }).strict();
export const resetSchema = z.object({ token: z.string().min(20).max(100), password: passwordSchema }).strict();

/** Mails a reset link if the address has an account and has not had three in the last hour. */
export async function requestPasswordReset(env: Env, dir: DirectoryDb, email: string, dashboard: string): Promise<void> {
  const account = await dir.select({ id: accounts.id, email: accounts.email, name: accounts.name }).from(accounts).where(eq(accounts.email, email)).get();
  if (!account) return;
  const link = await issueLink(dir, account.id, "reset", null);
  if (!link) return;
  const mail = queueAccountMail(dir, passwordResetMail(account, `${dashboard}/reset?token=${link.token}`, link.hash.slice(0, 22)));
  await dir.batch([link.insert, mail.insert]);
  await announceAccountMail(env.MAIL_QUEUE, [mail.id]);
}

/**
 * Sets the new password if the link is still good, in one transaction with everything that goes
 * with it: the link and its siblings used, every session ended, sign-in failures forgiven, and the
 * address counted as confirmed (the link reached it).
 */
export async function resetPassword(env: Env, dir: DirectoryDb, input: z.infer<typeof resetSchema>): Promise<{ email: string }> {
  const now = Date.now();
  const passwordHash = await hashPassword(input.password, env.PASSWORD_PEPPER);
  const { use, owner } = await useLink(dir, input.token, "reset", now);
  const mine = (column: typeof accounts.id | typeof sessions.accountId | typeof loginLocks.accountId) => sql`${column} IN ${owner}`;
  const [used] = await dir.batch([
    use,
    dir.update(accounts).set({ passwordHash }).where(mine(accounts.id)),
    dir
      .update(accounts)
      .set({ emailVerifiedAt: now })
      .where(and(mine(accounts.id), isNull(accounts.emailVerifiedAt))),
    dir
      .update(sessions)
      .set({ revokedAt: now, revokedReason: "password reset" })
      .where(and(mine(sessions.accountId), isNull(sessions.revokedAt))),
    dir.delete(loginLocks).where(mine(loginLocks.accountId)),
  ]);
  const row = used[0];
  if (!row) throw badLink("reset");
  await retireLinks(dir, row.accountId, "reset", now);
  await releaseHeldMail(env, dir, row.accountId);
  const account = await dir.select({ email: accounts.email }).from(accounts).where(eq(accounts.id, row.accountId)).get();
  return { email: account?.email ?? "" };
}
