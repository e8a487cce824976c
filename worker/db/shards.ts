// Tenant shards are the TENANT_DB_<n> bindings in wrangler.toml; adding one is a binding, a
// migration run and a deploy. Nothing else in the code names a shard.
import { count, eq } from "drizzle-orm";
import { type DirectoryDb, directoryDb } from "./directory-db";
import { tenants } from "./directory-schema";
import { TenantDb, type TenantRef } from "./tenant-db";

const SHARD_BINDING = /^TENANT_DB_(\d+)$/;

export function shardIndexes(env: Env): number[] {
  return Object.keys(env)
    .map((k) => SHARD_BINDING.exec(k)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export function shardBinding(env: Env, shard: number): D1Database {
  const d1 = (env as unknown as Record<string, D1Database | undefined>)[`TENANT_DB_${shard}`];
  if (!d1) throw new Error(`tenant shard ${shard} has no TENANT_DB_${shard} binding`);
  return d1;
}

export function tenantDb(env: Env, tenant: TenantRef): TenantDb {
  return new TenantDb(shardBinding(env, tenant.shard), tenant, { mailQueue: env.MAIL_QUEUE, labQueue: env.LAB_QUEUE });
}

/** For work that names a studio by id (a queue message, a room): null once the studio is gone. */
export async function tenantDbById(env: Env, tenantId: string): Promise<TenantDb | null> {
  const tenant = await directoryDb(env)
    .select({ id: tenants.id, slug: tenants.slug, shard: tenants.shard })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  return tenant ? tenantDb(env, tenant) : null;
}

/** New studios go to the shard holding the fewest tenants (lowest index on a tie). */
export async function pickShard(env: Env, dir: DirectoryDb): Promise<number> {
  const rows = await dir.select({ shard: tenants.shard, n: count() }).from(tenants).groupBy(tenants.shard);
  const load = new Map(rows.map((r) => [r.shard, r.n]));
  let best = -1;
  let bestLoad = Infinity;
  for (const shard of shardIndexes(env)) {
    const n = load.get(shard) ?? 0;
    if (n < bestLoad) [best, bestLoad] = [shard, n];
  }
  if (best < 0) throw new Error("no TENANT_DB_<n> binding is configured");
  return best;
}
