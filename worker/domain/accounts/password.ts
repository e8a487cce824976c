// PBKDF2-SHA256 through WebCrypto. workerd caps PBKDF2 at 100,000 iterations, so the password is
// first keyed with a server-side pepper (HMAC): a stolen database alone cannot be brute-forced.
// Parameters are stored with the hash so the cost can be raised later without a flag day.
import { b64url, fromB64url, timingSafeEqual } from "../../lib/bytes";

const ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const enc = new TextEncoder();

async function peppered(password: string, pepper: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(password.normalize("NFKC"))));
}

async function derive(password: string, pepper: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", await peppered(password, pepper), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, pepper: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, pepper, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${b64url(salt)}$${b64url(hash)}`;
}

export async function verifyPassword(password: string, stored: string, pepper: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== "pbkdf2-sha256" || !salt || !hash || !Number.isInteger(iterations) || iterations < 1) return false;
  const actual = await derive(password, pepper, fromB64url(salt), iterations);
  return timingSafeEqual(actual, fromB64url(hash));
}

// Spent on unknown emails so that "no such account" takes as long as "wrong password".
const DUMMY = `pbkdf2-sha256$${ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
export async function burnPasswordCheck(password: string, pepper: string): Promise<void> {
  await verifyPassword(password, DUMMY, pepper);
}
