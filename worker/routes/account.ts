// /api/me/* on the app host: the signed-in photographer's own account. Every route names the
// account from the session alone, never from the request.
import { Hono } from "hono";
import { z } from "zod";
import type { RecoveryCodes, SecurityView, SessionsResponse, TwoFactorSetup } from "../contract/account";
import type { Ok } from "../contract/studios";
import {
  changePassword,
  emailChangeSchema,
  endOtherSessions,
  endSession,
  listSessions,
  passwordChangeSchema,
  requestEmailChange,
  securityOverview,
  sessionListQuery,
} from "../domain/accounts/settings";
import { disableTotp, enableSchema, enableTotp, startTotpSetup } from "../domain/accounts/totp";
import { resendVerification } from "../domain/accounts/verification";
import type { AppEnv } from "../http/context";
import { authRateLimit } from "../http/rate-limit";
import { validate } from "../http/validate";
import { appOrigin } from "../lib/origins";

export const accountRoutes = new Hono<AppEnv>();
const who = (c: { get(k: "session"): { accountId: string; sessionId: string } }) => c.get("session");
const passwordOnly = z.object({ password: z.string().min(1, "is required").max(200) }).strict();

accountRoutes.get("/security", async (c) => c.json((await securityOverview(c.get("directory"), who(c).accountId)) satisfies SecurityView));

accountRoutes.post("/verification", async (c) => c.json(await resendVerification(c.env, c.get("directory"), who(c).accountId, appOrigin(c.env, c.req.raw))));

// Each of these checks a password or a code: the per-IP budget for secrets applies.
accountRoutes.post("/password", authRateLimit, validate("json", passwordChangeSchema), async (c) => {
  await changePassword(c.env.PASSWORD_PEPPER, c.get("directory"), who(c).accountId, who(c).sessionId, c.req.valid("json"));
  return c.json({ ok: true } satisfies Ok);
});

accountRoutes.post("/email", authRateLimit, validate("json", emailChangeSchema), async (c) =>
  c.json(await requestEmailChange(c.env, c.get("directory"), who(c).accountId, c.req.valid("json"), appOrigin(c.env, c.req.raw)), 202),
);

accountRoutes.get("/sessions", validate("query", sessionListQuery), async (c) =>
  c.json((await listSessions(c.get("directory"), who(c).accountId, who(c).sessionId, c.req.valid("query"))) satisfies SessionsResponse),
);

accountRoutes.post("/sessions/end-others", async (c) => c.json(await endOtherSessions(c.get("directory"), who(c).accountId, who(c).sessionId)));

accountRoutes.delete("/sessions/:sessionId", async (c) => {
  await endSession(c.get("directory"), who(c).accountId, c.req.param("sessionId"));
  return c.body(null, 204);
});

accountRoutes.post("/two-factor/setup", async (c) =>
  c.json((await startTotpSetup(c.env.PASSWORD_PEPPER, c.get("directory"), who(c).accountId)) satisfies TwoFactorSetup),
);

accountRoutes.post("/two-factor/enable", authRateLimit, validate("json", enableSchema), async (c) =>
  c.json((await enableTotp(c.env.PASSWORD_PEPPER, c.get("directory"), who(c).accountId, c.req.valid("json"))) satisfies RecoveryCodes),
);

accountRoutes.post("/two-factor/disable", authRateLimit, validate("json", passwordOnly), async (c) => {
  await disableTotp(c.env.PASSWORD_PEPPER, c.get("directory"), who(c).accountId, c.req.valid("json").password);
  return c.json({ ok: true } satisfies Ok);
});
