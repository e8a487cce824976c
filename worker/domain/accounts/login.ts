// Password sign-in with a per-account lockout: five failures in a row lock the account for
// fifteen minutes. Unknown email and wrong password get the same answer and take the same time.
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts } from "../../db/directory-schema";
import { AppError } from "../../lib/errors";
import { burnPasswordCheck, verifyPassword } from "./password";
import type { LoginInput } from "./schemas";

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60 * 1000;

const invalid = () => new AppError("invalid_credentials", "Email or password is incorrect.");

function lockedError(lockedUntil: number, now: number): AppError {
  const seconds = Math.max(1, Math.ceil((lockedUntil - now) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    "account_locked",
    `This account is locked after ${MAX_FAILED_LOGINS} failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    { retryAfterSeconds: seconds },
  );
}

const unlocked = (now: number) => or(isNull(accounts.lockedUntil), lte(accounts.lockedUntil, now));

/**
 * Every attempt first claims a slot, counted as a failure, in one conditional statement; only
 * then is the password checked. So however many guesses arrive at once, at most five are ever
 * checked before the lock, and a locked account checks none.
 */
async function claimAttempt(dir: DirectoryDb, accountId: string, now: number) {
  const expired = sql`(${accounts.lockedUntil} IS NOT NULL AND ${accounts.lockedUntil} <= ${now})`;
  const next = sql`CASE WHEN ${expired} THEN 1 ELSE ${accounts.failedLogins} + 1 END`;
  const [row] = await dir
    .update(accounts)
    .set({
      failedLogins: next,
      lockedUntil: sql`CASE WHEN ${next} >= ${MAX_FAILED_LOGINS} THEN ${now + LOCK_MS} ELSE NULL END`,
    })
    .where(and(eq(accounts.id, accountId), unlocked(now)))
    .returning({ lockedUntil: accounts.lockedUntil });
  return row;
}

export async function login(dir: DirectoryDb, pepper: string, input: LoginInput) {
  const now = Date.now();
  const account = await dir.select().from(accounts).where(eq(accounts.email, input.email)).get();
  if (!account) {
    await burnPasswordCheck(input.password, pepper);
    throw invalid();
  }
  const slot = await claimAttempt(dir, account.id, now);
  if (!slot) {
    const current = await dir.select({ lockedUntil: accounts.lockedUntil }).from(accounts).where(eq(accounts.id, account.id)).get();
    throw lockedError(current?.lockedUntil ?? now + LOCK_MS, now);
  }
  if (await verifyPassword(input.password, account.passwordHash, pepper)) {
    await dir.update(accounts).set({ failedLogins: 0, lockedUntil: null }).where(eq(accounts.id, account.id));
    return { id: account.id, email: account.email, name: account.name };
  }
  if (slot.lockedUntil !== null && slot.lockedUntil > now) throw lockedError(slot.lockedUntil, now);
  throw invalid();
}
