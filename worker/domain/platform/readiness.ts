// Whether this deployment can serve: every D1 binding answers a query against its migrated
// tables and R2 answers, and what fails is named (bindings only; the detail goes to the log).
import { type BindingCheck, checkBindings } from "../../db/health";

export type Readiness =
  | { status: "ready"; checks: BindingCheck[] }
  | { status: "not_ready"; error: { code: "not_ready"; message: string }; checks: BindingCheck[] };

export async function readiness(env: Env): Promise<Readiness> {
  const checks = await checkBindings(env);
  const failing = checks.filter((ch) => !ch.ok);
  if (failing.length === 0) return { status: "ready", checks };
  const message = `Not ready: ${failing.map((f) => `${f.binding} (${f.error})`).join(", ")}`;
  return { status: "not_ready", error: { code: "not_ready", message }, checks };
}
