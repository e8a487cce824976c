// A studio's storage: originals, masters and derivatives count; photos still uploading count at
// their declared size so parallel uploads cannot overrun the quota between them.
import { eq } from "drizzle-orm";
import type { StorageView } from "../../contract/photos";
import type { DirectoryDb } from "../../db/directory-db";
import { tenants } from "../../db/directory-schema";
import type { TenantDb } from "../../db/tenant-db";
import { storageUsage } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { DERIVATIVE_RESERVE, MiB, PLAN_QUOTA_BYTES } from "./limits";

/**
 * Bytes held: each photo's original plus its masters and derivatives, or DERIVATIVE_RESERVE for
 * them while they are smaller or not made yet. Triggers on photos keep the sum in storage_usage
 * (migration 0020, whose SQL has the reserve written out), so this is one row, not a scan of
 * every photo the studio has on each upload.
 */
export async function storageUsed(tdb: TenantDb): Promise<number> {
  return (await tdb.first(storageUsage))?.used ?? 0;
}

/** What the studio's storage holds, by kind, against its quota, for the dashboard. */
export async function storageOverview(tdb: TenantDb, dir: DirectoryDb): Promise<StorageView> {
  const [row, quota] = await Promise.all([tdb.first(storageUsage), storageQuota(dir, tdb.tenantId)]);
  const used = row?.used ?? 0;
  return {
    originals: row?.originals ?? 0,
    masters: row?.masters ?? 0,
    derivatives: row?.derivatives ?? 0,
    used,
    quota,
    nearlyFull: used >= quota * NEARLY_FULL,
  };
}

/** From here the dashboard says what to do before uploads are refused. */
export const NEARLY_FULL = 0.9;

export async function storageQuota(dir: DirectoryDb, tenantId: string): Promise<number> {
  const row = await dir
    .select({ plan: tenants.plan, quota: tenants.storageQuotaBytes, addon: tenants.storageAddonBytes })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  if (!row) throw new AppError("studio_not_found", "No such studio.");
  // The plan's quota (or one set by hand for this studio) plus storage bought as add-ons.
  return (row.quota ?? PLAN_QUOTA_BYTES[row.plan]) + row.addon;
}

function quotaError(filename: string, bytes: number, used: number, quota: number): AppError {
  const free = Math.max(0, quota - used);
  return new AppError(
    "quota_exceeded",
    `"${filename}" (${(bytes / MiB).toFixed(1)} MB) does not fit: ${(free / MiB).toFixed(1)} MB of the studio's ${(quota / MiB).toFixed(0)} MB storage is left.`,
  );
}

/** Refuses `extra` more bytes (what a new upload would add, reserve included) over the quota. */
export async function assertRoomFor(tdb: TenantDb, quota: number, filename: string, bytes: number, extra = bytes + DERIVATIVE_RESERVE): Promise<void> {
  const used = await storageUsed(tdb);
  if (used + extra > quota) throw quotaError(filename, bytes, used, quota);
}

/**
 * After a photo row is written: checks and unwinds can race, so the invariant is verified on what
 * is actually stored. Concurrent uploads that together overrun the quota are refused.
 */
export async function assertWithinQuota(tdb: TenantDb, quota: number, filename: string, bytes: number, undo: () => Promise<void>): Promise<void> {
  const used = await storageUsed(tdb);
  if (used > quota) {
    await undo();
    throw quotaError(filename, bytes, used - bytes - DERIVATIVE_RESERVE, quota);
  }
}
