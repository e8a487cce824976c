// Sets within a gallery (Ceremony, Reception…): create, rename, move, delete. The order of the
// photos themselves is worker/domain/photos/order.ts.

import { and, desc, eq } from "drizzle-orm";
import type { GallerySet } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { gallerySets, photos } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { galleryRow } from "./view";

async function requireSet(tdb: TenantDb, galleryId: string, setId: string) {
  const set = await tdb.first(gallerySets, and(eq(gallerySets.galleryId, galleryId), eq(gallerySets.id, setId)));
  if (!set) throw new AppError("not_found", "No such set in this gallery.");
  return set;
}

export async function createSet(tdb: TenantDb, galleryId: string, name: string): Promise<GallerySet> {
  await galleryRow(tdb, galleryId);
  const [last] = await tdb.select(gallerySets, eq(gallerySets.galleryId, galleryId)).orderBy(desc(gallerySets.position)).limit(1);
  const set = { id: newId("set"), galleryId, name, position: (last?.position ?? 0) + 1 };
  await tdb.insert(gallerySets, set);
  return { id: set.id, name, position: set.position };
}

export async function updateSet(tdb: TenantDb, galleryId: string, setId: string, patch: { name?: string; position?: number }): Promise<GallerySet> {
  await requireSet(tdb, galleryId, setId);
  if (patch.name !== undefined || patch.position !== undefined) {
    await tdb.update(gallerySets, patch, and(eq(gallerySets.galleryId, galleryId), eq(gallerySets.id, setId)));
  }
  const set = await requireSet(tdb, galleryId, setId);
  return { id: set.id, name: set.name, position: set.position };
}

/** The set goes; its photos stay in the gallery, outside any set. */
export async function deleteSet(tdb: TenantDb, galleryId: string, setId: string): Promise<void> {
  await requireSet(tdb, galleryId, setId);
  await tdb.batch([
    tdb.update(photos, { setId: null }, and(eq(photos.galleryId, galleryId), eq(photos.setId, setId))),
    tdb.delete(gallerySets, and(eq(gallerySets.galleryId, galleryId), eq(gallerySets.id, setId))),
  ]);
}

export async function assertSetInGallery(tdb: TenantDb, galleryId: string, setId: string | null | undefined): Promise<void> {
  if (setId) {
    const set = await tdb.first(gallerySets, and(eq(gallerySets.galleryId, galleryId), eq(gallerySets.id, setId)));
    if (!set) throw new AppError("invalid_input", "setId: is not a set of this gallery");
  }
}
