// A studio's own domains: added as custom hostnames at Cloudflare for SaaS, refreshed from what
// Cloudflare reports, serving the studio only once the hostname and its certificate are active.
import { and, asc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { DnsRecord, DomainView } from "../../contract/domains";
import type { DirectoryDb } from "../../db/directory-db";
import { domains } from "../../db/directory-schema";
import type { TenantDb } from "../../db/tenant-db";
import { AppError } from "../../lib/errors";
import { requireConfirmedStudio } from "../accounts/verification";
import { countAttempt } from "../limits/attempts";
import { type CustomHostname, createHostname, deleteHostname, findHostname, readHostname, type SaasConfig, saasConfig } from "./cloudflare";
import { domainState, viewOf } from "./view";

export const DOMAIN_LIMIT = 3;

// Lowercase labels of letters, digits and inner hyphens, and a top-level label of letters (or
// punycode): no IP addresses, no ports, no single-label names.
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export const domainInputSchema = z
  .object({
    hostname: z
      .string()
      .trim()
      .toLowerCase()
      .transform((h) => h.replace(/\.$/, ""))
      .pipe(z.string().regex(HOSTNAME, "must be a domain name such as photos.yourstudio.com, with no https:// or path")),
  })
  .strict();
export type DomainInput = z.infer<typeof domainInputSchema>;

export const domainParamSchema = z.object({ hostname: z.string().min(1).max(253) });

function requireSaas(env: Env): SaasConfig {
  const cfg = saasConfig(env);
  if (!cfg) throw new AppError("domains_unavailable", "Custom domains are not set up on this Loupe deployment (see README: Custom domains).");
  return cfg;
}

function refuseOwn(env: Env, hostname: string, cfg: SaasConfig): void {
  const root = env.ROOT_DOMAIN.replace(/:\d+$/, "");
  for (const own of [root, cfg.target]) {
    if (hostname === own || hostname.endsWith(`.${own}`)) {
      throw new AppError("domain_reserved", `hostname: ${hostname} is Loupe's own; use a domain your studio owns, such as photos.yourstudio.com.`);
    }
  }
}

// The refusal does not echo the hostname: whose it is, if anyone's, is not this caller's business.
async function ownRow(dir: DirectoryDb, tenantId: string, hostname: string) {
  const row = await dir
    .select()
    .from(domains)
    .where(and(eq(domains.tenantId, tenantId), eq(domains.hostname, hostname)))
    .get();
  if (!row) throw new AppError("not_found", "hostname: not one of this studio's domains.");
  return row;
}

/** What the row keeps of Cloudflare's answer. */
function fromCloudflare(cf: CustomHostname, target: string) {
  const records: DnsRecord[] = [{ type: "CNAME", name: cf.hostname, value: target, purpose: "Points your domain at your Loupe website." }];
  const own = cf.ownership_verification;
  if (own?.name && own.value) {
    records.push({ type: "TXT", name: own.name, value: own.value, purpose: "Optional: proves the domain is yours before the CNAME is switched over." });
  }
  for (const r of cf.ssl.method === "txt" ? (cf.ssl.validation_records ?? []) : []) {
    if (r.txt_name && r.txt_value) records.push({ type: "TXT", name: r.txt_name, value: r.txt_value, purpose: "Lets Cloudflare issue the certificate." });
  }
  const problems = [...(cf.verification_errors ?? []), ...(cf.ssl.validation_errors ?? []).map((e) => e.message)];
  const state = domainState(cf.status, cf.ssl.status);
  return {
    cfId: cf.id,
    status: cf.status,
    sslStatus: cf.ssl.status,
    serving: state === "serving",
    records: JSON.stringify(records),
    problems: JSON.stringify(problems),
    checkedAt: Date.now(),
  };
}

/** The studio's own serving domain as an origin, for links clients get; null: its Loupe address. */
export async function servingOrigin(dir: DirectoryDb, tenantId: string): Promise<string | null> {
  const row = await dir
    .select({ hostname: domains.hostname })
    .from(domains)
    .where(and(eq(domains.tenantId, tenantId), eq(domains.serving, true)))
    .orderBy(asc(domains.createdAt))
    .get();
  return row ? `https://${row.hostname}` : null;
}

export async function listDomains(dir: DirectoryDb, tenantId: string): Promise<DomainView[]> {
  const rows = await dir
    .select()
    .from(domains)
    .where(eq(domains.tenantId, tenantId))
    .orderBy(asc(domains.createdAt))
    .limit(DOMAIN_LIMIT * 2);
  return rows.map(viewOf);
}

export async function addDomain(env: Env, dir: DirectoryDb, tdb: TenantDb, input: DomainInput): Promise<DomainView> {
  const cfg = requireSaas(env);
  const tenantId = tdb.tenantId;
  const { hostname } = input;
  refuseOwn(env, hostname, cfg);
  await requireConfirmedStudio(dir, tenantId, "custom domains wait");
  await countAttempt(tdb, "domainAdds", tenantId);
  // The row claims the hostname before Cloudflare is asked, so two studios racing for one domain
  // cannot both get it; and it is written only while the studio is under its limit, in the one
  // statement, so two adds at once cannot both pass a count read before either was written.
  const claimed = await dir.all<{ hostname: string }>(sql`
    INSERT INTO ${domains} (hostname, tenant_id, status, ssl_status, serving)
    SELECT ${hostname}, ${tenantId}, 'pending', 'initializing', 0
    WHERE (SELECT count(*) FROM ${domains} WHERE tenant_id = ${tenantId}) < ${DOMAIN_LIMIT}
    ON CONFLICT DO NOTHING
    RETURNING hostname`);
  if (claimed.length === 0) {
    const holder = await dir.select({ tenantId: domains.tenantId }).from(domains).where(eq(domains.hostname, hostname)).get();
    if (!holder) throw new AppError("domain_limit", `A studio can have at most ${DOMAIN_LIMIT} domains; remove one first.`);
    throw new AppError(
      "domain_taken",
      holder.tenantId === tenantId ? `hostname: ${hostname} is already one of this studio's domains.` : `hostname: ${hostname} belongs to another studio.`,
    );
  }
  let cf: CustomHostname;
  try {
    cf = await createHostname(cfg, hostname);
  } catch (err) {
    // Cloudflare may have made it and then failed to say so, or still hold one of an earlier failed
    // attempt. The claim is this studio's now, so a hostname of this name in Loupe's zone is its own.
    const leftover = err instanceof AppError && err.code !== "invalid_input" ? await findHostname(cfg, hostname).catch(() => null) : null;
    if (!leftover) {
      await dir.delete(domains).where(and(eq(domains.hostname, hostname), eq(domains.tenantId, tenantId)));
      throw err;
    }
    cf = leftover;
  }
  await dir
    .update(domains)
    .set(fromCloudflare(cf, cfg.target))
    .where(and(eq(domains.hostname, hostname), eq(domains.tenantId, tenantId)));
  return viewOf(await ownRow(dir, tenantId, hostname));
}

/** A claim that never reached Cloudflare (the worker stopped between the two): what Cloudflare has of it, if anything. */
const unfinished = (row: typeof domains.$inferSelect) => !row.cfId && !row.serving;

export async function refreshDomain(env: Env, dir: DirectoryDb, tenantId: string, hostname: string): Promise<DomainView> {
  const row = await ownRow(dir, tenantId, hostname);
  if (!row.cfId && row.serving) return viewOf(row); // set up by hand before domains were added here
  const cfg = requireSaas(env);
  const cf = row.cfId ? await readHostname(cfg, row.cfId) : await findHostname(cfg, hostname);
  const patch = cf
    ? fromCloudflare(cf, cfg.target)
    : { status: "deleted", sslStatus: "deleted", serving: false, problems: JSON.stringify(["Cloudflare no longer has this domain."]), checkedAt: Date.now() };
  // Bound to the row read: a domain removed and claimed by another studio meanwhile is not touched.
  const same = row.cfId ? eq(domains.cfId, row.cfId) : isNull(domains.cfId);
  await dir
    .update(domains)
    .set(patch)
    .where(and(eq(domains.hostname, hostname), eq(domains.tenantId, tenantId), same));
  return viewOf(await ownRow(dir, tenantId, hostname));
}

/** The studio's "Check now": a refresh, on a budget of its own. */
export async function checkDomainNow(env: Env, dir: DirectoryDb, tdb: TenantDb, hostname: string): Promise<DomainView> {
  await ownRow(dir, tdb.tenantId, hostname);
  await countAttempt(tdb, "domainChecks", tdb.tenantId);
  return refreshDomain(env, dir, tdb.tenantId, hostname);
}

export async function removeDomain(env: Env, dir: DirectoryDb, tenantId: string, hostname: string): Promise<void> {
  const row = await ownRow(dir, tenantId, hostname);
  const cfId = row.cfId ?? (unfinished(row) ? (await findHostname(requireSaas(env), hostname))?.id : undefined);
  if (cfId) await deleteHostname(requireSaas(env), cfId);
  await dir.delete(domains).where(and(eq(domains.hostname, hostname), eq(domains.tenantId, tenantId)));
}

// Per cron run: a pending domain is checked every ten minutes, a serving one about once a day
// (a studio can move its DNS away), a few dozen at a time. A claim never verified in two weeks is
// released, so nobody can hold a domain they cannot point at Loupe.
const PER_RUN = 25;
const SERVING_RECHECK_MS = 24 * 60 * 60 * 1000;
export const CLAIM_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export async function refreshDomains(env: Env, dir: DirectoryDb, now = Date.now()): Promise<number> {
  if (!saasConfig(env)) return 0;
  const pending = await dir.select().from(domains).where(eq(domains.serving, false)).orderBy(asc(domains.checkedAt)).limit(PER_RUN);
  const stale = await dir
    .select()
    .from(domains)
    .where(and(eq(domains.serving, true), isNotNull(domains.cfId), lt(domains.checkedAt, now - SERVING_RECHECK_MS)))
    .orderBy(asc(domains.checkedAt))
    .limit(PER_RUN);
  let checked = 0;
  for (const row of [...pending, ...stale]) {
    try {
      if (!row.serving && row.createdAt < now - CLAIM_TTL_MS) await removeDomain(env, dir, row.tenantId, row.hostname);
      else await refreshDomain(env, dir, row.tenantId, row.hostname);
      checked++;
    } catch (err) {
      // One domain's trouble (an outage, an odd answer) must not stop the others being checked.
      await dir
        .update(domains)
        .set({ checkedAt: now })
        .where(and(eq(domains.hostname, row.hostname), eq(domains.tenantId, row.tenantId)));
      console.error(JSON.stringify({ level: "error", msg: "domain check failed", hostname: row.hostname, error: String(err) }));
    }
  }
  return checked;
}
