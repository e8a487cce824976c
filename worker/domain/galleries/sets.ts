// Sets within a gallery (Ceremony, Reception…) and the order of its photos.

import { and, desc, eq } from "drizzle-orm";
import type { GallerySet } from "../../contract/galleries";
import { inChunks } from "../../db/chunks";
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

/** Puts the listed photos first, in the order given; the rest keep their order after them. */
export async function reorderPhotos(tdb: TenantDb, galleryId: string, photoIds: string[]): Promise<void> {
  await galleryRow(tdb, galleryId);
  const unique = [...new Set(photoIds)];
  const rows = await inChunks(photos.id, unique, (inChunk) =>
    tdb.selectFields({ id: photos.id }, photos, { where: and(eq(photos.galleryId, galleryId), inChunk) }),
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError("invalid_input", `photoIds: ${missing.length} of the ids given ${missing.length === 1 ? "is" : "are"} not photos of this gallery`);
  }
  const rest = await tdb.selectFields({ id: photos.id }, photos, { where: eq(photos.galleryId, galleryId) });
  const order = [...unique, ...rest.map((r) => r.id).filter((id) => !found.has(id))];
  const updates = order.map((id, i) => tdb.update(photos, { position: i + 1 }, and(eq(photos.galleryId, galleryId), eq(photos.id, id))));
  for (let i = 0; i < updates.length; i += 500) {
    const chunk = updates.slice(i, i + 500);
    await tdb.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
  }
}
