// Per-IP budget on auth routes through Cloudflare's rate limiting binding (a fixed window of
// `period` seconds; see wrangler.toml). The per-account lockout is the real lock; this stops sprays.
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import type { AppEnv } from "./context";

const WINDOW_SECONDS = 60;

export function clientIp(req: Request): string {
  return req.headers.get("cf-connecting-ip") ?? req.headers.get("x-real-ip") ?? "unknown";
}

/** Takes one guess from this IP's budget for `scope`; throws rate_limited when it is spent. */
export async function spendGuess(c: Context<AppEnv>, scope: string, what: string): Promise<void> {
  const { success } = await c.env.AUTH_LIMITER.limit({ key: `${scope}:${clientIp(c.req.raw)}` });
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
