// Upload and pipeline helpers for image tests: what the dashboard's uploader does, over HTTP.

import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { GalleryResponse } from "../../worker/contract/galleries";
import type { PhotosResponse, PhotoView } from "../../worker/contract/photos";
import { tenantDbById } from "../../worker/db/shards";
import { photos } from "../../worker/db/tenant-schema";
import { mediaKeys, TenantMedia } from "../../worker/storage/tenant-media";
import { type CookieJar, call, json } from "./http";

export function fixture(name: string): Uint8Array {
  const b64 = env.TEST_FIXTURES[name];
  if (!b64) throw new Error(`no fixture ${name}`);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export interface Owner {
  jar: CookieJar;
  studio: { id: string; slug: string };
}

export const galleriesPath = (o: Owner) => `/api/studios/${o.studio.id}/galleries`;
export const photosPath = (o: Owner, galleryId: string) => `${galleriesPath(o)}/${galleryId}/photos`;

export async function newGallery(o: Owner, body: Record<string, unknown> = {}) {
  const res = await call("POST", galleriesPath(o), { jar: o.jar, body: { title: "Smith Wedding", ...body } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<GalleryResponse>(res)).gallery;
}

export async function rawPut(o: Owner, path: string, bytes: Uint8Array, contentType = "application/octet-stream") {
  return call("PUT", path, { jar: o.jar, rawBody: bytes, headers: { "content-type": contentType } });
}

/** Starts an upload; returns the photo and its part plan. */
export async function startUpload(o: Owner, galleryId: string, filename: string, size: number, extra: Record<string, unknown> = {}) {
  return call("POST", photosPath(o, galleryId), { jar: o.jar, body: { filename, size, ...extra } });
}

export async function sendParts(o: Owner, galleryId: string, photoId: string, bytes: Uint8Array, partSize: number, only?: number[]) {
  const count = Math.max(1, Math.ceil(bytes.length / partSize));
  const results: Response[] = [];
  for (let n = 1; n <= count; n++) {
    if (only && !only.includes(n)) continue;
    const part = bytes.subarray((n - 1) * partSize, Math.min(bytes.length, n * partSize));
    results.push(await rawPut(o, `${photosPath(o, galleryId)}/${photoId}/original/parts/${n}`, part));
  }
  return results;
}

/** The whole original-only upload; returns the photo id. */
export async function uploadOriginal(o: Owner, galleryId: string, filename: string, bytes: Uint8Array) {
  const start = await startUpload(o, galleryId, filename, bytes.length);
  expect(start.status, await start.clone().text()).toBe(201);
  const { photo, upload } = await json(start);
  for (const r of await sendParts(o, galleryId, photo.id, bytes, upload.partSize)) expect(r.status, await r.clone().text()).toBe(200);
  const done = await call("POST", `${photosPath(o, galleryId)}/${photo.id}/original/complete`, { jar: o.jar });
  expect(done.status, await done.clone().text()).toBe(200);
  return photo.id as string;
}

export async function listPhotos(o: Owner, galleryId: string) {
  return (await json<PhotosResponse>(await call("GET", `${photosPath(o, galleryId)}?limit=200`, { jar: o.jar }))).photos;
}

/** Polls until the photo leaves the queue (ready or failed), as the dashboard would. */
export async function settled(o: Owner, galleryId: string, photoId: string, timeoutMs = 20_000, want?: (p: PhotoView) => boolean) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const photo = (await listPhotos(o, galleryId)).find((p) => p.id === photoId);
    if (photo && (want ? want(photo) : photo.status === "ready" || photo.status === "failed")) return photo;
    if (Date.now() > deadline) throw new Error(`photo ${photoId} did not settle: ${JSON.stringify(photo)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `n` ready photos with `bytes` as each original in R2, written directly: for tests of what many
 * photos do downstream (zips in parts, big orders), where uploading hundreds is not the point.
 * Ids are `<prefix>_0000`…, filenames DSC_0000.jpg…, in gallery order.
 */
export async function seedOriginals(studioId: string, galleryId: string, n: number, prefix: string, bytes: Uint8Array) {
  const tdb = (await tenantDbById(env, studioId))!;
  const media = new TenantMedia(env.MEDIA, studioId);
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `${prefix}_${String(i).padStart(4, "0")}`,
    galleryId,
    filename: `DSC_${String(i).padStart(4, "0")}.jpg`,
    contentType: "image/jpeg",
    size: bytes.length,
    status: "ready" as const,
    originalState: "stored" as const,
    previewVersion: 1,
    position: i,
  }));
  const inserts = tdb.insertRows(photos, rows);
  await tdb.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  for (let i = 0; i < n; i += 50) await Promise.all(rows.slice(i, i + 50).map((r) => media.put(mediaKeys.original(galleryId, r.id), bytes)));
  return rows;
}
