// Every photo gets a master, a JPEG of at most 2048 px, before WASM sees it: the browser's, else
// one made by the IMAGES binding outside the isolate, else the original itself when it is small
// enough for the memory budget.
import { DIRECT_MAX_BYTES, DIRECT_MAX_PIXELS, MASTER_MAX_EDGE, MAX_MASTER_BYTES, MiB } from "../domain/photos/limits";
import type { PhotoRow } from "../domain/photos/photos";
import { mediaKeys, type TenantMedia } from "../storage/tenant-media";
import { uprightJpeg } from "./derive";
import { EXIF_HEAD_BYTES } from "./exif";
import { PermanentError, readHeader } from "./failures";
import { fitWithin } from "./raster";

export interface Master {
  bytes: Uint8Array;
  /** EXIF orientation still to apply: masters made from originals keep the camera's rotation. */
  orientation: number;
  /** Set when this call made the master and it should be stored. */
  madeBytes: number | null;
}

/**
 * An object's bytes, read only when there are no more than `max` of them (checked before reading;
 * null for a ranged read, which the range bounds and whose `size` is the whole object's).
 */
async function bytesOf(obj: R2ObjectBody | null, what: string, max: number | null): Promise<Uint8Array> {
  if (!obj) throw new Error(`${what} is missing from storage`);
  if (max !== null && obj.size > max) {
    await obj.body.cancel();
    throw new PermanentError(`${what} is ${(obj.size / MiB).toFixed(1)} MB, more than the ${Math.round(max / MiB)} MB that can be read into memory.`);
  }
  return new Uint8Array(await obj.arrayBuffer());
}

export async function originalHead(media: TenantMedia, photo: PhotoRow): Promise<Uint8Array> {
  return bytesOf(await media.get(mediaKeys.original(photo.galleryId, photo.id), { range: { offset: 0, length: EXIF_HEAD_BYTES } }), "the original", null);
}

/**
 * What rotation the binding's output still needs. Output that keeps an orientation tag was not
 * rotated; a quarter-turn shows as swapped proportions. Flips and half-turns leave no trace in the
 * size; the local binding (sharp) does not apply them, so they are applied here.
 */
export function orientationLeft(
  original: { width: number; height: number; orientation: number },
  made: { width: number; height: number; orientation: number },
): number {
  if (made.orientation > 1) return made.orientation;
  if (original.orientation >= 5) {
    const turned = made.width > made.height !== original.width > original.height;
    return turned ? 1 : original.orientation;
  }
  return original.orientation;
}

/** The size a master is asked for: the original's proportions within 2048 px. Both sides are
 * given, so no implementation can letterbox or stretch (the local binding ignores `fit`). */
export function masterSize(width: number, height: number): [number, number] {
  return fitWithin(width, height, MASTER_MAX_EDGE);
}

export async function obtainMaster(images: ImagesBinding, media: TenantMedia, photo: PhotoRow): Promise<Master | null> {
  const key = mediaKeys.master(photo.galleryId, photo.id);
  if (photo.hasMaster) {
    // Browser-made masters were drawn through createImageBitmap, which already applied orientation.
    const bytes = await bytesOf(await media.get(key), "the master", MAX_MASTER_BYTES);
    return { bytes, orientation: 1, madeBytes: null };
  }
  if (photo.originalState !== "stored") return null;

  const head = readHeader(photo.filename, await originalHead(media, photo));
  const original = await media.get(mediaKeys.original(photo.galleryId, photo.id));
  if (!original) throw new Error("the original is missing from storage");
  // WebP never reaches photon: its outer header can declare a smaller canvas than its frame. A
  // small frame in a large file (padding, metadata) goes to the binding too, never into memory.
  if (head.type !== "webp" && head.width * head.height <= DIRECT_MAX_PIXELS && original.size <= DIRECT_MAX_BYTES) {
    return { bytes: await bytesOf(original, "the original", DIRECT_MAX_BYTES), orientation: head.orientation, madeBytes: null };
  }
  let made: Uint8Array;
  try {
    const [width, height] = masterSize(head.width, head.height);
    const out = await images.input(original.body).transform({ width, height, fit: "scale-down" }).output({ format: "image/jpeg", quality: 90 });
    made = new Uint8Array(await out.response().arrayBuffer());
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    // A file the binding cannot read will never work; anything else (limits, outages) may.
    if (/decode|unsupported|invalid|corrupt|bad image/i.test(why)) throw new PermanentError(`"${photo.filename}" could not be decoded: ${why}`);
    throw new Error(`the IMAGES binding failed for "${photo.filename}": ${why}`);
  }
  // Stored upright, so every later render and the web-size download can take it as it is.
  const left = orientationLeft(head, readHeader(photo.filename, made.subarray(0, 64 * 1024)));
  if (left !== 1) made = uprightJpeg(made, left);
  await media.put(key, made, { httpMetadata: { contentType: "image/jpeg" } });
  return { bytes: made, orientation: 1, madeBytes: made.length };
}
