// Per-IP budgets through Cloudflare's rate limiting bindings (a fixed window of `period` seconds;
// see wrangler.toml): on routes that check a secret, and on everything a studio's website serves.
import type { Context, MiddlewareHandler } from "hono";
import { networkOf, requestNetwork } from "../contract/network";
import { AppError } from "../lib/errors";
import type { AppEnv } from "./context";

const WINDOW_SECONDS = 60;

export function clientIp(req: Request): string {
  return req.headers.get("cf-connecting-ip") ?? req.headers.get("x-real-ip") ?? "unknown";
}

/** What per-IP budgets and sign-in lockouts count this request against. */
export const clientNetwork = (req: Request): string => networkOf(clientIp(req));

const spent = (what: string) =>
  new AppError("rate_limited", `Too many ${what} from your network; wait ${WINDOW_SECONDS} seconds.`, { retryAfterSeconds: WINDOW_SECONDS });

/** Takes one from `limiter` for this request's network under `key`; throws rate_limited naming `what` when spent. */
async function spend(limiter: RateLimit, key: string, what: string): Promise<void> {
  if (!(await limiter.limit({ key })).success) throw spent(what);
}

/** Takes one guess from this IP's budget for `scope`; throws rate_limited when it is spent. */
export async function spendGuess(c: Context<AppEnv>, scope: string, what: string): Promise<void> {
  await spend(c.env.AUTH_LIMITER, `${scope}:${clientNetwork(c.req.raw)}`, what);
}

/** A per-IP budget for routes that check a secret (passwords, PINs), counted per `scope`. */
export function guessLimit(scope: string, what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await spendGuess(c, scope, what);
    await next();
  };
}

export const authRateLimit = guessLimit("auth", "sign-in attempts");

/**
 * Refreshing and ending a session, per IP. These carry a random token, not a guess, so they do not
 * draw on the sign-in budget: a dashboard open in a few tabs refreshes on every load, and counting
 * that against 20 sign-ins a minute locked an office out of signing in.
 */
export const sessionUpkeepLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  await spend(c.env.SESSION_LIMITER, clientNetwork(c.req.raw), "session refreshes");
  await next();
};

/**
 * Every request to a studio's website, per IP, whatever it asks for (static assets, answered
 * before this, excepted); photos and thumbnails draw on a larger budget of their own. Without an
 * address, or from this machine itself (wrangler dev: every browser and bench is 127.0.0.1; at the
 * edge no visitor ever is), there is no stranger to count.
 */
export const strangerBudget: MiddlewareHandler<AppEnv> = async (c, next) => {
  const network = requestNetwork(c.req.raw.headers);
  if (network === null) return next();
  const media = new URL(c.req.url).pathname.startsWith("/media/");
  const key = `${media ? "m" : "a"}:${network}`;
  if (refusedHere(key)) throw spent("requests");
  try {
    await spend(media ? c.env.MEDIA_LIMITER : c.env.ANON_LIMITER, network, "requests");
  } catch (err) {
    rememberRefusal(key);
    throw err;
  }
  await next();
};

// A flooding address keeps asking long after its budget is spent. Once the limiter has said no,
// this isolate says no by itself for a few seconds (well within the minute the answer tells them
// to wait), so a flood of refusals costs no call to the limiter each.
const REMEMBER_MS = 5_000;
const MAX_REMEMBERED = 10_000;
const refusals = new Map<string, number>();

function refusedHere(key: string): boolean {
  const until = refusals.get(key);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  refusals.delete(key);
  return false;
}

function rememberRefusal(key: string): void {
  if (refusals.size >= MAX_REMEMBERED) refusals.clear();
  refusals.set(key, Date.now() + REMEMBER_MS);
}
