// Attacks and races on the image path: decompression bombs, quota races, stale visitor tokens,
// rotated originals through the IMAGES binding, and uploads left half-way when a gallery goes.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fixture, galleriesPath, listPhotos, newGallery, photosPath, rawPut, settled, startUpload, uploadOriginal } from "../helpers/galleries";
import { CookieJar, call, json, signUp, studioHost } from "../helpers/http";
import { padJpeg, pixelSize, syntheticJpeg } from "../helpers/jpeg";

const MiB = 1024 * 1024;

/** camera.jpg with its frame marker changed: SOF3 is lossless JPEG. */
function losslessJpeg(): Uint8Array {
  const bytes = fixture("camera.jpg").slice();
  for (let i = 2; i < bytes.length - 1; i++)
    if (bytes[i] === 0xff && bytes[i + 1] === 0xc0) {
      bytes[i + 1] = 0xc3;
      break;
    }
  return bytes;
}

/** A JPEG made by photon with an EXIF APP1 segment saying orientation 6 inserted after SOI. */
function rotatedJpeg(width: number, height: number): Uint8Array {
  const jpeg = syntheticJpeg(width, height, (x) => (x < width / 3 ? [220, 40, 40] : [40, 70, 220]));
  const tiff = [
    0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  ];
  const payload = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff];
  const app1 = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 255, ...payload];
  return Uint8Array.from([...jpeg.subarray(0, 2), ...app1, ...jpeg.subarray(2)]);
}

describe("decompression bombs and odd JPEGs", () => {
  it("a WebP whose header hides an 8000×8000 frame never reaches photon; lossless JPEGs are refused", async () => {
    const owner = await signUp("bombs");
    const g = await newGallery(owner);
    const { photo } = await json(await startUpload(owner, g.id, "tiny.webp", fixture("bomb.webp").length));
    const asMaster = await rawPut(owner, `${photosPath(owner, g.id)}/${photo.id}/master`, fixture("bomb.webp"), "image/webp");
    const refused = await json(asMaster);
    expect(asMaster.status, JSON.stringify(refused)).toBe(415);
    expect(refused.error.message).toMatch(/must be a JPEG/);

    const lossless = await startUpload(owner, g.id, "lossless.jpg", losslessJpeg().length);
    const plan = await json(lossless);
    const part = await rawPut(owner, `${photosPath(owner, g.id)}/${plan.photo.id}/original/parts/1`, losslessJpeg());
    expect(part.status).toBe(415);
    expect((await json(part)).error.message).toMatch(/"lossless\.jpg" is a lossless or arithmetic-coded JPEG/);
  });
});

describe("quota races", () => {
  it("masters count against the quota", async () => {
    const owner = await signUp("master-quota");
    const g = await newGallery(owner);
    await env.DIRECTORY.prepare("UPDATE tenants SET storage_quota_bytes = ? WHERE id = ?")
      .bind(16 * MiB, owner.studio.id)
      .run();
    const master = padJpeg(fixture("camera.jpg"), 5 * MiB);
    // Four photos fit while each holds only its 2 MiB reserve; their 5 MiB masters do not.
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await json(await startUpload(owner, g.id, `m${i}.jpg`, 1))).photo.id);
    const statuses = [];
    for (const id of ids) statuses.push((await rawPut(owner, `${photosPath(owner, g.id)}/${id}/master`, master, "image/jpeg")).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.slice(2)).toEqual([413, 413]);
    const stored = (await env.MEDIA.list({ prefix: `t/${owner.studio.id}/` })).objects.reduce((s, o) => s + o.size, 0);
    expect(stored).toBeLessThanOrEqual(16 * MiB);
  });

  it("parallel uploads cannot overrun the quota between them", async () => {
    const owner = await signUp("parallel-quota");
    const g = await newGallery(owner);
    await env.DIRECTORY.prepare("UPDATE tenants SET storage_quota_bytes = ? WHERE id = ?")
      .bind(10 * MiB, owner.studio.id)
      .run();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => startUpload(owner, g.id, `p${i}.jpg`, 7 * MiB)));
    const created = results.filter((r) => r.status === 201).length;
    expect(created).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.status === 201 || r.status === 413)).toBe(true);
    expect((await listPhotos(owner, g.id)).length).toBe(created);
  });
});

describe("visitor tokens", () => {
  it("making a gallery private, or changing its password, shuts out earlier visitors", async () => {
    const owner = await signUp("token-version");
    const g = await newGallery(owner);
    const photo = await settled(owner, g.id, await uploadOriginal(owner, g.id, "a.jpg", fixture("camera.jpg")));
    const host = studioHost(owner.studio.slug);
    const early = new CookieJar();
    expect((await call("POST", `/g/${g.id}/access`, { host, jar: early, body: {} })).status).toBe(200);
    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { visibility: "password", password: "first-pass" } });
    expect((await call("GET", photo.urls!.preview, { host, jar: early })).status).toBe(401);
    const guest = new CookieJar();
    await call("POST", `/g/${g.id}/access`, { host, jar: guest, body: { password: "first-pass" } });
    expect((await call("GET", photo.urls!.preview, { host, jar: guest })).status).toBe(200);
    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { password: "second-pass" } });
    expect((await call("GET", photo.urls!.preview, { host, jar: guest })).status).toBe(401);
  });
});

describe("rotated originals through the IMAGES binding", () => {
  it("stay upright after a watermark change and in the web-size download", async () => {
    const owner = await signUp("rotated-big");
    const g = await newGallery(owner, { downloads: { mode: "web" }, visibility: "public" });
    // 2600×1700 stored, orientation 6: displayed 1700×2600, too large for the in-isolate path.
    const photo = await settled(owner, g.id, await uploadOriginal(owner, g.id, "tall.jpg", rotatedJpeg(2600, 1700)));
    expect([photo.width, photo.height]).toEqual([1700, 2600]);
    const previewSize = async () => pixelSize(await call("GET", `${photosPath(owner, g.id)}/${photo.id}/preview.jpg`, { jar: owner.jar }));
    expect(await previewSize()).toEqual([1046, 1600]);
    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { watermark: { position: "top-left" } } });
    await settled(owner, g.id, photo.id, 20_000, (p) => p.urls!.preview.includes("v=2."));
    expect(await previewSize()).toEqual([1046, 1600]);
    const host = studioHost(owner.studio.slug);
    const link = await json(await call("POST", `/media/${g.id}/${photo.id}/download`, { host, body: { size: "web" } }));
    expect(await pixelSize(await call("GET", link.url, { host }))).toEqual([1339, 2048]);
  });
});

describe("half-finished uploads", () => {
  it("deleting a gallery aborts its multipart uploads", async () => {
    const owner = await signUp("abort-uploads");
    const g = await newGallery(owner);
    const { photo } = await json(await startUpload(owner, g.id, "big.jpg", 20 * MiB));
    const shard = owner.studio.shard === 0 ? env.TENANT_DB_0 : env.TENANT_DB_1;
    const row = await shard.prepare("SELECT original_upload_id AS id FROM photos WHERE id = ?").bind(photo.id).first<{ id: string }>();
    const key = `t/${owner.studio.id}/g/${g.id}/p/${photo.id}/original`;
    await env.MEDIA.resumeMultipartUpload(key, row!.id).uploadPart(1, new Uint8Array(5 * MiB));
    expect((await call("DELETE", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar })).status).toBe(204);
    await expect(env.MEDIA.resumeMultipartUpload(key, row!.id).uploadPart(2, new Uint8Array(10))).rejects.toThrow();
  });
});
