// Uploads: the browser-made master first (the gallery is proofable in seconds), then the original
// through R2 multipart parts that survive a dropped connection. Content is checked by its bytes
// before it is kept; a refused file leaves nothing behind.
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { NewPhotoResponse, OriginalParts, PhotoView } from "../../contract/photos";
import type { DirectoryDb } from "../../db/directory-db";
import { photos, uploadParts } from "../../db/tenant-schema";
import { CONTENT_TYPES, checkComplete, checkExtension, type ImageType, riffSize, sniffImage } from "../../images/sniff";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { mediaKeys } from "../../storage/tenant-media";
import { assertSetInGallery } from "../galleries/sets";
import { galleryRow } from "../galleries/view";
import { DERIVATIVE_RESERVE, expectedPartSize, MASTER_MAX_EDGE, MAX_MASTER_BYTES, MAX_ORIGINAL_BYTES, MiB, PART_SIZE, partCount } from "./limits";
import { discardPhoto, type PhotoDeps, photoView, requirePhoto } from "./photos";
import { assertRoomFor, assertWithinQuota, storageQuota } from "./quota";

export const newPhotoSchema = z
  .object({
    filename: z
      .string()
      .trim()
      .min(1, "is required")
      .max(255, "must be at most 255 characters")
      .refine((f) => !/[/\\]/.test(f) && ![...f].some((ch) => ch.charCodeAt(0) < 0x20), "must not contain slashes or control characters"),
    size: z.number().int("must be a whole number of bytes").min(0).max(Number.MAX_SAFE_INTEGER),
    contentType: z.string().max(100).optional(),
    setId: z.string().max(64).nullable().optional(),
  })
  .strict();

/** Uploads count against the studio's storage quota, which lives in the directory. */
export type UploadDeps = PhotoDeps & { directory: DirectoryDb };

export async function createPhoto(deps: UploadDeps, galleryId: string, input: z.infer<typeof newPhotoSchema>): Promise<NewPhotoResponse> {
  const { tdb, media } = deps;
  await galleryRow(tdb, galleryId);
  await assertSetInGallery(tdb, galleryId, input.setId);
  const name = input.filename;
  if (input.size === 0) throw new AppError("empty_file", `"${name}" is empty (0 bytes).`);
  if (input.size > MAX_ORIGINAL_BYTES) {
    throw new AppError("file_too_large", `"${name}" is ${(input.size / MiB).toFixed(0)} MB; the limit is ${MAX_ORIGINAL_BYTES / MiB} MB per photo.`);
  }
  if (input.contentType && !Object.values(CONTENT_TYPES).includes(input.contentType.toLowerCase())) {
    throw new AppError("unsupported_file", `"${name}" is ${input.contentType}, not a JPEG, PNG or WebP image.`);
  }
  const quota = await storageQuota(deps.directory, tdb.tenantId);
  await assertRoomFor(tdb, quota, name, input.size);
  const id = newId("p");
  const upload = await media.createMultipart(mediaKeys.original(galleryId, id));
  const [last] = await tdb.select(photos, eq(photos.galleryId, galleryId)).orderBy(desc(photos.position)).limit(1);
  await tdb.insert(photos, {
    id,
    galleryId,
    setId: input.setId ?? null,
    filename: name,
    contentType: input.contentType ?? "application/octet-stream",
    size: input.size,
    originalState: "uploading",
    originalUploadId: upload.uploadId,
    originalPartSize: PART_SIZE,
    position: (last?.position ?? 0) + 1,
  });
  await assertWithinQuota(tdb, quota, name, input.size, async () => discardPhoto(deps, await requirePhoto(tdb, galleryId, id)));
  return { photo: photoView(await requirePhoto(tdb, galleryId, id)), upload: { partSize: PART_SIZE, partCount: partCount(input.size) } };
}

export async function putMaster(deps: UploadDeps, galleryId: string, photoId: string, bytes: Uint8Array): Promise<PhotoView> {
  const { tdb, media, jobs } = deps;
  const photo = await requirePhoto(tdb, galleryId, photoId);
  const name = `${photo.filename} (master)`;
  if (bytes.length > MAX_MASTER_BYTES) throw new AppError("file_too_large", `${name} is over ${MAX_MASTER_BYTES / MiB} MB.`);
  const sniffed = sniffImage(name, bytes.subarray(0, 256 * 1024));
  // The uploader makes masters as JPEG; other formats could hide a larger frame than they declare.
  if (sniffed.type !== "jpeg") throw new AppError("unsupported_file", `${name} must be a JPEG.`);
  const held = Math.max(photo.masterBytes + photo.derivativeBytes, DERIVATIVE_RESERVE);
  const quota = await storageQuota(deps.directory, tdb.tenantId);
  await assertRoomFor(tdb, quota, name, bytes.length, Math.max(0, bytes.length + photo.derivativeBytes - held));
  if (Math.max(sniffed.width, sniffed.height) > MASTER_MAX_EDGE) {
    throw new AppError("invalid_input", `${name} is ${sniffed.width}×${sniffed.height}; a master is at most ${MASTER_MAX_EDGE} px on its long edge.`);
  }
  checkComplete(name, sniffed.type, bytes.subarray(-64), bytes.length);
  await media.put(mediaKeys.master(galleryId, photoId), bytes, { httpMetadata: { contentType: "image/jpeg" } });
  await tdb.update(
    photos,
    {
      hasMaster: true,
      masterBytes: bytes.length,
      failureReason: null,
      updatedAt: Date.now(),
      status: photo.status === "ready" ? "ready" : "processing",
      ...(photo.width === null && { width: sniffed.width, height: sniffed.height }),
    },
    and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)),
  );
  await jobs.enqueue([photoId]);
  return photoView(await requirePhoto(tdb, galleryId, photoId));
}

