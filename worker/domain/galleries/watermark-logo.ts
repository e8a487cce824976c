// A logo PNG as the gallery's watermark: checked by its bytes, stored beside the gallery, and the
// previews re-rendered with it.
import { eq, sql } from "drizzle-orm";
import type { GalleryView } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { galleries } from "../../db/tenant-schema";
import type { ImageJobs } from "../../images/jobs";
import { sniffImage } from "../../images/sniff";
import { AppError } from "../../lib/errors";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";
import { MAX_LOGO_BYTES, MiB } from "../photos/limits";
import { galleryRow, galleryView } from "./galleries";
import { rerenderPreviews } from "./rerender";

export async function setWatermarkLogo(deps: { tdb: TenantDb; media: TenantMedia; jobs: ImageJobs }, galleryId: string, png: Uint8Array): Promise<GalleryView> {
  const { tdb, media, jobs } = deps;
  const gallery = await galleryRow(tdb, galleryId);
  if (png.length > MAX_LOGO_BYTES) throw new AppError("file_too_large", `The logo is over ${MAX_LOGO_BYTES / MiB} MB.`);
  const sniffed = sniffImage("The logo", png.subarray(0, 64 * 1024));
  if (sniffed.type !== "png") throw new AppError("unsupported_file", `The logo must be a PNG (with transparency), not a ${sniffed.type.toUpperCase()}.`);
  if (Math.max(sniffed.width, sniffed.height) > 4000) throw new AppError("invalid_input", "The logo must be at most 4000 px on its long edge.");
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
