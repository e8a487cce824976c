// Dashboard sessions in cookies, and the checks every dashboard route sits behind.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { DEVICE_TTL_SECONDS } from "../domain/accounts/lockout";
import { type IssuedSession, isSessionActive, REFRESH_TTL_MS } from "../domain/accounts/sessions";
import { ACCESS_TTL_SECONDS, type Session, signAccessToken, verifyAccessToken } from "../domain/accounts/tokens";
import { membershipOf } from "../domain/studios/directory";
import { AppError } from "../lib/errors";
import type { AppEnv } from "./context";
import { bindTenant } from "./tenant";

// __Host- cookies are bound to this exact host (no Domain, Path=/, Secure): a studio subdomain
// can never read or set the dashboard's session.
export const ACCESS_COOKIE = "__Host-loupe_at";
export const REFRESH_COOKIE = "__Host-loupe_rt";

const base = { path: "/", secure: true, httpOnly: true, sameSite: "Strict" } as const;

export async function setSessionCookies(c: Context<AppEnv>, issued: IssuedSession): Promise<void> {
  const access = await signAccessToken(issued, c.env.JWT_SECRET);
  setCookie(c, ACCESS_COOKIE, access, { ...base, maxAge: ACCESS_TTL_SECONDS });
  setCookie(c, REFRESH_COOKIE, issued.refreshToken, { ...base, maxAge: REFRESH_TTL_MS / 1000 });
}

/** Marks this browser as one that signed in to the account: its own failures lock only itself. */
export const DEVICE_COOKIE = "__Host-loupe_dev";

export function deviceCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, DEVICE_COOKIE);
}

export function setDeviceCookie(c: Context<AppEnv>, token: string): void {
  // Kept after sign-out: it says which browser this is, not who is signed in.
  setCookie(c, DEVICE_COOKIE, token, { ...base, maxAge: DEVICE_TTL_SECONDS });
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  deleteCookie(c, ACCESS_COOKIE, base);
  deleteCookie(c, REFRESH_COOKIE, base);
}

export function refreshCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, REFRESH_COOKIE);
}

export async function accessSession(c: Context<AppEnv>): Promise<Session | null> {
  const token = getCookie(c, ACCESS_COOKIE);
  return token ? verifyAccessToken(token, c.env.JWT_SECRET) : null;
}

/** A valid access token whose session has not been ended (logout and reuse end it at once). */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = await accessSession(c);
  if (!session || !(await isSessionActive(c.get("directory"), session.sessionId))) {
    throw new AppError("unauthenticated", "Sign in to continue (or refresh your session).");
  }
  c.set("session", session);
  await next();
};

/** For /studios/:studioId/*: the caller must be a member; otherwise the studio does not exist. */
export const requireMember: MiddlewareHandler<AppEnv> = async (c, next) => {
  const studioId = c.req.param("studioId");
  const membership = studioId ? await membershipOf(c.get("directory"), c.get("session").accountId, studioId) : undefined;
  if (!membership) throw new AppError("studio_not_found", "No such studio among yours.");
  c.set("membership", membership);
  bindTenant(c, membership.tenant);
  await next();
};

export const requireOwner: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("membership").role !== "owner") {
    throw new AppError("forbidden", "Only a studio owner can do this.");
  }
  await next();
};
