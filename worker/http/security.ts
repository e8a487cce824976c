// Request ids, one JSON log line per request, security headers and the Origin check.
import type { Context, MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { AppError } from "../lib/errors";
import type { AppEnv } from "./context";

// A flood's refusals are counted and logged as one line every few seconds, not one line each: a
// line per refused request is what the flood would cost the logs (and the isolate) otherwise.
const LIMITED_SUMMARY_MS = 10_000;
const limited = { count: 0, since: 0 };

export const requestIdAndLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", requestId);
  const started = Date.now();
  await next();
  c.header("X-Request-Id", requestId);
  if (c.res.status === 429) {
    limited.count += 1;
    if (started - limited.since < LIMITED_SUMMARY_MS) return;
    console.log(JSON.stringify({ level: "warn", msg: "requests refused by a budget", count: limited.count, sinceMs: started - limited.since }));
    limited.count = 0;
    limited.since = started;
    return;
  }
  const url = new URL(c.req.url);
  console.log(
    JSON.stringify({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      requestId,
      method: c.req.method,
      host: c.req.header("host") ?? url.host,
      path: url.pathname,
      status: c.res.status,
      ms: Date.now() - started,
    }),
  );
};

/** The page's own host as a WebSocket origin: the only place its scripts may open a socket to. */
const ownSocketOrigin = (c: Context) => {
  const url = new URL(c.req.url);
  const host = (c.req.header("host") ?? url.host).toLowerCase().replace(/[^a-z0-9.:-]/g, "");
  return `${url.protocol === "https:" ? "wss" : "ws"}://${host}`;
};

const baseHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:", "blob:"],
    connectSrc: ["'self'", ownSocketOrigin],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  strictTransportSecurity: "max-age=63072000; includeSubDomains",
  xContentTypeOptions: "nosniff",
  xFrameOptions: "DENY",
  referrerPolicy: "strict-origin-when-cross-origin",
});

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await baseHeaders(c, next);
  // A studio's logo is shown by mail clients on other origins: brand files may be embedded anywhere.
  if (c.res.status < 400 && new URL(c.req.url).pathname.startsWith("/brand/")) c.res.headers.set("Cross-Origin-Resource-Policy", "cross-origin");
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookies ride along on cross-site requests, so a state-changing request from a browser must come
 * from this very origin. Clients that send no Origin (curl, servers, webhooks) carry no ambient
 * browser credentials and pass.
 */
export const originCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header("origin");
    const url = new URL(c.req.url);
    const host = (c.req.header("host") ?? url.host).toLowerCase();
    const site = c.req.header("sec-fetch-site");
    let sameOrigin = true;
    if (origin !== undefined) {
      try {
        const o = new URL(origin);
        sameOrigin = o.host === host && o.protocol === url.protocol;
      } catch {
        sameOrigin = false; // includes the opaque "null" origin
      }
    } else if (site !== undefined) {
      sameOrigin = site === "same-origin" || site === "none";
    }
    if (!sameOrigin) {
      throw new AppError("origin_mismatch", `Cross-origin ${c.req.method} refused: requests that change data must come from ${host}.`);
    }
  }
  await next();
};
