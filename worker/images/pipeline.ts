// One photo job: EXIF from the original, a master, then the thumbnail and the watermarked
// preview in WASM, stored in R2 and recorded in D1 with the photo's fingerprint, then the similar
// shots around it restacked. Idempotent: it does what the photo still needs and nothing else, so
// redelivery and retries are safe.
import { and, eq, lte, ne } from "drizzle-orm";
import type { PhotoExif } from "../contract/photos";
import { tenantDbById } from "../db/shards";
import { galleries, photos } from "../db/tenant-schema";
import { LOGO_MAX_EDGE, MAX_LOGO_BYTES, MAX_LOGO_PIXELS } from "../domain/photos/limits";
import { photoView } from "../domain/photos/photos";
import { captureTime, type Placement, restack } from "../domain/photos/stacks";
import { notifyPhotoReady } from "../rooms/signals";
import { mediaKeys, TenantMedia } from "../storage/tenant-media";
import { type Derivatives, renderDerivatives } from "./derive";
import { readExif } from "./exif";
import { PermanentError, readHeader } from "./failures";
import type { PhotoJob } from "./jobs";
import { obtainMaster, originalHead } from "./master";
import { sniffImage } from "./sniff";

export type JobOutcome = "ready" | "unchanged" | "waiting" | "gone";

async function context(env: Env, job: PhotoJob) {
  const tdb = await tenantDbById(env, job.tenantId);
  if (!tdb) return null;
  const photo = await tdb.first(photos, eq(photos.id, job.photoId));
  const gallery = photo && (await tdb.first(galleries, eq(galleries.id, photo.galleryId)));
  if (!photo || !gallery) return null;
  return { tdb, media: new TenantMedia(env.MEDIA, tdb.tenantId), photo, gallery };
}

export async function processPhoto(env: Env, job: PhotoJob): Promise<JobOutcome> {
  const ctx = await context(env, job);
  if (!ctx) return "gone";
  const { tdb, media, photo, gallery } = ctx;
  const where = and(eq(photos.galleryId, photo.galleryId), eq(photos.id, photo.id));

  let exif: PhotoExif | null = photo.exif;
  let size: { width: number; height: number } | null = null;
  if (!exif && photo.originalState === "stored") {
    const head = await originalHead(media, photo);
    const sniffed = readHeader(photo.filename, head);
    exif = readExif(head.slice().buffer);
    const turned = (exif.orientation || sniffed.orientation) >= 5;
    size = turned ? { width: sniffed.height, height: sniffed.width } : { width: sniffed.width, height: sniffed.height };
  }

  const version = gallery.watermarkVersion;
  if (photo.status === "ready" && photo.previewVersion >= version) {
    if (size) await tdb.update(photos, { exif, takenAt: captureTime(exif), ...size, updatedAt: Date.now() }, where);
    // The capture time may just have arrived (the original after its master), or a redelivery
    // may follow a restack that failed: either way the photo's stack is worked out again.
    if (photo.phash !== null) await restack(tdb, photo.galleryId, photo.id);
    return "unchanged";
  }
  const master = await obtainMaster(env.IMAGES, media, photo);
  if (!master) return "waiting";

  const logoKey = gallery.watermark.kind === "logo" ? gallery.watermark.logoKey : null;
  const logo = logoKey ? await storedLogo(media, logoKey) : null;
  let d: Derivatives;
  try {
    d = renderDerivatives(master.bytes, master.orientation, gallery.watermark, logo);
  } catch (err) {
    throw new PermanentError(`"${photo.filename}" could not be decoded as an image (${err instanceof Error ? err.message : String(err)}).`);
  }
  const previewKey = mediaKeys.preview(photo.galleryId, photo.id, version);
  await Promise.all([
    media.put(mediaKeys.thumb(photo.galleryId, photo.id), d.thumb, { httpMetadata: { contentType: "image/jpeg" } }),
    media.put(previewKey, d.preview, { httpMetadata: { contentType: "image/jpeg" } }),
  ]);
  // Only move forward: a slow job for an older watermark must not overwrite a newer preview.
  const updated = await tdb
    .update(
      photos,
      {
        status: "ready",
        failureReason: null,
        previewVersion: version,
        derivativeBytes: d.thumb.length + d.preview.length,
        ...(master.madeBytes !== null && { hasMaster: true, masterBytes: master.madeBytes }),
        width: size?.width ?? photo.width ?? d.width,
        height: size?.height ?? photo.height ?? d.height,
        exif,
        takenAt: captureTime(exif),
        phash: d.fingerprint.phash,
        sharpness: d.fingerprint.sharpness,
        updatedAt: Date.now(),
      },
      and(where, lte(photos.previewVersion, version)),
    )
    .returning();
  if (updated.length === 0) {
    const still = await tdb.first(photos, where);
    // Deleted while we worked: nothing may stay behind under its prefix.
    if (!still) await media.deletePrefix(mediaKeys.photo(photo.galleryId, photo.id));
    else await media.delete([previewKey]);
    return still ? "unchanged" : "gone";
  }
  // Stacks are secondary: the room still hears of the photo if restacking fails, and the retry
  // that the error causes finds the photo ready and restacks it.
  let placed: Placement | null = null;
  let restackFailed: unknown = null;
  try {
    placed = await restack(tdb, photo.galleryId, photo.id);
  } catch (err) {
    restackFailed = err;
  }
  await dropOldPreviews(media, photo.galleryId, photo.id, version);
  await notifyPhotoReady(env, gallery.tenantId, gallery.id, photoView({ ...updated[0]!, ...placed }));
  if (restackFailed) throw restackFailed;
  return "ready";
}

/** Previews of earlier watermark versions, however many overlapping re-renders left. */
async function dropOldPreviews(media: TenantMedia, galleryId: string, photoId: string, keep: number): Promise<void> {
  const current = mediaKeys.preview(galleryId, photoId, keep).split("/").pop();
  const listed = await media.list(mediaKeys.photo(galleryId, photoId));
  const stale = listed.filter((rel) => /\/preview-v\d+\.jpg$/.test(rel) && !rel.endsWith(`/${current}`));
  if (stale.length > 0) await media.delete(stale);
}

/** After the last attempt, or at once for a file that can never work, the photographer sees why. */
export async function markFailed(env: Env, job: PhotoJob, reason: string): Promise<void> {
  const ctx = await context(env, job);
  if (!ctx) return;
  // A stale message must not fail a photo that another delivery has already finished.
  await ctx.tdb.update(
    photos,
    { status: "failed", failureReason: reason.slice(0, 500), updatedAt: Date.now() },
    and(eq(photos.galleryId, ctx.photo.galleryId), eq(photos.id, ctx.photo.id), ne(photos.status, "ready")),
  );
}

/** The gallery's logo, read only if it is within what a worker may decode (older uploads may not be). */
async function storedLogo(media: TenantMedia, key: string): Promise<Uint8Array | null> {
  const object = await media.get(key);
  if (!object) return null;
  if (object.size > MAX_LOGO_BYTES) throw new PermanentError("The gallery's logo is too large to draw; upload it again.");
  const png = new Uint8Array(await object.arrayBuffer());
  const { width, height } = sniffImage("The gallery's logo", png.subarray(0, 64 * 1024));
  if (width * height > MAX_LOGO_PIXELS) {
    throw new PermanentError(`The gallery's logo is ${width}×${height}, more than Loupe draws (${LOGO_MAX_EDGE} px); upload it again and it is scaled down.`);
  }
  return png;
}
