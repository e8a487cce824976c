// What the fake mail provider (tests/setup/fake-mail.ts) accepted, and waiting for it: mail leaves
// through the real queue, so a test waits until it has arrived.
import { env } from "cloudflare:test";

export const fakeMail = env.EMAIL_API_URL.replace(/\/emails$/, "");

export interface SentMail {
  from?: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
}

/** Each mail the provider accepted for this address, once. */
export const sentTo = async (to: string): Promise<SentMail[]> =>
  ((await (await fetch(`${fakeMail}/__sent`)).json()) as SentMail[]).filter((m) => m.to.includes(to));

/** Reads until `ok` says yes, or fails after `timeoutMs` saying what it last read. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
