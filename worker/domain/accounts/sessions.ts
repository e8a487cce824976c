// Refresh sessions: an opaque token, stored only as its SHA-256, rotated on every use. A session
// row is the token family; presenting an already-used token means it was stolen or replayed, so
// the whole family is revoked and every device on it must sign in again.
import { and, eq, isNull } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { refreshTokens, sessions } from "../../db/directory-schema";
import { newId, randomToken, sha256 } from "../../lib/bytes";
import { AppError } from "../../lib/errors";

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
/**
 * However often it is refreshed, a session ends this long after its sign-in: a stolen refresh
 * cookie that keeps rotating does not keep the thief in for ever.
 */
export const SESSION_MAX_MS = 90 * 24 * 3600 * 1000;

export interface IssuedSession {
  accountId: string;
  sessionId: string;
  refreshToken: string;
}

async function issueToken(dir: DirectoryDb, sessionId: string) {
  const refreshToken = randomToken();
  const insert = dir.insert(refreshTokens).values({
    tokenHash: await sha256(refreshToken),
    sessionId,
    expiresAt: Date.now() + REFRESH_TTL_MS,
  });
  return { refreshToken, insert };
}

export async function startSession(dir: DirectoryDb, accountId: string, userAgent: string | null): Promise<IssuedSession> {
  const sessionId = newId("s");
  const { refreshToken, insert } = await issueToken(dir, sessionId);
  await dir.batch([dir.insert(sessions).values({ id: sessionId, accountId, userAgent: userAgent?.slice(0, 200) }), insert]);
  return { accountId, sessionId, refreshToken };
}

export async function revokeSession(dir: DirectoryDb, sessionId: string, reason: string): Promise<void> {
  await dir
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function isSessionActive(dir: DirectoryDb, sessionId: string): Promise<boolean> {
  const row = await dir.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.id, sessionId)).get();
  return row !== undefined && row.revokedAt === null;
}

/**
 * Two tabs often refresh with the same cookie at once. A token presented again within this
 * window of its first use is taken as such a race and answered with a fresh token of the same
 * family; later reuse is theft and ends the family.
 */
export const REUSE_GRACE_MS = 10_000;

export async function rotateRefreshToken(dir: DirectoryDb, presented: string): Promise<IssuedSession> {
  const now = Date.now();
  const row = await dir
    .select({
      tokenHash: refreshTokens.tokenHash,
      sessionId: refreshTokens.sessionId,
      expiresAt: refreshTokens.expiresAt,
      usedAt: refreshTokens.usedAt,
      accountId: sessions.accountId,
      revokedAt: sessions.revokedAt,
      startedAt: sessions.createdAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, await sha256(presented)))
    .get();
  if (!row || row.revokedAt !== null || row.expiresAt < now) {
    throw new AppError("refresh_invalid", "Your session has ended; sign in again.");
  }
  if (now - row.startedAt > SESSION_MAX_MS) {
    await revokeSession(dir, row.sessionId, "lifetime reached");
    throw new AppError("refresh_invalid", "You signed in 90 days ago; sign in again.");
  }
  if (row.usedAt !== null && now - row.usedAt > REUSE_GRACE_MS) {
    await revokeSession(dir, row.sessionId, "refresh token reused");
    throw new AppError("refresh_reused", "This sign-in was already refreshed elsewhere; every device on it was signed out. Sign in again.");
  }
  const { refreshToken, insert } = await issueToken(dir, row.sessionId);
  await dir.batch([
    dir
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(and(eq(refreshTokens.tokenHash, row.tokenHash), isNull(refreshTokens.usedAt))),
    insert,
  ]);
  return { accountId: row.accountId, sessionId: row.sessionId, refreshToken };
}

/** Ends the session a refresh token belongs to, whatever state its access token is in. */
export async function endSessionByRefreshToken(dir: DirectoryDb, presented: string): Promise<void> {
  const row = await dir
    .select({ sessionId: refreshTokens.sessionId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256(presented)))
    .get();
  if (row) await revokeSession(dir, row.sessionId, "logout");
}
