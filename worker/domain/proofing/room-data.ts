// What a gallery room reads from its tenant's D1: which studio shard it lives on, which photos
// the gallery has (picks and comments must name one) and the gallery's selection rules.
import { and, eq } from "drizzle-orm";
import { directoryDb } from "../../db/directory-db";
import { tenants } from "../../db/directory-schema";
import { tenantDb } from "../../db/shards";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, photos } from "../../db/tenant-schema";
import type { SelectionRules } from "../galleries/settings";

/** `<tenantId>:<galleryId>`, the only way a room is named; clients never pick one. */
export function roomName(tenantId: string, galleryId: string): string {
  return `${tenantId}:${galleryId}`;
}

export function parseRoomName(name: string): { tenantId: string; galleryId: string } {
  const [tenantId, galleryId, ...rest] = name.split(":");
  if (!tenantId || !galleryId || rest.length > 0) throw new Error(`not a room name: ${name}`);
  return { tenantId, galleryId };
}

export async function roomTenantDb(env: Env, tenantId: string): Promise<TenantDb | null> {
  const tenant = await directoryDb(env)
    .select({ id: tenants.id, slug: tenants.slug, shard: tenants.shard })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  return tenant ? tenantDb(env, tenant) : null;
}

export interface RoomGallery {
  photoIds: string[];
  selection: SelectionRules;
  accessVersion: number;
  expiresAt: number | null;
}

/** The gallery as the room needs it, or null once it is deleted. */
export async function roomGallery(tdb: TenantDb, galleryId: string): Promise<RoomGallery | null> {
  const gallery = await tdb.first(galleries, eq(galleries.id, galleryId));
  if (!gallery) return null;
  const rows = await tdb.selectFields({ id: photos.id }, photos, { where: eq(photos.galleryId, galleryId) });
  return { photoIds: rows.map((r) => r.id), selection: gallery.selection, accessVersion: gallery.accessVersion, expiresAt: gallery.expiresAt };
}

export async function galleryHasPhoto(tdb: TenantDb, galleryId: string, photoId: string): Promise<boolean> {
  const rows = await tdb.selectFields({ id: photos.id }, photos, { where: and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)) });
  return rows.length > 0;
}
