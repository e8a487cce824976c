// Per-IP budgets through Cloudflare's rate limiting bindings (a fixed window of `period` seconds;
// see wrangler.toml): on routes that check a secret, and on everything a studio's website serves.
import type { Context, MiddlewareHandler } from "hono";
import { networkOf } from "../contract/network";
import { AppError } from "../lib/errors";
import type { AppEnv } from "./context";

const WINDOW_SECONDS = 60;
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function clientIp(req: Request): string {
  return req.headers.get("cf-connecting-ip") ?? req.headers.get("x-real-ip") ?? "unknown";
}

/** What per-IP budgets and sign-in lockouts count this request against. */
export const clientNetwork = (req: Request): string => networkOf(clientIp(req));

/** Takes one guess from this IP's budget for `scope`; throws rate_limited when it is spent. */
export async function spendGuess(c: Context<AppEnv>, scope: string, what: string): Promise<void> {
  const { success } = await c.env.AUTH_LIMITER.limit({ key: `${scope}:${clientNetwork(c.req.raw)}` });
  if (!success) {
    throw new AppError("rate_limited", `Too many ${what} from your network; wait ${WINDOW_SECONDS} seconds.`, {
      retryAfterSeconds: WINDOW_SECONDS,
    });
  }
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
  const { success } = await c.env.SESSION_LIMITER.limit({ key: clientNetwork(c.req.raw) });
  if (!success) {
    throw new AppError("rate_limited", `Too many session refreshes from your network; wait ${WINDOW_SECONDS} seconds.`, {
      retryAfterSeconds: WINDOW_SECONDS,
    });
  }
  await next();
};

/**
 * Every request to a studio's website, per IP, whatever it asks for (static assets, answered
 * before this, excepted); photos and thumbnails draw on a larger budget of their own. Without an
 * address, or from this machine itself (wrangler dev: every browser and bench is 127.0.0.1; at the
 * edge no visitor ever is), there is no stranger to count.
 */
export const strangerBudget: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ip = clientIp(c.req.raw);
  if (ip !== "unknown" && !LOOPBACK.test(ip)) {
    const media = new URL(c.req.url).pathname.startsWith("/media/");
    const network = networkOf(ip);
    const key = `${media ? "m" : "a"}:${network}`;
    if (!refusedHere(key)) {
      const { success } = await (media ? c.env.MEDIA_LIMITER : c.env.ANON_LIMITER).limit({ key: network });
      if (success) return next();
      rememberRefusal(key);
    }
    throw new AppError("rate_limited", `Too many requests from your network; wait ${WINDOW_SECONDS} seconds.`, { retryAfterSeconds: WINDOW_SECONDS });
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
