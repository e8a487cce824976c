// Test client: calls the worker the way a browser or API client would, with a cookie jar.
import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";

export const ROOT = "localhost:8787";
export const APP_HOST = `app.${ROOT}`;
export const studioHost = (slug: string) => `${slug}.${ROOT}`;

export class CookieJar {
  readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}

let ipCounter = 0;
/** Each test gets its own client IP so the per-IP auth limit of one test never trips another. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export interface CallOptions {
  host?: string;
  body?: unknown;
  rawBody?: BodyInit;
  jar?: CookieJar;
  ip?: string;
  headers?: Record<string, string>;
}

export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const host = opts.host ?? APP_HOST;
  const headers = new Headers(opts.headers);
  headers.set("host", host);
  if (opts.ip) headers.set("cf-connecting-ip", opts.ip);
  if (opts.jar && opts.jar.cookies.size > 0) headers.set("cookie", opts.jar.header());
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const res = await SELF.fetch(`http://${host}${path}`, { method, headers, body, redirect: "manual" });
  opts.jar?.take(res);
  return res;
}

// Assertions read bodies loosely and let \`expect\` check their shape. The browser apps, which
// must not, read them through the typed contract (web/dashboard/api.ts, worker/contract).
// biome-ignore lint/suspicious/noExplicitAny: tests state what they expect of a body with expect().
export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export const PASSWORD = "correct horse battery";

/** The link in the latest account mail of this kind to the account, as the owner would open it. */
export async function mailedLink(accountId: string, kind: "verify_email" | "password_reset"): Promise<string> {
  const row = await env.DIRECTORY.prepare("SELECT text FROM account_mail WHERE account_id = ? AND kind = ? ORDER BY created_at DESC, rowid DESC LIMIT 1")
    .bind(accountId, kind)
    .first<{ text: string }>();
  const link = row?.text.match(/https?:\/\/\S+token=[\w-]+/)?.[0];
  if (!link) throw new Error(`no ${kind} mail for ${accountId}`);
  return link;
}

/** A studio and its owner, signed in; the owner's address confirmed through the mailed link unless `confirm: false`. */
export async function signUp(slug: string, opts: { name?: string; email?: string; ip?: string; confirm?: boolean } = {}) {
  const jar = new CookieJar();
  const email = opts.email ?? `${slug}@example.test`;
  const res = await call("POST", "/api/auth/signup", {
    jar,
    ip: opts.ip ?? freshIp(),
    body: { studioName: opts.name ?? `Studio ${slug}`, slug, name: `Owner of ${slug}`, email, password: PASSWORD },
  });
  if (res.status !== 201) throw new Error(`sign-up of ${slug} failed: ${res.status} ${await res.text()}`);
  const data = await json(res);
  if (opts.confirm !== false) {
    const token = new URL(await mailedLink(data.account.id, "verify_email")).searchParams.get("token");
    const confirmed = await call("POST", "/api/auth/email/confirm", { ip: opts.ip ?? freshIp(), body: { token } });
    if (confirmed.status !== 200) throw new Error(`confirming ${email} failed: ${confirmed.status} ${await confirmed.text()}`);
  }
  return { jar, email, studio: data.studio as { id: string; slug: string; shard: number; name: string }, account: data.account };
}

/** A staff member of the owner's studio, invited and joined: their signed-in cookie jar. */
export async function joinAsStaff(owner: { jar: CookieJar; studio: { id: string } }, email: string, name = "Staff Member"): Promise<CookieJar> {
  const made = await json(await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: owner.jar, body: { email } }));
  const jar = new CookieJar();
  const token = new URL(made.invite.url).searchParams.get("token");
  const joined = await call("POST", "/api/auth/invites/accept", { jar, ip: freshIp(), body: { token, name, password: "staff-password-1" } });
  if (joined.status !== 201) throw new Error(`${email} could not join: ${joined.status} ${await joined.text()}`);
  return jar;
}

/** A refusal in the app's error shape: the status, the code, a message naming what was wrong, no stack. Its message. */
export async function expectError(res: Response, status: number, code: string, mentions?: RegExp): Promise<string> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = JSON.parse(text);
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toMatch(mentions);
  expect(text).not.toMatch(/at .*\.ts:\d+|stack/i);
  return body.error.message as string;
}
