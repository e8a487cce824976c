// A new watermark re-renders the previews from the stored masters: no re-upload. It comes from the
// gallery's settings (galleries.ts) or from a logo PNG uploaded here, checked by its bytes.
// Progress is the share of photos whose preview carries the current watermark version (view.ts).
import { and, eq, or, sql } from "drizzle-orm";
import type { GalleryView } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, photos } from "../../db/tenant-schema";
import type { ImageJobs } from "../../images/jobs";
import { sniffImage } from "../../images/sniff";
import { AppError } from "../../lib/errors";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";
import { MAX_LOGO_BYTES, MAX_LOGO_PIXELS, MiB } from "../photos/limits";
import { galleryRow, galleryView } from "./view";

/** Queues every photo that has something to render from; returns how many. */
export async function rerenderPreviews(tdb: TenantDb, jobs: ImageJobs, galleryId: string): Promise<number> {
  const rows = await tdb.selectFields({ id: photos.id }, photos, {
    where: and(eq(photos.galleryId, galleryId), or(eq(photos.hasMaster, true), eq(photos.originalState, "stored"))),
  });
  await jobs.enqueue(rows.map((r) => r.id));
  return rows.length;
}

export async function setWatermarkLogo(deps: { tdb: TenantDb; media: TenantMedia; jobs: ImageJobs }, galleryId: string, png: Uint8Array): Promise<GalleryView> {
  const { tdb, media, jobs } = deps;
  const gallery = await galleryRow(tdb, galleryId);
  if (png.length > MAX_LOGO_BYTES) throw new AppError("file_too_large", `The logo is over ${MAX_LOGO_BYTES / MiB} MB.`);
  const sniffed = sniffImage("The logo", png.subarray(0, 64 * 1024));
  if (sniffed.type !== "png") throw new AppError("unsupported_file", `The logo must be a PNG (with transparency), not a ${sniffed.type.toUpperCase()}.`);
  if (Math.max(sniffed.width, sniffed.height) > 4000) throw new AppError("invalid_input", "The logo must be at most 4000 px on its long edge.");
  // Decoded, a logo is 4 bytes a pixel in the image worker's memory.
  if (sniffed.width * sniffed.height > MAX_LOGO_PIXELS) {
    throw new AppError("invalid_input", `The logo is ${sniffed.width}×${sniffed.height}; it must be at most ${MAX_LOGO_PIXELS / 1_000_000} megapixels.`);
  }
  const version = gallery.watermarkVersion + 1;
  const key = mediaKeys.logo(galleryId, version);
  await media.put(key, png, { httpMetadata: { contentType: "image/png" } });
  await tdb.update(
    galleries,
    {
      watermark: { ...gallery.watermark, kind: "logo", logoKey: key, enabled: true },
      watermarkVersion: sql`${galleries.watermarkVersion} + 1`,
      updatedAt: Date.now(),
    },
    eq(galleries.id, galleryId),
  );
  if (gallery.watermark.logoKey) await media.delete([gallery.watermark.logoKey]);
  await rerenderPreviews(tdb, jobs, galleryId);
  return galleryView(tdb, galleryId);
}
