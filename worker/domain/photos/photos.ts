// Photos of a gallery as the dashboard manages them: list, move, delete, retry.

import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { PhotosResponse, PhotoView } from "../../contract/photos";
import { inChunks, oneOf } from "../../db/chunks";
import { idList, keyset, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, photos, uploadParts } from "../../db/tenant-schema";
import type { ImageJobs } from "../../images/jobs";
import { AppError } from "../../lib/errors";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";
import { assertSetInGallery } from "../galleries/sets";
import { galleryRow } from "../galleries/view";
import { restack } from "./stacks";

export interface PhotoDeps {
  tdb: TenantDb;
  media: TenantMedia;
  jobs: ImageJobs;
}

export type PhotoRow = typeof photos.$inferSelect;

/** Processing takes seconds; a photo still processing after this was lost by the queue (a dev
 * server restart drops queued messages) and may be sent again. The pipeline is idempotent. */
export const STUCK_AFTER_MS = 10 * 60 * 1000;
const isStuck = (p: PhotoRow, now = Date.now()) => p.status === "processing" && now - p.updatedAt > STUCK_AFTER_MS;

export const photoPatchSchema = z
  .object({ setId: z.string().max(64).nullable(), position: z.number().finite() })
  .partial()
  .strict();

export async function requirePhoto(tdb: TenantDb, galleryId: string, photoId: string): Promise<PhotoRow> {
  const row = await tdb.first(photos, and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)));
  if (!row) throw new AppError("not_found", "No such photo in this gallery.");
  return row;
}

/** What clients and the dashboard see of a photo; derivative URLs change when they are re-rendered. */
export function photoView(p: PhotoRow): PhotoView {
  const v = `${p.previewVersion}.${p.updatedAt}`;
  return {
    id: p.id,
    galleryId: p.galleryId,
    setId: p.setId,
    filename: p.filename,
    size: p.size,
    width: p.width,
    height: p.height,
    status: p.status,
    failureReason: p.failureReason,
    exif: p.exif,
    position: p.position,
    original: p.originalState,
    stuck: isStuck(p),
    stackId: p.stackId,
    soft: p.soft,
    urls:
      p.status === "ready" || p.previewVersion > 0
        ? { thumb: `/media/${p.galleryId}/${p.id}/thumb.jpg?v=${v}`, preview: `/media/${p.galleryId}/${p.id}/preview.jpg?v=${v}` }
        : null,
  };
}

export const photoListQuery = pageQuery
  .extend({
    // One set's photos ("none": those in no set).
    set: z.string().min(1).max(64).optional(),
    // Only photos still on their way (uploading or processing): what the dashboard refreshes.
    busy: z.literal("1", { errorMap: () => ({ message: "must be 1" }) }).optional(),
    // These photos (the tiles on screen), whatever their place.
    ids: idList(200).optional(),
  })
  .strict();

/** One page of the gallery's photos in gallery order, of one set or only those on their way. */
export async function listPhotos(tdb: TenantDb, galleryId: string, query: z.infer<typeof photoListQuery>): Promise<PhotosResponse> {
  await galleryRow(tdb, galleryId);
  if (query.ids) {
    const rows = await inChunks(photos.id, query.ids, (inChunk) => tdb.select(photos, and(eq(photos.galleryId, galleryId), inChunk)));
    return { photos: rows.map(photoView), next: null };
  }
  const { after, orderBy } = keyset([photos.position, photos.id], "asc", query.cursor);
  const set = query.set === undefined ? undefined : query.set === "none" ? isNull(photos.setId) : eq(photos.setId, query.set);
  const busy = query.busy ? oneOf(photos.status, ["uploading", "processing"]) : undefined;
  const rows = await tdb
    .select(photos, and(eq(photos.galleryId, galleryId), set, busy, after))
    .orderBy(...orderBy)
    .limit(pageSize(query));
  const page = pageOf(rows, query, (p) => [p.position, p.id], photoView);
  return { photos: page.items, next: page.next };
}

export async function updatePhoto(tdb: TenantDb, galleryId: string, photoId: string, patch: z.infer<typeof photoPatchSchema>): Promise<PhotoView> {
  await requirePhoto(tdb, galleryId, photoId);
  await assertSetInGallery(tdb, galleryId, patch.setId);
  await tdb.update(photos, { ...patch, updatedAt: Date.now() }, and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)));
  return photoView(await requirePhoto(tdb, galleryId, photoId));
}

/** Removes a photo with everything it has in R2, an unfinished multipart upload included. */
export async function discardPhoto(deps: Pick<PhotoDeps, "tdb" | "media">, photo: PhotoRow): Promise<void> {
  const { tdb, media } = deps;
  if (photo.originalState === "uploading" && photo.originalUploadId) {
    await media
      .resumeMultipart(mediaKeys.original(photo.galleryId, photo.id), photo.originalUploadId)
      .abort()
      .catch(() => undefined);
  }
  await tdb.batch([
    tdb.delete(photos, and(eq(photos.galleryId, photo.galleryId), eq(photos.id, photo.id))),
    tdb.delete(uploadParts, eq(uploadParts.photoId, photo.id)),
    tdb.update(galleries, { coverPhotoId: null }, and(eq(galleries.id, photo.galleryId), eq(galleries.coverPhotoId, photo.id))),
  ]);
  await media.deletePrefix(mediaKeys.photo(photo.galleryId, photo.id));
  // Its stack may be named after it, split where it linked two halves, or judged by its sharpness.
  if (photo.stackId !== null) {
    const [left] = await tdb.selectFields({ id: photos.id }, photos, {
      where: and(eq(photos.galleryId, photo.galleryId), eq(photos.stackId, photo.stackId)),
      limit: 1,
    });
    if (left) await restack(tdb, photo.galleryId, left.id);
  }
}

export async function deletePhoto(deps: PhotoDeps, galleryId: string, photoId: string): Promise<void> {
  await discardPhoto(deps, await requirePhoto(deps.tdb, galleryId, photoId));
}

/** A failed or stuck photo goes back to the queue; a failure's reason stays visible until it succeeds. */
export async function retryPhoto(deps: PhotoDeps, galleryId: string, photoId: string): Promise<PhotoView> {
  const photo = await requirePhoto(deps.tdb, galleryId, photoId);
  if (photo.status !== "failed" && !isStuck(photo)) {
    throw new AppError("invalid_input", `"${photo.filename}" has not failed and is not stuck; nothing to retry.`);
  }
  await deps.tdb.update(photos, { status: "processing", updatedAt: Date.now() }, and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)));
  await deps.jobs.enqueue([photoId]);
  return photoView(await requirePhoto(deps.tdb, galleryId, photoId));
}
