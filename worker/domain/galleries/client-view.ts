// What a client sees of a gallery on the studio's website: its ready photos in order, by set.
import { and, asc, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, gallerySets, photos } from "../../db/tenant-schema";
import { photoView } from "../photos/photos";
import { galleryForVisitor } from "./access";

export async function clientGalleryView(tdb: TenantDb, secret: string, galleryId: string, visitorToken: string | undefined) {
  const gallery = await galleryForVisitor(tdb, secret, galleryId, visitorToken);
  const [sets, rows] = await Promise.all([
    tdb.select(gallerySets, eq(gallerySets.galleryId, galleryId)).orderBy(asc(gallerySets.position)),
    tdb.select(photos, and(eq(photos.galleryId, galleryId), gt(photos.previewVersion, 0))).orderBy(asc(photos.position)),
  ]);
  return {
    id: gallery.id,
    title: gallery.title,
    description: gallery.description,
    coverPhotoId: gallery.coverPhotoId,
    downloads: gallery.downloads,
    selection: gallery.selection,
    sets: sets.map((s) => ({ id: s.id, name: s.name })),
    photos: rows.map(photoView),
  };
}

/** Public galleries that have not expired, newest first, for the studio's home page; each with
 * its cover's thumbnail, or its first photo's when no cover was chosen. */
export async function listedGalleries(tdb: TenantDb) {
  const rows = await tdb
    .select(galleries, and(eq(galleries.visibility, "public"), or(isNull(galleries.expiresAt), gt(galleries.expiresAt, Date.now()))))
    .orderBy(desc(galleries.position));
  const shown = gt(photos.previewVersion, 0);
  return Promise.all(
    rows.map(async (g) => {
      const cover =
        (g.coverPhotoId && (await tdb.first(photos, and(eq(photos.galleryId, g.id), eq(photos.id, g.coverPhotoId), shown)))) ||
        (
          await tdb
            .select(photos, and(eq(photos.galleryId, g.id), shown))
            .orderBy(asc(photos.position))
            .limit(1)
        )[0];
      return { id: g.id, title: g.title, coverUrl: cover ? (photoView(cover).urls?.thumb ?? null) : null };
    }),
  );
}
