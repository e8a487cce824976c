// Secrets Loupe must read back (an authenticator's seed, a lab's API key) are sealed with AES-GCM
// under a key derived from the server's pepper and the secret's purpose, so the database alone does
// not give them away. The additional data binds a sealed value to its owner: a row copied onto
// another studio's does not open.
import { b64url, fromB64url } from "./bytes";

async function sealKey(pepper: string, purpose: string): Promise<CryptoKey> {
  const raw = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`loupe-${purpose}:${pepper}`));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const aad = (owner: string | undefined) => (owner === undefined ? {} : { additionalData: new TextEncoder().encode(owner) });

export async function seal(pepper: string, purpose: string, plain: string, owner?: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, ...aad(owner) }, await sealKey(pepper, purpose), new TextEncoder().encode(plain));
  return `${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}

/** Throws if the value was sealed for another purpose or owner, or tampered with. */
export async function unseal(pepper: string, purpose: string, sealed: string, owner?: string): Promise<string> {
  const [iv, data] = sealed.split(".");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromB64url(iv!), ...aad(owner) }, await sealKey(pepper, purpose), fromB64url(data!));
  return new TextDecoder().decode(plain);
}
