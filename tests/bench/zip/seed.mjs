// The gallery bench:zip downloads, seeded the way a studio fills one: through the dashboard API on
// the app host, a browser-made master first (the uploader's way; here the small fixture JPEG, which
// is ≤ 2048 px), then the original in R2 multipart parts, then "complete". Originals are the
// fixture padded to 20–25 MiB with comment segments of random bytes after its frame header, so
// every file is a real JPEG of its own (nothing the same twice) and its bytes look like a camera's
// entropy-coded data. Each original's CRC-32 is kept to check the zip's central directory against.
import { randomFillSync, randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { must } from "../harness/http.mjs";
import { mapLimit, sleep } from "../harness/numbers.mjs";
import { root } from "../harness/processes.mjs";
import { call, MiB, PHOTO_MAX_MIB, PHOTO_MIN_MIB, UPLOAD_LANES } from "./config.mjs";

const FIXTURE = readFileSync(path.join(root, "tests", "fixtures", "camera.jpg"));

/** The JPEG's segments up to its scan (SOS), as tests/helpers/jpeg.ts reads them. */
function sosOffset(jpeg) {
  let i = 2;
  while (i < jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1];
    if (marker === 0xda) return i;
    i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);
  }
  throw new Error("no SOS segment in the fixture");
}
const SOS = sosOffset(FIXTURE);

/** The fixture, exactly `size` bytes: COM segments of random bytes between its headers and its scan. */
export function paddedJpeg(size) {
  const out = Buffer.allocUnsafe(size);
  FIXTURE.copy(out, 0, 0, SOS);
  let at = SOS;
  let left = size - FIXTURE.length; // bytes of COM segments (markers and lengths included)
  if (left < 4) throw new Error(`a padded original must be at least ${FIXTURE.length + 4} bytes`);
  while (left > 0) {
    // A segment is 4 bytes of marker and length, then up to 65533 of payload; never leave 1–3 bytes.
    let seg = Math.min(left, 65537);
    if (left - seg > 0 && left - seg < 4) seg -= 4;
    out[at] = 0xff;
    out[at + 1] = 0xfe;
    out.writeUInt16BE(seg - 2, at + 2);
    randomFillSync(out, at + 4, seg - 4);
    at += seg;
    left -= seg;
  }
  FIXTURE.copy(out, at, SOS);
  if (at + FIXTURE.length - SOS !== size) throw new Error("padding arithmetic");
  return out;
}

export async function newGallery(L, title) {
  const res = await must(
    call(L.apiPort, "POST", L.appHost, `/api/studios/${L.studioId}/galleries`, {
      cookie: L.cookie,
      body: { title, visibility: "public", downloads: { mode: "original" } },
    }),
    201,
    "create gallery",
  );
  return res.json.gallery;
}

const photosPath = (L, galleryId) => `/api/studios/${L.studioId}/galleries/${galleryId}/photos`;

/** One photo the uploader's way; returns what the zip must hold for it. */
async function uploadPhoto(L, galleryId, filename, size) {
  const bytes = paddedJpeg(size);
  const crc = crc32(bytes);
  const base = photosPath(L, galleryId);
  const start = await must(
    call(L.apiPort, "POST", L.appHost, base, { cookie: L.cookie, body: { filename, size, contentType: "image/jpeg" } }),
    201,
    `start upload of ${filename}`,
  );
  const { photo, upload } = start.json;
  await must(
    call(L.apiPort, "PUT", L.appHost, `${base}/${photo.id}/master`, { cookie: L.cookie, body: new Uint8Array(FIXTURE), type: "image/jpeg" }),
    200,
    `master of ${filename}`,
  );
  const parts = Math.max(1, Math.ceil(size / upload.partSize));
  for (let n = 1; n <= parts; n++) {
    const part = bytes.subarray((n - 1) * upload.partSize, Math.min(size, n * upload.partSize));
    await must(call(L.apiPort, "PUT", L.appHost, `${base}/${photo.id}/original/parts/${n}`, { cookie: L.cookie, body: part }), 200, `part ${n} of ${filename}`);
  }
  await must(call(L.apiPort, "POST", L.appHost, `${base}/${photo.id}/original/complete`, { cookie: L.cookie }), 200, `complete ${filename}`);
  return { id: photo.id, filename, size, crc };
}

/**
 * Adds photos of 20–25 MiB until the gallery holds at least `targetBytes`; `have` is what it holds
 * already (numbered on from there). Returns the new photos and the upload's wall seconds.
 */
export async function growGallery(L, galleryId, have, targetBytes) {
  const sizes = [];
  let total = have.reduce((n, p) => n + p.size, 0);
  while (total < targetBytes) {
    const size = randomInt(PHOTO_MIN_MIB * MiB, PHOTO_MAX_MIB * MiB + 1);
    sizes.push(size);
    total += size;
  }
  const t0 = performance.now();
  const added = await mapLimit(sizes, UPLOAD_LANES, (size, i) => uploadPhoto(L, galleryId, `IMG_${String(have.length + i + 1).padStart(4, "0")}.jpg`, size));
  return { added, seconds: (performance.now() - t0) / 1000, bytes: sizes.reduce((a, b) => a + b, 0) };
}

/** All of the gallery's photos, page by page, as the dashboard lists them. */
export async function listPhotos(L, galleryId) {
  const out = [];
  let cursor = null;
  do {
    const q = `?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = (await must(call(L.apiPort, "GET", L.appHost, `${photosPath(L, galleryId)}${q}`, { cookie: L.cookie }), 200, "list photos")).json;
    out.push(...page.photos);
    cursor = page.next;
  } while (cursor);
  return out;
}

/** Waits until every photo is ready (previews made, so clients see it and a zip holds it) with its original stored. */
export async function waitReady(L, galleryId, count, timeoutMs = 600_000) {
  const t0 = performance.now();
  for (;;) {
    const list = await listPhotos(L, galleryId);
    const failed = list.filter((p) => p.status === "failed");
    if (failed.length) throw new Error(`photos failed: ${failed.map((p) => `${p.filename}: ${p.failureReason}`).join("; ")}`);
    const ready = list.filter((p) => p.status === "ready" && p.original === "stored" && p.urls);
    if (list.length === count && ready.length === count) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${ready.length} of ${count} photos ready after ${timeoutMs / 1000} s (${list.length} listed)`);
    await sleep(1000);
  }
}
