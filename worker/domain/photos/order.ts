// A gallery's photo order, at any size: a sort (by filename or capture time) or a reorder writes
// every position in one statement (the order travels as one JSON parameter, joined with
// json_each), so a 5,000-photo wedding is reordered atomically and D1's parameter limit never
// comes near. Dragging one photo moves only that photo, between its new neighbours.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { photos } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { galleryRow } from "../galleries/view";

export const sortSchema = z.object({ by: z.enum(["filename", "taken"], { errorMap: () => ({ message: "must be filename or taken" }) }) }).strict();

/** Writes positions 1…n in the order given, in one statement. */
async function writeOrder(tdb: TenantDb, galleryId: string, order: string[]): Promise<void> {
  if (order.length === 0) return;
  await tdb.updateFrom(
    photos,
    { position: sql`j.key + 1`, updatedAt: Date.now() },
    sql`json_each(${JSON.stringify(order)}) AS j`,
    and(eq(photos.galleryId, galleryId), sql`${photos.id} = j.value`),
  );
}

async function currentOrder(tdb: TenantDb, galleryId: string) {
  return tdb.selectFields({ id: photos.id, filename: photos.filename, exif: photos.exif }, photos, {
    where: eq(photos.galleryId, galleryId),
    orderBy: [asc(photos.position), asc(photos.id)],
  });
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
  const rest = (await currentOrder(tdb, galleryId)).map((r) => r.id).filter((id) => !found.has(id));
  await writeOrder(tdb, galleryId, [...unique, ...rest]);
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/**
 * Sorts the whole gallery: by filename as a person reads it (IMG_2 before IMG_10), or by capture
 * time (photos without one after the rest, by filename).
 */
export async function sortPhotos(tdb: TenantDb, galleryId: string, by: z.infer<typeof sortSchema>["by"]): Promise<void> {
  await galleryRow(tdb, galleryId);
  const rows = await currentOrder(tdb, galleryId);
  const taken = (r: (typeof rows)[number]) => (r.exif?.takenAt ? Date.parse(r.exif.takenAt) : Number.NaN);
  rows.sort((a, b) => {
    if (by === "taken") {
      const [ta, tb] = [taken(a), taken(b)];
      if (!Number.isNaN(ta) || !Number.isNaN(tb)) {
        if (Number.isNaN(ta)) return 1;
        if (Number.isNaN(tb)) return -1;
        if (ta !== tb) return ta - tb;
      }
    }
    return collator.compare(a.filename, b.filename) || a.id.localeCompare(b.id);
  });
  await writeOrder(
    tdb,
    galleryId,
    rows.map((r) => r.id),
  );
}
