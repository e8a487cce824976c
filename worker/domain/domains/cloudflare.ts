// Cloudflare for SaaS's custom-hostname API, the three calls Loupe needs: create, read, delete.
// Written over fetch rather than with the `cloudflare` SDK: three endpoints do not justify a
// client for Cloudflare's whole API in every isolate, and zod checks the answers either way.
import { z } from "zod";
import { AppError } from "../../lib/errors";

const DEFAULT_API = "https://api.cloudflare.com/client/v4";

const hostnameResult = z.object({
  id: z.string(),
  hostname: z.string(),
  status: z.string().default("pending"),
  verification_errors: z.array(z.string()).optional(),
  ownership_verification: z.object({ type: z.string(), name: z.string(), value: z.string() }).partial().optional(),
  ssl: z
    .object({
      status: z.string().default("initializing"),
      method: z.string().optional(),
      validation_records: z.array(z.object({ txt_name: z.string(), txt_value: z.string() }).partial()).optional(),
      validation_errors: z.array(z.object({ message: z.string() })).optional(),
    })
    .default({ status: "initializing" }),
});
export type CustomHostname = z.infer<typeof hostnameResult>;

const envelope = z.object({
  success: z.boolean(),
  errors: z.array(z.object({ code: z.number(), message: z.string() })).default([]),
  result: z.unknown(),
});

export interface SaasConfig {
  api: string;
  zoneId: string;
  token: string;
  target: string;
}

/** The deployment's Cloudflare for SaaS settings, or null when custom domains are off. */
export function saasConfig(env: Env): SaasConfig | null {
  if (!env.CF_API_TOKEN || !env.CF_ZONE_ID || !env.CUSTOM_DOMAIN_TARGET) return null;
  return { api: env.CF_API_URL || DEFAULT_API, zoneId: env.CF_ZONE_ID, token: env.CF_API_TOKEN, target: env.CUSTOM_DOMAIN_TARGET };
}

// Cloudflare's "duplicate custom hostname" error: the hostname is already in some SaaS zone.
const DUPLICATE = 1406;

async function call(cfg: SaasConfig, method: string, path: string, body?: unknown): Promise<{ status: number; result: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${cfg.api}/zones/${cfg.zoneId}/custom_hostnames${path}`, {
      method,
      headers: { authorization: `Bearer ${cfg.token}`, ...(body !== undefined && { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new AppError("domains_unavailable", `Cloudflare could not be reached (${String(err)}); try again in a minute.`, { retryAfterSeconds: 60 });
  }
  // A hostname that is gone is an answer for a read or a delete; for a create it is a wrong zone.
  if (res.status === 404 && method !== "POST") return { status: 404, result: null };
  const parsed = envelope.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new AppError("domains_unavailable", `Cloudflare answered ${res.status} with no usable body; try again in a minute.`);
  if (!parsed.data.success) {
    const errors = parsed.data.errors;
    if (errors.some((e) => e.code === DUPLICATE)) {
      throw new AppError("domain_taken", "hostname: this domain is already set up with Cloudflare for another site; remove it there first.");
    }
    const said = errors.map((e) => `${e.message} (${e.code})`).join("; ") || `status ${res.status}`;
    // A 4xx that is not ours to retry is Cloudflare refusing this hostname; the rest is an outage.
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403 && res.status !== 429) {
      throw new AppError("invalid_input", `hostname: Cloudflare refused it: ${said}.`);
    }
    throw new AppError("domains_unavailable", `Cloudflare could not take the change: ${said}. Try again in a minute.`);
  }
  return { status: res.status, result: parsed.data.result };
}

export async function createHostname(cfg: SaasConfig, hostname: string): Promise<CustomHostname> {
  // HTTP validation: once the CNAME is in place Cloudflare proves ownership and issues the
  // certificate by itself, with no second record for the photographer to copy.
  const { result } = await call(cfg, "POST", "", { hostname, ssl: { method: "http", type: "dv" } });
  return hostnameResult.parse(result);
}

/** The hostname as Cloudflare has it now, or null if it is gone. */
export async function readHostname(cfg: SaasConfig, id: string): Promise<CustomHostname | null> {
  const { status, result } = await call(cfg, "GET", `/${encodeURIComponent(id)}`);
  return status === 404 ? null : hostnameResult.parse(result);
}

/** The hostname of this name in Loupe's zone, if Cloudflare has one (an earlier attempt's leftover). */
export async function findHostname(cfg: SaasConfig, hostname: string): Promise<CustomHostname | null> {
  const { result } = await call(cfg, "GET", `?hostname=${encodeURIComponent(hostname)}`);
  return (
    z
      .array(hostnameResult)
      .parse(result ?? [])
      .find((h) => h.hostname === hostname) ?? null
  );
}

/** Deletes it; one already gone counts as deleted. */
export async function deleteHostname(cfg: SaasConfig, id: string): Promise<void> {
  await call(cfg, "DELETE", `/${encodeURIComponent(id)}`);
}
