// Single-use links mailed to an account (a password reset, an address to confirm). The token is
// shown once, in the mail; only its SHA-256 is kept. Opening the page only looks the link up;
// acting on it marks it used in the same statement that checks it, so two tabs cannot both use it.
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { accountTokens } from "../../db/directory-schema";
import { randomToken, sha256 } from "../../lib/bytes";
import { AppError } from "../../lib/errors";

export type LinkPurpose = "reset" | "verify";

export const LINK_TTL_MS: Record<LinkPurpose, number> = { reset: 60 * 60_000, verify: 3 * 86_400_000 };
/** Links of one kind an account may be sent in an hour, whoever asks. */
export const LINKS_PER_HOUR = 3;

const WHAT: Record<LinkPurpose, string> = { reset: "password reset link", verify: "confirmation link" };

export function badLink(purpose: LinkPurpose): AppError {
  return new AppError("link_invalid", `This ${WHAT[purpose]} has expired, was already used, or is not one Loupe sent. Ask for a new one.`);
}

/** A new link for the account, or null when it was sent LINKS_PER_HOUR of this kind in the last hour. */
export async function issueLink(dir: DirectoryDb, accountId: string, purpose: LinkPurpose, email: string | null, now = Date.now()) {
  const recent = await dir
    .select({ n: sql<number>`count(*)` })
    .from(accountTokens)
    .where(and(eq(accountTokens.accountId, accountId), eq(accountTokens.purpose, purpose), gt(accountTokens.createdAt, now - 60 * 60_000)))
    .get();
  if ((recent?.n ?? 0) >= LINKS_PER_HOUR) return null;
  const token = randomToken();
  const hash = await sha256(token);
  const insert = dir.insert(accountTokens).values({ tokenHash: hash, accountId, purpose, email, expiresAt: now + LINK_TTL_MS[purpose], createdAt: now });
  return { token, hash, insert };
}

const live = (purpose: LinkPurpose, now: number) => and(eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now));

/** The link's account and address while it can still be used; it stays unused. */
export async function peekLink(dir: DirectoryDb, token: string, purpose: LinkPurpose, now = Date.now()) {
  const row = await dir
    .select({ accountId: accountTokens.accountId, email: accountTokens.email })
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, await sha256(token)), live(purpose, now)))
    .get();
  if (!row) throw badLink(purpose);
  return row;
}

/**
 * The statement that uses the link (its result names the account, or is empty if it was not
 * usable), and `owner`: a subquery naming the account only after this very use, within the same
 * batch. The batch's other statements are bound to `owner`, so a dead link changes nothing.
 */
export async function useLink(dir: DirectoryDb, token: string, purpose: LinkPurpose, now = Date.now()) {
  const hash = await sha256(token);
  return {
    use: dir
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.tokenHash, hash), live(purpose, now)))
      .returning({ accountId: accountTokens.accountId, email: accountTokens.email }),
    owner: sql`(SELECT ${accountTokens.accountId} FROM ${accountTokens} WHERE ${accountTokens.tokenHash} = ${hash} AND ${accountTokens.usedAt} = ${now})`,
    /** The address a verify link proves, on the same terms. */
    address: sql`(SELECT ${accountTokens.email} FROM ${accountTokens} WHERE ${accountTokens.tokenHash} = ${hash} AND ${accountTokens.usedAt} = ${now})`,
  };
}

/** Every other unused link of this kind ends with the one used. */
export function retireLinks(dir: DirectoryDb, accountId: string, purpose: LinkPurpose, now = Date.now()) {
  return dir
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.accountId, accountId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
}

/** Links past their end, a day later (the daily run). */
export async function forgetOldLinks(dir: DirectoryDb, now = Date.now()): Promise<void> {
  await dir.delete(accountTokens).where(lt(accountTokens.expiresAt, now - 86_400_000));
}
