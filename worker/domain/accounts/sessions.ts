// Refresh sessions: an opaque token, stored only as its SHA-256, rotated on every use. A session
// row is the token family; presenting an already-used token means it was stolen or replayed, so
// the whole family is revoked and every device on it must sign in again.
import { and, eq, isNull } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { refreshTokens, sessions } from "../../db/directory-schema";
import { AppError } from "../../http/errors";
import { newId, randomToken, sha256 } from "../../lib/bytes";

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

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

export async function rotateRefreshToken(dir: DirectoryDb, presented: string): Promise<IssuedSession> {
  const row = await dir
    .select({ tokenHash: refreshTokens.tokenHash, sessionId: refreshTokens.sessionId, expiresAt: refreshTokens.expiresAt,
      usedAt: refreshTokens.usedAt, accountId: sessions.accountId, revokedAt: sessions.revokedAt })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, await sha256(presented)))
    .get();
  if (!row || row.revokedAt !== null || row.expiresAt < Date.now()) {
    throw new AppError("refresh_invalid", "Your session has ended; sign in again.");
  }
  const reused = async () => {
    await revokeSession(dir, row.sessionId, "refresh token reused");
    return new AppError("refresh_reused", "This sign-in was already refreshed elsewhere; every device on it was signed out. Sign in again.");
  };
  if (row.usedAt !== null) throw await reused();

  // Conditional update: of two racing refreshes with the same token, exactly one wins.
  const { refreshToken, insert } = await issueToken(dir, row.sessionId);
  const [claimed] = await dir.batch([
    dir.update(refreshTokens).set({ usedAt: Date.now() })
      .where(and(eq(refreshTokens.tokenHash, row.tokenHash), isNull(refreshTokens.usedAt))),
    insert,
  ]);
  if (claimed.meta.changes !== 1) {
    throw await reused();
  }
  return { accountId: row.accountId, sessionId: row.sessionId, refreshToken };
}
