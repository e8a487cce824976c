// Readiness: every D1 answers a query against a table its migrations create (so an unmigrated
// shard is reported, not just a missing one), and R2 answers a HEAD.
import { shardIndexes } from "./shards";

export interface BindingCheck {
  binding: string;
  ok: boolean;
  error?: string;
}

async function check(binding: string, probe: () => Promise<unknown>): Promise<BindingCheck> {
  try {
    await probe();
    return { binding, ok: true };
  } catch (err) {
    // /readyz answers on every host, so the detail goes to the log, not the response.
    console.error(JSON.stringify({ level: "error", msg: "readiness check failed", binding, error: String(err) }));
    return { binding, ok: false, error: err instanceof Error && err.message === "binding missing" ? "binding missing" : "query failed" };
  }
}

function d1(env: Env, name: string): D1Database {
  const b = (env as unknown as Record<string, D1Database | undefined>)[name];
  if (!b) throw new Error("binding missing");
  return b;
}

export async function checkBindings(env: Env): Promise<BindingCheck[]> {
  const checks = [
    check("DIRECTORY", () => d1(env, "DIRECTORY").prepare("SELECT 1 FROM tenants LIMIT 1").all()),
    ...shardIndexes(env).map((i) => check(`TENANT_DB_${i}`, () => d1(env, `TENANT_DB_${i}`).prepare("SELECT 1 FROM studio_profiles LIMIT 1").all())),
    check("MEDIA", async () => {
      if (!env.MEDIA) throw new Error("binding missing");
      await env.MEDIA.head("readyz-probe");
    }),
  ];
  return Promise.all(checks);
}
