// What a photographer changes about their own account: the password (the current one first; every
// other sign-in ends), the address (it changes once the new one is confirmed), and where they are
// signed in. Each statement names the account, so nobody reaches another account's sessions.
import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { SecurityView, SessionsResponse } from "../../contract/account";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, refreshTokens, sessions } from "../../db/directory-schema";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
import { AppError } from "../../lib/errors";
import { retireLinks } from "./links";
import { hashPassword, verifyPassword } from "./password";
import { emailSchema, passwordSchema } from "./schemas";
import { revokeSession, SESSION_MAX_MS } from "./sessions";
import { recoveryCodesLeft } from "./totp";
import { sendVerification } from "./verification";

export const sessionListQuery = pageQuery.strict();
export const passwordChangeSchema = z.object({ current: z.string().min(1, "is required").max(200), password: passwordSchema }).strict();
export const emailChangeSchema = z.object({ email: emailSchema, password: z.string().min(1, "is required").max(200) }).strict();

async function me(dir: DirectoryDb, accountId: string) {
  const row = await dir.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!row) throw new AppError("unauthenticated", "This account no longer exists; sign in again.");
  return row;
}

async function requirePassword(pepper: string, hash: string, password: string, field: string): Promise<void> {
  if (!(await verifyPassword(password, hash, pepper))) throw new AppError("invalid_credentials", `${field}: is not your current password.`);
}

export async function securityOverview(dir: DirectoryDb, accountId: string): Promise<SecurityView> {
  const account = await me(dir, accountId);
  const enabled = account.totpEnabledAt !== null;
  return {
    email: account.email,
    emailVerified: account.emailVerifiedAt !== null,
    twoFactor: { enabled, recoveryCodesLeft: enabled ? await recoveryCodesLeft(dir, accountId) : 0 },
  };
}

/** A new password; every other sign-in of the account ends, this one stays. */
export async function changePassword(pepper: string, dir: DirectoryDb, accountId: string, currentSession: string, input: z.infer<typeof passwordChangeSchema>) {
  const account = await me(dir, accountId);
  await requirePassword(pepper, account.passwordHash, input.current, "current");
  const now = Date.now();
  await dir.batch([
    dir
      .update(accounts)
      .set({ passwordHash: await hashPassword(input.password, pepper) })
      .where(eq(accounts.id, accountId)),
    dir
      .update(sessions)
      .set({ revokedAt: now, revokedReason: "password changed" })
      .where(and(eq(sessions.accountId, accountId), ne(sessions.id, currentSession), isNull(sessions.revokedAt))),
    retireLinks(dir, accountId, "reset", now),
  ]);
}

/** Mails a confirmation link to the new address; the account keeps its address until it is opened. */
export async function requestEmailChange(env: Env, dir: DirectoryDb, accountId: string, input: z.infer<typeof emailChangeSchema>, dashboard: string) {
  const account = await me(dir, accountId);
  await requirePassword(env.PASSWORD_PEPPER, account.passwordHash, input.password, "password");
  if (input.email === account.email) throw new AppError("invalid_input", "email: is already your address.");
  const taken = await dir.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, input.email)).get();
  if (taken) throw new AppError("email_taken", `email: ${input.email} belongs to another Loupe account.`);
  if (!(await sendVerification(env, dir, account, input.email, dashboard, true))) {
    throw new AppError("rate_limited", "Three confirmation links went out in the last hour; use the newest one, or ask again later.", {
      retryAfterSeconds: 3600,
    });
  }
  return { pendingEmail: input.email };
}

/** Where the account is signed in (sessions not ended and within their lifetime), newest first. */
export async function listSessions(dir: DirectoryDb, accountId: string, currentSession: string, query: PageQuery): Promise<SessionsResponse> {
  const { after, orderBy } = keyset([sessions.createdAt, sessions.id], "desc", query.cursor);
  const lastActive = sql<number>`coalesce((SELECT max(${refreshTokens.createdAt}) FROM ${refreshTokens} WHERE ${refreshTokens.sessionId} = ${sessions.id}), ${sessions.createdAt})`;
  const rows = await dir
    .select({ id: sessions.id, userAgent: sessions.userAgent, signedInAt: sessions.createdAt, lastActiveAt: lastActive })
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), gt(sessions.createdAt, Date.now() - SESSION_MAX_MS), after))
    .orderBy(...orderBy)
    .limit(pageSize(query));
  const page = pageOf(
    rows,
    query,
    (r) => [r.signedInAt, r.id],
    (r) => ({ ...r, current: r.id === currentSession }),
  );
  return { sessions: page.items, next: page.next };
}

/** Ends one of the account's sessions; another account's session id is simply not found. */
export async function endSession(dir: DirectoryDb, accountId: string, sessionId: string): Promise<void> {
  const row = await dir
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.accountId, accountId)))
    .get();
  if (!row) throw new AppError("not_found", "No such sign-in on your account.");
  await revokeSession(dir, sessionId, "signed out from another device");
}

export async function endOtherSessions(dir: DirectoryDb, accountId: string, currentSession: string): Promise<{ ended: number }> {
  const ended = await dir
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: "signed out from another device" })
    .where(and(eq(sessions.accountId, accountId), ne(sessions.id, currentSession), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return { ended: ended.length };
}
