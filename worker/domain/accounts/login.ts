// Password sign-in. Unknown email and wrong password get the same answer and take the same time;
// failures lock the browser or network they came from (lockout.ts), not the account.
import { eq } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts } from "../../db/directory-schema";
import { AppError } from "../../lib/errors";
import { claimAttempt, deviceOf, forgive, MAX_FAILED_LOGINS, signDeviceToken, subjectsFor } from "./lockout";
import { burnPasswordCheck, verifyPassword } from "./password";
import type { LoginInput } from "./schemas";
import { signSecondFactorChallenge, verifySecondFactorChallenge } from "./tokens";
import { type SecondFactor, useSecondFactor } from "./totp";

const invalid = () => new AppError("invalid_credentials", "Email or password is incorrect.");

function lockedError(lockedUntil: number, now: number, known: boolean): AppError {
  const seconds = Math.max(1, Math.ceil((lockedUntil - now) / 1000));
  const minutes = Math.ceil(seconds / 60);
  const wait = `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return new AppError(
    "account_locked",
    known
      ? `Too many failed sign-ins from this browser. ${wait}.`
      : `Too many failed sign-ins to this account from this network or from browsers it does not know. ${wait}, or sign in from a browser you have used before.`,
    { retryAfterSeconds: seconds },
  );
}

/** Who is signing in: their network, and the device cookie of a browser that signed in before. */
export interface LoginClient {
  ip: string;
  deviceToken?: string;
}

/**
 * The account, and a device token when this browser has none for it yet; or, when the account has
 * two-factor sign-in, a challenge to answer with the second factor (secondFactorLogin).
 */
export async function login(dir: DirectoryDb, secrets: { pepper: string; jwt: string }, input: LoginInput, client: LoginClient): Promise<LoginOutcome> {
  const now = Date.now();
  const account = await dir.select().from(accounts).where(eq(accounts.email, input.email)).get();
  if (!account) {
    await burnPasswordCheck(input.password, secrets.pepper);
    throw invalid();
  }
  const device = await deviceOf(secrets.jwt, client.deviceToken, account.id);
  const subjects = subjectsFor(device, client.ip);
  const claim = await claimAttempt(dir, account.id, subjects, now);
  if (claim.refusedUntil !== null) throw lockedError(claim.refusedUntil, now, device !== null);
  if (await verifyPassword(input.password, account.passwordHash, secrets.pepper)) {
    // The failures are forgiven only once the second factor is right too.
    if (account.totpEnabledAt !== null) return { challenge: await signSecondFactorChallenge(account.id, secrets.jwt) };
    await forgive(dir, account.id, subjects[0]!);
    return { accountId: account.id, deviceToken: device ? null : await signDeviceToken(secrets.jwt, account.id) };
  }
  if (claim.lockedUntil !== null) throw lockedError(claim.lockedUntil, now, device !== null);
  throw invalid();
}

export type LoginOutcome = { accountId: string; deviceToken: string | null } | { challenge: string };

/** The second step of a two-factor sign-in: a wrong code counts toward the same lockout as a wrong password. */
export async function secondFactorLogin(
  dir: DirectoryDb,
  secrets: { pepper: string; jwt: string },
  input: { challenge: string } & SecondFactor,
  client: LoginClient,
): Promise<LoginOutcome> {
  const now = Date.now();
  const accountId = await verifySecondFactorChallenge(input.challenge, secrets.jwt);
  if (!accountId) throw new AppError("invalid_credentials", "This sign-in took too long or was not started here; enter your password again.");
  const device = await deviceOf(secrets.jwt, client.deviceToken, accountId);
  const subjects = subjectsFor(device, client.ip);
  const claim = await claimAttempt(dir, accountId, subjects, now);
  if (claim.refusedUntil !== null) throw lockedError(claim.refusedUntil, now, device !== null);
  if (await useSecondFactor(secrets.pepper, dir, accountId, input, now)) {
    await forgive(dir, accountId, subjects[0]!);
    return { accountId, deviceToken: device ? null : await signDeviceToken(secrets.jwt, accountId) };
  }
  if (claim.lockedUntil !== null) throw lockedError(claim.lockedUntil, now, device !== null);
  throw new AppError("invalid_credentials", "That code is not right, or was used already.");
}

export { MAX_FAILED_LOGINS };
