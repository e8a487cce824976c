// Liveness and readiness, answered on every host.
import { Hono } from "hono";
import { readiness } from "../domain/platform/readiness";
import type { AppEnv } from "../http/context";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/healthz", (c) => c.json({ status: "up" }));

healthRoutes.get("/readyz", async (c) => {
  const ready = await readiness(c.env);
  c.header("Cache-Control", "no-store");
  return c.json(ready, ready.status === "ready" ? 200 : 503);
});
