// /api/auth/* on the app host: sign-up, sign-in, refresh, sign-out, invite acceptance.

import { type Context, Hono } from "hono";
import type { MeResponse, Ok, SecondFactorNeeded } from "../contract/studios";
import { accountOverview } from "../domain/accounts/account";
import { type LoginOutcome, login, secondFactorLogin } from "../domain/accounts/login";
import { forgotSchema, requestPasswordReset, resetPassword, resetSchema } from "../domain/accounts/recovery";
import { loginSchema, signupSchema } from "../domain/accounts/schemas";
import { endSessionByRefreshToken, revokeSession, rotateRefreshToken, startSession } from "../domain/accounts/sessions";
import { signUp } from "../domain/accounts/signup";
import { secondFactorStepSchema } from "../domain/accounts/totp";
import { confirmEmail, confirmSchema } from "../domain/accounts/verification";
import { acceptInvite, acceptInviteSchema } from "../domain/studios/members";
import { accessSession, clearSessionCookies, deviceCookie, refreshCookie, setDeviceCookie, setSessionCookies } from "../http/auth";
import type { AppEnv } from "../http/context";
import { authRateLimit, clientNetwork, sessionUpkeepLimit } from "../http/rate-limit";
import { validate } from "../http/validate";
import { AppError } from "../lib/errors";
import { appOrigin } from "../lib/origins";

export const authRoutes = new Hono<AppEnv>();
// Everything here checks a secret and draws on the sign-in budget, except refresh and sign-out.

authRoutes.post("/signup", authRateLimit, validate("json", signupSchema), async (c) => {
  const dir = c.get("directory");
  const result = await signUp(c.env, dir, c.req.valid("json"), appOrigin(c.env, c.req.raw));
  await setSessionCookies(c, await startSession(dir, result.account.id, c.req.header("user-agent") ?? null));
  return c.json(result, 201);
});

authRoutes.post("/login", authRateLimit, validate("json", loginSchema), async (c) => {
  const dir = c.get("directory");
  const client = { ip: clientNetwork(c.req.raw), deviceToken: deviceCookie(c) };
  const outcome = await login(dir, { pepper: c.env.PASSWORD_PEPPER, jwt: c.env.JWT_SECRET }, c.req.valid("json"), client);
  return signedIn(c, outcome);
});

authRoutes.post("/login/second-factor", authRateLimit, validate("json", secondFactorStepSchema), async (c) => {
  const client = { ip: clientNetwork(c.req.raw), deviceToken: deviceCookie(c) };
  return signedIn(c, await secondFactorLogin(c.get("directory"), { pepper: c.env.PASSWORD_PEPPER, jwt: c.env.JWT_SECRET }, c.req.valid("json"), client));
});

/** A finished sign-in starts a session; one waiting for its second factor answers with the challenge. */
async function signedIn(c: Context<AppEnv>, outcome: LoginOutcome) {
  if ("challenge" in outcome) return c.json({ secondFactor: true, challenge: outcome.challenge } satisfies SecondFactorNeeded);
  const dir = c.get("directory");
  if (outcome.deviceToken) setDeviceCookie(c, outcome.deviceToken);
  await setSessionCookies(c, await startSession(dir, outcome.accountId, c.req.header("user-agent") ?? null));
  return c.json((await accountOverview(dir, outcome.accountId)) satisfies MeResponse);
}

authRoutes.post("/refresh", sessionUpkeepLimit, async (c) => {
  const token = refreshCookie(c);
  if (!token) throw new AppError("refresh_invalid", "No session to refresh; sign in again.");
  try {
    await setSessionCookies(c, await rotateRefreshToken(c.get("directory"), token));
  } catch (err) {
    clearSessionCookies(c);
    throw err;
  }
  return c.json({ ok: true } satisfies Ok);
});

// Works with an expired access token too: the refresh cookie names the session to end.
authRoutes.post("/logout", sessionUpkeepLimit, async (c) => {
  const dir = c.get("directory");
  const token = refreshCookie(c);
  if (token) await endSessionByRefreshToken(dir, token);
  const session = await accessSession(c);
  if (session) await revokeSession(dir, session.sessionId, "logout");
  clearSessionCookies(c);
  return c.json({ ok: true } satisfies Ok);
});

authRoutes.post("/invites/accept", authRateLimit, validate("json", acceptInviteSchema), async (c) => {
  const dir = c.get("directory");
  const client = { ip: clientNetwork(c.req.raw), deviceToken: deviceCookie(c) };
  const joined = await acceptInvite(dir, { pepper: c.env.PASSWORD_PEPPER, jwt: c.env.JWT_SECRET }, c.req.valid("json"), client);
  await setSessionCookies(c, await startSession(dir, joined.account.id, c.req.header("user-agent") ?? null));
  return c.json(joined, 201);
});

// The same answer whether or not the address has an account.
authRoutes.post("/password/forgot", authRateLimit, validate("json", forgotSchema), async (c) => {
  await requestPasswordReset(c.env, c.get("directory"), c.req.valid("json").email, appOrigin(c.env, c.req.raw));
  return c.json({ ok: true } satisfies Ok, 202);
});

authRoutes.post("/password/reset", authRateLimit, validate("json", resetSchema), async (c) => {
  const { email } = await resetPassword(c.env, c.get("directory"), c.req.valid("json"));
  clearSessionCookies(c);
  return c.json({ ok: true, email } satisfies Ok & { email: string });
});

authRoutes.post("/email/confirm", authRateLimit, validate("json", confirmSchema), async (c) =>
  c.json({ ok: true, ...(await confirmEmail(c.env, c.get("directory"), c.req.valid("json").token)) } satisfies Ok & { email: string }),
);
