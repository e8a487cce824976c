// The Hono app: one pipeline for every host, then the route table of each host kind.
import { Hono } from "hono";
import { isBinary } from "./http/binary";
import { limitBody } from "./http/body-limit";
import type { AppEnv } from "./http/context";
import { pathWithHostKind, withDirectory } from "./http/host";
import { errorResponse, onError } from "./http/on-error";
import { strangerBudget } from "./http/rate-limit";
import { originCheck, requestIdAndLog, securityHeaders } from "./http/security";
import { AppError } from "./lib/errors";
import { appOrigin } from "./lib/origins";
import { authRoutes } from "./routes/auth";
import { dashboardPages } from "./routes/dashboard";
import { healthRoutes } from "./routes/health";
import { siteRoutes } from "./routes/site";
import { studioRoutes } from "./routes/studios";
import { labImageRoutes, webhookRoutes } from "./routes/webhooks";

async function assetParts(env: Env, req: Request): Promise<[BodyInit | null, ResponseInit]> {
  const res = await env.ASSETS.fetch(req);
  return [res.body, { status: res.status, headers: new Headers(res.headers) }];
}

export const HOST_KINDS = ["app", "studio", "root"] as const;

export const app = new Hono<AppEnv>({ getPath: pathWithHostKind });

app.use("*", requestIdAndLog, securityHeaders, withDirectory, originCheck);
app.onError(onError);
app.notFound((c) => errorResponse(new AppError("not_found", "There is nothing at this address."), c));

for (const kind of HOST_KINDS) {
  app.route(`/${kind}`, healthRoutes);
  // Re-wrapped: the assets binding answers with immutable headers, and ours are added after.
  app.get(`/${kind}/assets/*`, async (c) => new Response(...(await assetParts(c.env, c.req.raw))));
  // Browsers ask for /favicon.ico whatever the page links; one icon serves every host.
  app.get(`/${kind}/favicon.ico`, (c) => c.redirect("/assets/favicon.svg", 301));
}

// The dashboard host. JSON bodies are small; binary uploads carry their own limits (http/binary).
const jsonLimit = limitBody(64 * 1024, () => new AppError("payload_too_large", "The request body is over 64 KB."));
// A whole gallery's new order names every photo: 5,000 ids are about 110 KB.
const orderLimit = limitBody(192 * 1024, () => new AppError("payload_too_large", "The request body is over 192 KB."));
const PHOTO_ORDER = /^\/app\/api\/studios\/[^/]+\/galleries\/[^/]+\/photos\/order$/;
app.use("/app/api/*", (c, next) => {
  if (isBinary(c.req.header("content-type"))) return next();
  return (PHOTO_ORDER.test(c.req.path) ? orderLimit : jsonLimit)(c, next);
});
app.use("/studio/*", strangerBudget, jsonLimit);
app.route("/app/api/auth", authRoutes);
app.route("/app/api", studioRoutes);
app.route("/app/webhooks", webhookRoutes);
app.route("/app/lab", labImageRoutes);
app.route("/app", dashboardPages);

// Studio websites.
app.route("/studio", siteRoutes);

// The bare root domain sends people to the dashboard.
app.get("/root", (c) => c.redirect(`${appOrigin(c.env, c.req.raw)}/`, 302));
