// Two-factor sign-in with time-based codes (RFC 6238, through otpauth) and one-time recovery
// codes. The secret is sealed with AES-GCM under a key derived from the server's pepper, so the
// directory alone does not give it away; a code's time step is recorded when used, so no code
// works twice, even from two requests at once.
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { z } from "zod";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, recoveryCodes } from "../../db/directory-schema";
import { sha256 } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { seal, unseal } from "../../lib/seal";
import { verifyPassword } from "./password";

const PERIOD = 30;
export const RECOVERY_CODES = 10;

// Turning it on asks for the password too: a stolen session alone cannot lock the owner out with
// an authenticator of the thief's.
export const enableSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "must be the 6 digits your app shows"),
    password: z.string().min(1, "is required").max(200),
  })
  .strict();
export const secondFactorSchema = z.union([
  z.object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "must be the 6 digits your app shows"),
  }),
  z.object({ recoveryCode: z.string().trim().min(8).max(40) }),
]);
export type SecondFactor = z.infer<typeof secondFactorSchema>;
export const secondFactorStepSchema = z.intersection(z.object({ challenge: z.string().min(20).max(2000) }), secondFactorSchema);

const totp = (base32: string, label = "") =>
  new TOTP({ issuer: "Loupe", label, secret: Secret.fromBase32(base32), period: PERIOD, digits: 6, algorithm: "SHA1" });

/** The time step a code belongs to (this one or a neighbour, for clock drift), or null. */
function stepOf(base32: string, code: string, now: number): number | null {
  const delta = totp(base32).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

// No 0/o, 1/l/i: read off paper, typed by hand. Ten of these carry 49 bits.
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
function recoveryCode(): string {
  const t = [...crypto.getRandomValues(new Uint8Array(10))].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
  return `${t.slice(0, 5)}-${t.slice(5)}`;
}

const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

async function account(dir: DirectoryDb, accountId: string) {
  const row = await dir.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!row) throw new AppError("unauthenticated", "This account no longer exists; sign in again.");
  return row;
}

/** A new secret to add to an authenticator app; it takes effect once a code from it is given. */
export async function startTotpSetup(pepper: string, dir: DirectoryDb, accountId: string) {
  const me = await account(dir, accountId);
  if (me.totpEnabledAt !== null) throw new AppError("invalid_input", "Two-factor sign-in is already on; turn it off first to set up another app.");
  const secret = new Secret({ size: 20 }).base32;
  await dir
    .update(accounts)
    .set({ totpPending: await seal(pepper, "totp", secret) })
    .where(eq(accounts.id, accountId));
  return { secret, uri: totp(secret, me.email).toString() };
}

/** Turns two-factor sign-in on with the first code from the app; the recovery codes are shown once. */
export async function enableTotp(pepper: string, dir: DirectoryDb, accountId: string, input: z.infer<typeof enableSchema>, now = Date.now()) {
  const { code } = input;
  const me = await account(dir, accountId);
  if (!(await verifyPassword(input.password, me.passwordHash, pepper))) throw new AppError("invalid_credentials", "password: is not your current password.");
  if (!me.totpPending) throw new AppError("invalid_input", "code: start the set-up first; no app is waiting to be confirmed.");
  const secret = await unseal(pepper, "totp", me.totpPending);
  const step = stepOf(secret, code, now);
  if (step === null) throw new AppError("invalid_input", "code: is not the code your app shows now; check the app's clock and try again.");
  const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
  const hashes = await Promise.all(codes.map((c) => sha256(normalizeRecovery(c))));
  await dir.batch([
    dir.update(accounts).set({ totpSecret: me.totpPending, totpPending: null, totpEnabledAt: now, totpLastStep: step }).where(eq(accounts.id, accountId)),
    dir.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId)),
    dir.insert(recoveryCodes).values(hashes.map((codeHash) => ({ accountId, codeHash }))),
  ]);
  return { recoveryCodes: codes };
}

export async function disableTotp(pepper: string, dir: DirectoryDb, accountId: string, password: string): Promise<void> {
  const me = await account(dir, accountId);
  if (!(await verifyPassword(password, me.passwordHash, pepper))) throw new AppError("invalid_credentials", "password: is not your current password.");
  await dir.batch([
    dir.update(accounts).set({ totpSecret: null, totpPending: null, totpEnabledAt: null, totpLastStep: 0 }).where(eq(accounts.id, accountId)),
    dir.delete(recoveryCodes).where(eq(recoveryCodes.accountId, accountId)),
  ]);
}

/** Whether the second factor is right; a code or recovery code that passes is used up. */
export async function useSecondFactor(pepper: string, dir: DirectoryDb, accountId: string, factor: SecondFactor, now = Date.now()): Promise<boolean> {
  if ("recoveryCode" in factor) {
    const used = await dir
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(recoveryCodes.accountId, accountId),
          eq(recoveryCodes.codeHash, await sha256(normalizeRecovery(factor.recoveryCode))),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ accountId: recoveryCodes.accountId });
    return used.length === 1;
  }
  const me = await account(dir, accountId);
  if (!me.totpSecret) return false;
  const step = stepOf(await unseal(pepper, "totp", me.totpSecret), factor.code, now);
  if (step === null) return false;
  const claimed = await dir
    .update(accounts)
    .set({ totpLastStep: step })
    .where(and(eq(accounts.id, accountId), lt(accounts.totpLastStep, step)))
    .returning({ id: accounts.id });
  return claimed.length === 1;
}

/** Recovery codes not yet used, for the account page. */
export async function recoveryCodesLeft(dir: DirectoryDb, accountId: string): Promise<number> {
  const row = await dir
    .select({ n: sql<number>`count(*)` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)))
    .get();
  return row?.n ?? 0;
}