async function requireUploading(deps: PhotoDeps, galleryId: string, photoId: string) {
  const photo = await requirePhoto(deps.tdb, galleryId, photoId);
  if (photo.originalState !== "uploading" || !photo.originalUploadId) {
    throw new AppError(
      "upload_incomplete",
      `The original of "${photo.filename}" is ${photo.originalState === "stored" ? "already stored" : "not being uploaded"}.`,
    );
  }
  return { photo, upload: deps.media.resumeMultipart(mediaKeys.original(galleryId, photoId), photo.originalUploadId) };
}

export async function putOriginalPart(deps: PhotoDeps, galleryId: string, photoId: string, partNumber: number, bytes: Uint8Array): Promise<OriginalParts> {
  const { tdb } = deps;
  const { photo, upload } = await requireUploading(deps, galleryId, photoId);
  const count = partCount(photo.size);
  if (partNumber < 1 || partNumber > count) throw new AppError("invalid_input", `partNumber: must be between 1 and ${count}`);
  const expected = expectedPartSize(photo.size, partNumber);
  if (bytes.length !== expected) {
    throw new AppError("invalid_input", `Part ${partNumber} of "${photo.filename}" must be ${expected} bytes; ${bytes.length} arrived.`);
  }
  if (partNumber === 1) {
    try {
      const sniffed = sniffImage(photo.filename, bytes.subarray(0, 256 * 1024));
      checkExtension(photo.filename, sniffed.type);
      await tdb.update(photos, { contentType: CONTENT_TYPES[sniffed.type] }, and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)));
    } catch (err) {
      await discardPhoto(deps, photo);
      throw err;
    }
  }
  const part = await upload.uploadPart(partNumber, bytes);
  await tdb
    .insert(uploadParts, { photoId, partNumber, etag: part.etag, size: bytes.length })
    .onConflictDoUpdate({ target: [uploadParts.tenantId, uploadParts.photoId, uploadParts.partNumber], set: { etag: part.etag, size: bytes.length } });
  return listOriginalParts(deps, galleryId, photoId);
}

export async function listOriginalParts(deps: PhotoDeps, galleryId: string, photoId: string): Promise<OriginalParts> {
  const photo = await requirePhoto(deps.tdb, galleryId, photoId);
  const parts = await deps.tdb.select(uploadParts, eq(uploadParts.photoId, photoId)).orderBy(uploadParts.partNumber);
  return { state: photo.originalState, partSize: PART_SIZE, partCount: partCount(photo.size), received: parts.map((p) => p.partNumber) };
}

export async function completeOriginal(deps: PhotoDeps, galleryId: string, photoId: string): Promise<PhotoView> {
  const { tdb, media, jobs } = deps;
  const { photo, upload } = await requireUploading(deps, galleryId, photoId);
  const parts = await tdb.select(uploadParts, eq(uploadParts.photoId, photoId)).orderBy(uploadParts.partNumber);
  const have = new Set(parts.map((p) => p.partNumber));
  const missing = Array.from({ length: partCount(photo.size) }, (_, i) => i + 1).filter((n) => !have.has(n));
  if (missing.length > 0) {
    throw new AppError(
      "upload_incomplete",
      `"${photo.filename}" is missing part${missing.length > 1 ? "s" : ""} ${missing.slice(0, 10).join(", ")}; send ${missing.length > 1 ? "them" : "it"}, then complete.`,
    );
  }
  try {
    await upload.complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  } catch (err) {
    console.warn(JSON.stringify({ level: "warn", msg: "multipart complete failed", photoId, error: String(err) }));
    throw new AppError(
      "upload_incomplete",
      `The upload of "${photo.filename}" expired or a part was replaced while it was sent; delete the photo and upload it again.`,
    );
  }
  const key = mediaKeys.original(galleryId, photoId);
  try {
    const [head, tail] = await Promise.all([media.get(key, { range: { offset: 0, length: 12 } }), media.get(key, { range: { suffix: 64 } })]);
    if (!head || !tail || head.size !== photo.size) throw new AppError("file_truncated", `"${photo.filename}" arrived incomplete. Upload it again.`);
    const headBytes = new Uint8Array(await head.arrayBuffer());
    const type = (Object.entries(CONTENT_TYPES).find(([, ct]) => ct === photo.contentType)?.[0] ?? "jpeg") as ImageType;
    checkComplete(photo.filename, type, new Uint8Array(await tail.arrayBuffer()), photo.size, type === "webp" ? riffSize(headBytes) : undefined);
  } catch (err) {
    await discardPhoto(deps, { ...photo, originalState: "stored" });
    throw err;
  }
  await tdb.batch([
    tdb.update(
      photos,
      {
        originalState: "stored",
        originalUploadId: null,
        updatedAt: Date.now(),
        ...(photo.status === "uploading" && { status: "processing" as const }),
      },
      and(eq(photos.galleryId, galleryId), eq(photos.id, photoId)),
    ),
    tdb.delete(uploadParts, eq(uploadParts.photoId, photoId)),
  ]);
  await jobs.enqueue([photoId]);
  return photoView(await requirePhoto(tdb, galleryId, photoId));
}
