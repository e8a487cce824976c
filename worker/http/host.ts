// Host → tenant. The app host is the dashboard, <slug>.<root> and custom domains are studios.
// Routing is by host kind: Hono sees the path as /<kind>/<path>, so one route table holds both
// sites and a studio route can never answer on the dashboard host, nor the reverse.
import type { MiddlewareHandler } from "hono";
import { directoryDb } from "../db/directory-db";
import type { TenantRef } from "../db/tenant-db";
import { studioByDomain, studioBySlug } from "../domain/studios/directory";
import { AppError } from "../lib/errors";
import type { AppEnv, HostKind } from "./context";
import { bindTenant } from "./tenant";

/** Lowercase hostname without port or trailing dot: "App.Localhost.:8787" → "app.localhost". */
export function bareHost(host: string): string {
  const h = host.trim().toLowerCase();
  const name = h.startsWith("[") ? h.slice(0, h.indexOf("]") + 1) : h.split(":")[0]!;
  return name.replace(/\.+$/, "");
}

export interface HostInfo {
  kind: HostKind;
  hostname: string;
  /** The studio slug when the host is <slug>.<root>. */
  slug?: string;
}

export function classifyHost(host: string, rootDomain: string): HostInfo {
  const hostname = bareHost(host);
  const root = bareHost(rootDomain);
  if (hostname === root || hostname === `www.${root}`) return { kind: "root", hostname };
  if (hostname === `app.${root}`) return { kind: "app", hostname };
  if (hostname.endsWith(`.${root}`)) {
    const label = hostname.slice(0, -(root.length + 1));
    return label.includes(".") ? { kind: "studio", hostname } : { kind: "studio", hostname, slug: label };
  }
  return { kind: "studio", hostname }; // a custom domain, if the directory knows it
}

function requestHost(req: Request): string {
  return req.headers.get("host") ?? new URL(req.url).host;
}

/** The origin the visitor is on (a studio's subdomain or its own domain), already resolved to its studio. */
export function requestOrigin(req: Request): string {
  return `${new URL(req.url).protocol}//${requestHost(req)
    .toLowerCase()
    .replace(/[^a-z0-9.:-]/g, "")}`;
}

export function hostInfo(req: Request, env: Env): HostInfo {
  return classifyHost(requestHost(req), env.ROOT_DOMAIN);
}

/** Hono's getPath: prefixes the path with the host kind. */
export function pathWithHostKind(req: Request, options?: { env?: Env }): string {
  const env = options?.env;
  const kind = env ? hostInfo(req, env).kind : "root";
  const url = req.url;
  const start = url.indexOf("/", url.indexOf("://") + 3);
  const end = url.indexOf("?", start);
  const path = start < 0 ? "/" : end < 0 ? url.slice(start) : url.slice(start, end);
  // "/" maps to "/<kind>" so that a sub-app's "/" route (mounted at "/<kind>") matches it.
  return path === "/" ? `/${kind}` : `/${kind}${path}`;
}

/** Binds the studio the host names; an unknown host is a 404, never another studio's data. */
// A gallery page asks for dozens of thumbnails at once, each on the studio's host: the host's
// studio is remembered in this isolate for a short while instead of read from the directory
// every time. Only found studios are kept, and a studio's id and shard never change.
const HOST_TTL_MS = 30_000;
const hostCache = new Map<string, { tenant: TenantRef; until: number }>();

export const resolveStudio: MiddlewareHandler<AppEnv> = async (c, next) => {
  const info = hostInfo(c.req.raw, c.env);
  const cached = hostCache.get(info.hostname);
  let tenant = cached && cached.until > Date.now() ? cached.tenant : undefined;
  if (!tenant) {
    const dir = c.get("directory");
    tenant = (info.slug ? await studioBySlug(dir, info.slug) : await studioByDomain(dir, info.hostname)) ?? undefined;
    if (!tenant) throw new AppError("studio_not_found", `No studio lives at ${info.hostname}.`);
    if (hostCache.size > 10_000) hostCache.clear();
    hostCache.set(info.hostname, { tenant, until: Date.now() + HOST_TTL_MS });
  }
  bindTenant(c, tenant);
  await next();
};

/** A removed domain stops serving in this isolate at once (others forget it within HOST_TTL_MS). */
export function forgetHost(hostname: string): void {
  hostCache.delete(hostname);
}

export const withDirectory: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("directory", directoryDb(c.env));
  await next();
};
