// Password sign-in with a per-account lockout: five failures in a row lock the account for
// fifteen minutes. Unknown email and wrong password get the same answer and take the same time.
import { eq, sql } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts } from "../../db/directory-schema";
import { AppError } from "../../http/errors";
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

export async function login(dir: DirectoryDb, pepper: string, input: LoginInput) {
  const now = Date.now();
  const account = await dir.select().from(accounts).where(eq(accounts.email, input.email)).get();
  if (!account) {
    await burnPasswordCheck(input.password, pepper);
    throw invalid();
  }
  if (account.lockedUntil !== null && account.lockedUntil > now) throw lockedError(account.lockedUntil, now);

  if (await verifyPassword(input.password, account.passwordHash, pepper)) {
    if (account.failedLogins > 0 || account.lockedUntil !== null) {
      await dir.update(accounts).set({ failedLogins: 0, lockedUntil: null }).where(eq(accounts.id, account.id));
    }
    return { id: account.id, email: account.email, name: account.name };
  }

  // One statement, so concurrent failures all count; an expired lock starts a fresh count.
  const expired = sql`(${accounts.lockedUntil} IS NOT NULL AND ${accounts.lockedUntil} <= ${now})`;
  const next = sql`CASE WHEN ${expired} THEN 1 ELSE ${accounts.failedLogins} + 1 END`;
  const [row] = await dir
    .update(accounts)
    .set({
      failedLogins: next,
      lockedUntil: sql`CASE WHEN ${next} >= ${MAX_FAILED_LOGINS} THEN ${now + LOCK_MS} WHEN ${expired} THEN NULL ELSE ${accounts.lockedUntil} END`,
    })
    .where(eq(accounts.id, account.id))
    .returning({ lockedUntil: accounts.lockedUntil });
  if (row?.lockedUntil != null && row.lockedUntil > now) throw lockedError(row.lockedUntil, now);
  throw invalid();
}
