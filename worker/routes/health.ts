// Liveness and readiness, answered on every host.
import { Hono } from "hono";
import { checkBindings } from "../db/health";
import type { AppEnv } from "../http/context";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/healthz", (c) => c.json({ status: "up" }));

healthRoutes.get("/readyz", async (c) => {
  const checks = await checkBindings(c.env);
  const failing = checks.filter((ch) => !ch.ok);
  c.header("Cache-Control", "no-store");
  if (failing.length === 0) return c.json({ status: "ready", checks });
  return c.json(
    {
      status: "not_ready",
      error: { code: "not_ready", message: `Not ready: ${failing.map((f) => `${f.binding} (${f.error})`).join(", ")}` },
      checks,
    },
    503,
  );
});
