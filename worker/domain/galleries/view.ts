// Finding a gallery on the studio's side, and showing it to the dashboard: settings without
// secrets, its sets, photo counts by status and how far a watermark change has re-rendered.

import { count, eq } from "drizzle-orm";
import type { GalleryView } from "../../contract/galleries";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, gallerySets, photos } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";

export type GalleryRow = typeof galleries.$inferSelect;

/** The key and the query value that mean "in no set". */
export const NO_SET = "none";

/** The stored gallery, whatever its state (the studio's own view): not_found if this studio has none. */
export async function galleryRow(tdb: TenantDb, galleryId: string): Promise<GalleryRow> {
  const row = await tdb.first(galleries, eq(galleries.id, galleryId));
  if (!row) throw new AppError("not_found", "No such gallery in this studio.");
  return row;
}

/** The gallery as the dashboard shows it (galleryViews). */
export async function galleryView(tdb: TenantDb, galleryId: string): Promise<GalleryView> {
  const [view] = await galleryViews(tdb, [await galleryRow(tdb, galleryId)]);
  return view!;
}

export async function galleryViews(tdb: TenantDb, rows: GalleryRow[]): Promise<GalleryView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((g) => g.id);
  const [sets, counts, bySet] = await Promise.all([
    inChunks(gallerySets.galleryId, ids, (inChunk) => tdb.select(gallerySets, inChunk).orderBy(gallerySets.position)),
    inChunks(photos.galleryId, ids, (inChunk) =>
      tdb.selectFields({ galleryId: photos.galleryId, status: photos.status, previewVersion: photos.previewVersion, n: count() }, photos, {
        where: inChunk,
        groupBy: [photos.galleryId, photos.status, photos.previewVersion],
      }),
    ),
    inChunks(photos.galleryId, ids, (inChunk) =>
      tdb.selectFields({ galleryId: photos.galleryId, setId: photos.setId, n: count() }, photos, { where: inChunk, groupBy: [photos.galleryId, photos.setId] }),
    ),
  ]);
  return rows.map((g) => {
    const mine = counts.filter((c) => c.galleryId === g.id);
    const byStatus = { uploading: 0, processing: 0, ready: 0, failed: 0 };
    for (const c of mine) byStatus[c.status] += c.n;
    const total = mine.reduce((sum, c) => sum + c.n, 0);
    const current = mine.filter((c) => c.status === "ready" && c.previewVersion === g.watermarkVersion).reduce((s, c) => s + c.n, 0);
    const { logoKey, ...watermark } = g.watermark;
    return {
      id: g.id,
      title: g.title,
      description: g.description,
      client: { name: g.clientName, email: g.clientEmail },
      visibility: g.visibility,
      hasPassword: g.passwordHash !== null,
      requireEmail: g.requireEmail,
      showExif: g.showExif,
      expiresAt: g.expiresAt,
      coverPhotoId: g.coverPhotoId,
      priceSheetId: g.priceSheetId,
      downloads: g.downloads,
      watermark: { ...watermark, hasLogo: logoKey !== null, version: g.watermarkVersion },
      selection: g.selection,
      sets: sets.filter((s) => s.galleryId === g.id).map((s) => ({ id: s.id, name: s.name, position: s.position })),
      photos: {
        total,
        ...byStatus,
        bySet: Object.fromEntries(bySet.filter((c) => c.galleryId === g.id).map((c) => [c.setId ?? NO_SET, c.n])),
      },
      // Previews rendered with the current watermark, out of the photos that have one to render.
      watermarkProgress: { done: current, total: byStatus.ready + byStatus.processing },
      createdAt: g.createdAt,
      updatedAt: g.updatedAt,
    };
  });
}
