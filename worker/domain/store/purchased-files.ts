// What an order bought to download: one slot per photo and size, in the order of its lines, and
// how those slots are cut into zip parts. An order's lines never change, so neither do its slots:
// a part planned once names the same slots however the gallery changes after (a photo deleted
// since is then missing from its part, not moved into another).
import { and, eq } from "drizzle-orm";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { photos } from "../../db/tenant-schema";
import { bytesAt, PART_BYTES, splitParts } from "../downloads/zip-plan";
import type { OrderRow } from "./orders";

const WHOLE_GALLERY_READ = 300;
// Fewer than a gallery zip's PART_PHOTOS: a one-part order's zip first checks each file is there
// (one more subrequest a file), and a high-res file costs a read and a transform on top.
export const ORDER_PART_FILES = 300;

type Photo = typeof photos.$inferSelect;
export type Variant = NonNullable<OrderRow["lines"][number]["variant"]>;
export interface FileSlot {
  photoId: string;
  variant: Variant;
  /** Null once the photo is no longer in the gallery. */
  photo: Photo | null;
}
export type PurchasedFile = { photo: Photo; variant: Variant };

/** Every file the order bought, one slot per photo and size, whether or not the photo is still there. */
export async function purchasedSlots(tdb: TenantDb, order: OrderRow): Promise<FileSlot[]> {
  const seen = new Set<string>();
  const wanted = order.lines.flatMap((l) =>
    l.variant
      ? l.photoIds.flatMap((photoId) => {
          const key = `${photoId}:${l.variant}`;
          if (seen.has(key)) return [];
          seen.add(key);
          return [{ photoId, variant: l.variant! }];
        })
      : [],
  );
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
  return wanted.map((w) => ({ ...w, photo: byId.get(w.photoId) ?? null }));
}

/** The slots whose photos are still there: the files the order's page lists. */
export const present = (slots: FileSlot[]): PurchasedFile[] => slots.flatMap((s) => (s.photo ? [{ photo: s.photo, variant: s.variant }] : []));

/** What a file adds to a zip; a size not made yet counts as the original, so a part is at worst smaller. */
export const fileBytes = (f: PurchasedFile) => bytesAt(f.photo, f.variant) ?? f.photo.size;

/** Where the slots are cut into parts: [0, …, slots.length], part n being slots[b[n-1], b[n]). */
export function partBounds(slots: FileSlot[]): number[] {
  const parts = splitParts(
    slots.map((s, i) => ({ id: String(i), bytes: s.photo ? fileBytes({ photo: s.photo, variant: s.variant }) : 0 })),
    PART_BYTES,
    ORDER_PART_FILES,
  );
  return [...parts.map((p) => Number(p.ids[0])), slots.length];
}
