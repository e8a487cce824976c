// What an order bought to download: one file per photo and size, in the order of its lines, and
// how those files are cut into zip parts (the same bounds as a gallery's "download all").
import { and, eq } from "drizzle-orm";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { photos } from "../../db/tenant-schema";
import { bytesAt, splitParts } from "../downloads/zip-plan";
import type { OrderRow } from "./orders";

const WHOLE_GALLERY_READ = 300;

/** Every file the order bought: one entry per photo and size. */
export async function purchasedFiles(tdb: TenantDb, order: OrderRow) {
  const wanted = order.lines.flatMap((l) => (l.variant ? l.photoIds.map((photoId) => ({ photoId, variant: l.variant! })) : []));
  // A big order (a whole wedding) reads its gallery in one query rather than a query per 100 photos.
  const rows =
    wanted.length > WHOLE_GALLERY_READ
      ? await tdb.select(photos, eq(photos.galleryId, order.galleryId))
      : await inChunks(
          photos.id,
          wanted.map((w) => w.photoId),
          (inChunk) => tdb.select(photos, and(eq(photos.galleryId, order.galleryId), inChunk)),
        );
  const byId = new Map(rows.map((p) => [p.id, p]));
  const seen = new Set<string>();
  return wanted.flatMap((w) => {
    const photo = byId.get(w.photoId);
    const key = `${w.photoId}:${w.variant}`;
    if (!photo || seen.has(key)) return [];
    seen.add(key);
    return [{ photo, variant: w.variant }];
  });
}

export type PurchasedFile = Awaited<ReturnType<typeof purchasedFiles>>[number];

/** The order's files cut into parts, in the order the downloads page lists them. */
export function orderParts(files: PurchasedFile[]): PurchasedFile[][] {
  return splitParts(files.map((f, i) => ({ id: String(i), bytes: fileBytes(f) }))).map((p) => p.ids.map((i) => files[Number(i)]!));
}

/** What a file adds to a zip; a size not made yet counts as the original, so a part is at worst smaller. */
export const fileBytes = (f: PurchasedFile) => bytesAt(f.photo, f.variant) ?? f.photo.size;
