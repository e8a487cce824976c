// Finding studios: by host for the public website, by membership for the dashboard.

import { and, eq } from "drizzle-orm";
import type { Membership } from "../../contract/studios";
import { inChunks } from "../../db/chunks";
import type { DirectoryDb } from "../../db/directory-db";
import { domains, memberships, tenants } from "../../db/directory-schema";
import type { TenantRef } from "../../db/tenant-db";

const tenantRef = { id: tenants.id, slug: tenants.slug, shard: tenants.shard };

export async function studioBySlug(dir: DirectoryDb, slug: string): Promise<TenantRef | undefined> {
  return dir.select(tenantRef).from(tenants).where(eq(tenants.slug, slug)).get();
}

/** The studios of these ids that still exist (a few statements for many ids: D1 binds at most 100). */
export async function studiosByIds(dir: DirectoryDb, ids: string[]): Promise<TenantRef[]> {
  return inChunks(tenants.id, ids, (inChunk) => dir.select(tenantRef).from(tenants).where(inChunk));
}

/** Only a domain whose hostname and certificate are both active serves its studio. */
export async function studioByDomain(dir: DirectoryDb, hostname: string): Promise<TenantRef | undefined> {
  return dir
    .select(tenantRef)
    .from(domains)
    .innerJoin(tenants, eq(tenants.id, domains.tenantId))
    .where(and(eq(domains.hostname, hostname), eq(domains.serving, true)))
    .get();
}

/** The caller's membership of a studio, or undefined: a studio you are not in does not exist for you. */
export async function membershipOf(dir: DirectoryDb, accountId: string, tenantId: string): Promise<Membership | undefined> {
  const row = await dir
    .select({ ...tenantRef, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.accountId, accountId), eq(memberships.tenantId, tenantId)))
    .get();
  return row && { tenant: { id: row.id, slug: row.slug, shard: row.shard }, role: row.role };
}

export async function membershipsOf(dir: DirectoryDb, accountId: string): Promise<Membership[]> {
  const rows = await dir
    .select({ ...tenantRef, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.accountId, accountId))
    .orderBy(tenants.slug);
  return rows.map((r) => ({ tenant: { id: r.id, slug: r.slug, shard: r.shard }, role: r.role }));
}
