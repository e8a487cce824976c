// A new watermark re-renders the previews from the stored masters: no re-upload. It comes from the
// gallery's settings (galleries.ts) or from a logo PNG uploaded here, checked by its bytes.
// Progress is the share of photos whose preview carries the current watermark version (view.ts).
import { and, eq, or, sql } from "drizzle-orm";
import type { GalleryView } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, photos } from "../../db/tenant-schema";
import type { ImageJobs } from "../../images/jobs";
import { fitWithin } from "../../images/raster";
import { sniffImage } from "../../images/sniff";
import { AppError } from "../../lib/errors";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";
import { LOGO_MAX_EDGE, LOGO_UPLOAD_MAX_EDGE, MAX_LOGO_BYTES, MAX_LOGO_PIXELS, MiB } from "../photos/limits";
import { galleryRow, galleryView } from "./view";

/** Queues every photo that has something to render from; returns how many. */
export async function rerenderPreviews(tdb: TenantDb, jobs: ImageJobs, galleryId: string): Promise<number> {
  const rows = await tdb.selectFields({ id: photos.id }, photos, {
    where: and(eq(photos.galleryId, galleryId), or(eq(photos.hasMaster, true), eq(photos.originalState, "stored"))),
  });
  await jobs.enqueue(rows.map((r) => r.id));
  return rows.length;
}

/** The logo as it is stored: a PNG at most LOGO_MAX_EDGE on its long edge, scaled by the IMAGES binding if it was bigger. */
async function storableLogo(images: ImagesBinding, upload: Uint8Array): Promise<Uint8Array> {
  if (upload.length > MAX_LOGO_BYTES) throw new AppError("file_too_large", `The logo is over ${MAX_LOGO_BYTES / MiB} MB.`);
  const sniffed = sniffImage("The logo", upload.subarray(0, 64 * 1024));
  if (sniffed.type !== "png") throw new AppError("unsupported_file", `The logo must be a PNG (with transparency), not a ${sniffed.type.toUpperCase()}.`);
  const edge = Math.max(sniffed.width, sniffed.height);
  if (edge > LOGO_UPLOAD_MAX_EDGE) {
    throw new AppError("invalid_input", `The logo is ${sniffed.width}×${sniffed.height}; it must be at most ${LOGO_UPLOAD_MAX_EDGE} px on its long edge.`);
  }
  if (edge <= LOGO_MAX_EDGE) return upload;
  let scaled: Uint8Array;
  // Both sides, proportions kept: the local binding does not keep them from a box alone.
  const [width, height] = fitWithin(sniffed.width, sniffed.height, LOGO_MAX_EDGE);
  try {
    const out = await images
      .input(new Blob([upload]).stream())
      .transform({ width, height, fit: "scale-down" })
      .output({ format: "image/png" });
    scaled = new Uint8Array(await out.response().arrayBuffer());
  } catch (err) {
    throw new AppError("corrupt_file", `The logo could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const made = sniffImage("The logo", scaled.subarray(0, 64 * 1024));
  if (made.type !== "png" || made.width * made.height > MAX_LOGO_PIXELS)
    throw new AppError("corrupt_file", "The logo could not be scaled down; export it at most 1200 px wide and try again.");
  return scaled;
}

export async function setWatermarkLogo(
  deps: { tdb: TenantDb; media: TenantMedia; jobs: ImageJobs; images: ImagesBinding },
  galleryId: string,
  upload: Uint8Array,
): Promise<GalleryView> {
  const { tdb, media, jobs } = deps;
  const gallery = await galleryRow(tdb, galleryId);
  const png = await storableLogo(deps.images, upload);
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
