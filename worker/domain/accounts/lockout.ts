// Who a failed sign-in counts against. A browser that signed in to this account before carries a
// device cookie and is locked only by its own failures; any other attempt counts against its
// network and against all unknown browsers together. So a stranger who knows the owner's email
// can lock out their own network and, with many networks, other unknown browsers, but never the
// browser the owner signs in from.
import { and, eq, sql } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";
import { oneOf } from "../../db/chunks";
import type { DirectoryDb } from "../../db/directory-db";
import { loginLocks } from "../../db/directory-schema";
import { newId } from "../../lib/bytes";

export const LOCK_MS = 15 * 60 * 1000;
/** Failures before a lock: per browser or network, and for all unknown browsers of one account. */
export const MAX_FAILED_LOGINS = 5;
export const MAX_UNTRUSTED_FAILURES = 50;
export const DEVICE_TTL_SECONDS = 365 * 86_400;
const AUDIENCE = "loupe:device";

export type LockSubject = `device:${string}` | `ip:${string}` | "untrusted";

const maxFor = (subject: LockSubject) => (subject === "untrusted" ? MAX_UNTRUSTED_FAILURES : MAX_FAILED_LOGINS);
const key = (secret: string) => new TextEncoder().encode(secret);

export function signDeviceToken(secret: string, accountId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(accountId)
    .setJti(newId("d"))
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${DEVICE_TTL_SECONDS}s`)
    .sign(key(secret));
}

/** The device id of a browser that signed in to this account before, or null. */
export async function deviceOf(secret: string, token: string | undefined, accountId: string): Promise<string | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE, subject: accountId });
    return typeof payload.jti === "string" ? payload.jti : null;
  } catch {
    return null;
  }
}

export const subjectsFor = (device: string | null, ip: string): LockSubject[] => (device ? [`device:${device}`] : [`ip:${ip}`, "untrusted"]);

/**
 * Claims one attempt for every subject, counted as a failure, in one transaction; only then is the
 * password checked. A subject already locked is not counted and refuses the attempt (`refusedUntil`);
 * `lockedUntil` is set when this attempt's failure would lock one. So parallel guesses get at most
 * MAX_FAILED_LOGINS checks per subject.
 */
export async function claimAttempt(dir: DirectoryDb, accountId: string, subjects: LockSubject[], now: number) {
  const statements = subjects.map((subject) => {
    const max = maxFor(subject);
    const expired = sql`(${loginLocks.lockedUntil} IS NOT NULL AND ${loginLocks.lockedUntil} <= ${now})`;
    const next = sql`CASE WHEN ${expired} THEN 1 ELSE ${loginLocks.failures} + 1 END`;
    return dir
      .insert(loginLocks)
      .values({ accountId, subject, failures: 1, lockedUntil: max <= 1 ? now + LOCK_MS : null, updatedAt: now })
      .onConflictDoUpdate({
        target: [loginLocks.accountId, loginLocks.subject],
        set: { failures: next, lockedUntil: sql`CASE WHEN ${next} >= ${max} THEN ${now + LOCK_MS} ELSE NULL END`, updatedAt: now },
        setWhere: sql`${loginLocks.lockedUntil} IS NULL OR ${loginLocks.lockedUntil} <= ${now}`,
      })
      .returning({ lockedUntil: loginLocks.lockedUntil });
  });
  const results = (await dir.batch(statements as [(typeof statements)[0], ...typeof statements])) as { lockedUntil: number | null }[][];
  let refused = false;
  let lockedUntil: number | null = null;
  for (const rows of results) {
    if (rows.length === 0) refused = true;
    for (const r of rows) if (r.lockedUntil !== null && r.lockedUntil > now) lockedUntil = Math.max(lockedUntil ?? 0, r.lockedUntil);
  }
  if (!refused) return { refusedUntil: null, lockedUntil };
  const held = await dir
    .select({ lockedUntil: loginLocks.lockedUntil })
    .from(loginLocks)
    .where(and(eq(loginLocks.accountId, accountId), oneOf(loginLocks.subject, subjects)));
  return { refusedUntil: Math.max(now + 1000, ...held.map((h) => h.lockedUntil ?? 0)), lockedUntil };
}

/** Failure counts nobody added to for a day: a lock lasts fifteen minutes, so they mean nothing now. */
export async function forgetOldLocks(dir: DirectoryDb, now = Date.now()): Promise<void> {
  await dir.delete(loginLocks).where(sql`${loginLocks.updatedAt} < ${now - 86_400_000}`);
}

/** A right password: this browser's or network's failures are forgiven (the unknown-browser count is not). */
export function forgive(dir: DirectoryDb, accountId: string, subject: LockSubject) {
  return dir.delete(loginLocks).where(and(eq(loginLocks.accountId, accountId), eq(loginLocks.subject, subject)));
}
