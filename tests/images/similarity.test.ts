// Similar shots: the fingerprint (perceptual hash, sharpness) on rasters, the clustering on its
// own, then end to end inside workerd: photos with EXIF capture times go through the upload
// protocol and the real queue, and come out stacked (or alone) and flagged soft in D1.

import { env } from "cloudflare:test";
import { PhotonImage } from "@cf-wasm/photon";
import type { Logger } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { GalleryPagePhoto } from "../../worker/contract/galleries";
import type { PhotoView } from "../../worker/contract/photos";
import { shardBinding } from "../../worker/db/shards";
import { TenantDb } from "../../worker/db/tenant-db";
import { captureTime, type Frame, LINK_GAP_MS, restack, SOFT_FLOOR, stackFrames } from "../../worker/domain/photos/stacks";
import { downscale, orient, type Raster } from "../../worker/images/raster";
import { fingerprint, hamming, perceptualHash, sharpestEdges, sharpness } from "../../worker/images/similarity";
import { burstFrame, type Shot, withCaptureTime } from "../helpers/bursts";
import { listPhotos, newGallery, photosPath, rawPut, sendParts, settled, startUpload, uploadOriginal } from "../helpers/galleries";
import { call, json, signUp, studioHost } from "../helpers/http";

function raster(jpeg: Uint8Array): Raster {
  const img = PhotonImage.new_from_byteslice(jpeg);
  try {
    return { px: img.get_raw_pixels(), width: img.get_width(), height: img.get_height() };
  } finally {
    img.free();
  }
}

/** The 600 px raster the pipeline fingerprints (derive.ts: the thumbnail, before encoding). */
const thumb = (shot: Shot) => downscale(raster(burstFrame(shot)), 600, 400);

function brighter(r: Raster, gain: number): Raster {
  const px = r.px.slice();
  for (let i = 0; i < px.length; i += 4) for (let c = 0; c < 3; c++) px[i + c] = Math.min(255, Math.round(px[i + c]! * gain));
  return { ...r, px };
}

describe("fingerprint", () => {
  const a1 = thumb({ scene: 1, noise: 1 });
  const a2 = thumb({ scene: 1, dx: 5, dy: -3, noise: 2 });
  const soft = thumb({ scene: 1, dx: 2, blur: 2, noise: 3 });
  const other = thumb({ scene: 2, noise: 4 });

  it("hashes frames of one scene alike through shifts, noise, blur and exposure, and other scenes apart", () => {
    const h = perceptualHash(a1);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(hamming(h, h)).toBe(0);
    expect(hamming("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hamming(h, perceptualHash(a2))).toBeLessThanOrEqual(6);
    expect(hamming(h, perceptualHash(soft))).toBeLessThanOrEqual(6);
    // A stop darker (no highlight clipped): the median threshold ignores the scale.
    expect(hamming(h, perceptualHash(brighter(a1, 0.73)))).toBeLessThanOrEqual(2);
    expect(hamming(h, perceptualHash(other))).toBeGreaterThan(16);
  });

  it("scores a blurred frame well below its siblings, whatever the exposure or the orientation", () => {
    const [s1, s2, sSoft] = [sharpness(a1), sharpness(a2), sharpness(soft)];
    expect(Math.abs(s1 - s2) / s1).toBeLessThan(0.1);
    expect(sSoft / s1).toBeLessThan(0.7);
    expect(Math.abs(sharpness(brighter(a1, 0.73)) - s1) / s1).toBeLessThan(0.1);
    // A portrait frame (the same pixels turned a quarter) scores as its landscape self.
    expect(Math.abs(sharpness(orient(a1, 6)) - s1) / s1).toBeLessThan(0.05);
  });

  /**
   * A studio shot at the preview's size (1600 px): flat shapes with crisp edges on a plain
   * backdrop, a little sensor noise; `passes` box blurs of radius 1 (two: about a Gaussian σ of
   * 1.15 px, 1.5 on a 2048 px master).
   */
  function studio(passes: number): Raster {
    const [w, h] = [1600, 1066];
    let v = new Float32Array(w * h);
    const shapes = [
      [200, 150, 700, 500, 200],
      [900, 300, 1400, 900, 40],
      [500, 600, 1000, 1000, 150],
    ];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let c = 90 + (30 * x) / w;
        for (const [x0, y0, x1, y1, level] of shapes) if (x >= x0! && x < x1! && y >= y0! && y < y1!) c = level!;
        v[y * w + x] = c;
      }
    }
    for (let pass = 0; pass < passes; pass++) {
      const next = new Float32Array(v.length);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let dy = -1; dy <= 1; dy++) {
            const row = Math.min(h - 1, Math.max(0, y + dy)) * w;
            for (let dx = -1; dx <= 1; dx++) s += v[row + Math.min(w - 1, Math.max(0, x + dx))]!;
          }
          next[y * w + x] = s / 9;
        }
      }
      v = next;
    }
    const px = new Uint8Array(w * h * 4);
    let seed = 12345;
    for (let i = 0; i < v.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const g = Math.max(0, Math.min(255, Math.round(v[i]! + ((seed >>> 16) % 5) - 2)));
      px.set([g, g, g, 255], i * 4);
    }
    return { px, width: w, height: h };
  }

  it("sees on the preview a blur too fine for the thumbnail, and leaves sharp frames their thumbnail's score", () => {
    const [crisp, soft] = [studio(0), studio(2)];
    const [crispThumb, softThumb] = [downscale(crisp, 600, 400), downscale(soft, 600, 400)];
    // A blur of under a thumbnail pixel: the thumbnail alone scores it above the floor.
    expect(sharpness(softThumb)).toBeGreaterThan(SOFT_FLOOR);
    expect(fingerprint(softThumb, soft).sharpness).toBeLessThan(0.7 * SOFT_FLOOR);
    expect(fingerprint(crispThumb, crisp)).toEqual({ phash: perceptualHash(crispThumb), sharpness: sharpness(crispThumb) });
    // No preview (a photo no bigger than its thumbnail): the thumbnail's score alone.
    expect(fingerprint(softThumb).sharpness).toBe(sharpness(softThumb));
    // Square tiles: a portrait frame's edges score as its landscape self's.
    expect(Math.abs(sharpestEdges(orient(soft, 6)) - sharpestEdges(soft)) / sharpestEdges(soft)).toBeLessThan(0.1);
  });
});

describe("stackFrames", () => {
  const f = (id: string, s: number, phash: string, sharp = 0.2): Frame => ({
    id,
    takenAt: Date.UTC(2026, 5, 14, 15, 0, 0) + s * 1000,
    phash,
    sharpness: sharp,
  });
  const A = "f0f0f0f0f0f0f0f0";
  const A2 = "f0f0f0f0f0f0f0f3"; // 2 bits from A
  const B = "0f0f0f0f0f0f0f0f"; // 64 bits from A

  it("links alike frames seconds apart, chains a long burst, names the stack by its earliest frame", () => {
    // A burst of ten frames two seconds apart spans 18 s; an unlike frame in the middle of it stays out.
    const burst = Array.from({ length: 10 }, (_, i) => f(`p${9 - i}`, i * 2, i % 2 ? A2 : A));
    const out = stackFrames([...burst, f("q", 7, B)]);
    for (const b of burst) expect(out.get(b.id)).toEqual({ stackId: "p9", soft: false });
    expect(out.get("q")).toEqual({ stackId: null, soft: false });
    // Frames of the same second are named by the smaller id.
    expect(stackFrames([f("z", 0, A), f("y", 0, A)]).get("z")!.stackId).toBe("y");
  });

  it("keeps frames apart that are too far apart in time", () => {
    const out = stackFrames([f("a", 0, A), f("b", LINK_GAP_MS / 1000 + 1, A)]);
    expect([out.get("a")!.stackId, out.get("b")!.stackId]).toEqual([null, null]);
  });

  it("flags frames well below the sharpest of their stack, and a blurred single", () => {
    const out = stackFrames([f("a", 0, A, 0.2), f("b", 0, A, 0.19), f("c", 1, A, 0.12), f("d", 30, B, SOFT_FLOOR - 0.02), f("e", 60, B, 0.2)]);
    expect([...out.values()].map((p) => p.soft)).toEqual([false, false, true, true, false]);
  });

  it("reads EXIF capture times as UTC unless they carry an offset", () => {
    expect(captureTime({ takenAt: "2026-06-14T15:02:11" })).toBe(Date.UTC(2026, 5, 14, 15, 2, 11));
    expect(captureTime({ takenAt: "2026-06-14T15:02:11+02:00" })).toBe(Date.UTC(2026, 5, 14, 13, 2, 11));
    expect(captureTime({ takenAt: null })).toBeNull();
    expect(captureTime({ takenAt: "yesterday" })).toBeNull();
    expect(captureTime(null)).toBeNull();
  });
});

/** Polls the gallery until `done` holds for its photos (restacking follows each photo's "ready"). */
async function until(o: Parameters<typeof listPhotos>[0], galleryId: string, done: (ps: PhotoView[]) => boolean): Promise<Map<string, PhotoView>> {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const ps = await listPhotos(o, galleryId);
    if (done(ps) || Date.now() > deadline) return new Map(ps.map((p) => [p.id, p]));
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("similar shots in the pipeline", () => {
  it("two bursts and three singles come out as two stacks and three singles, the blurred frame soft", async () => {
    const owner = await signUp("similar-shots");
    const gallery = await newGallery(owner, { visibility: "public" });
    const upload = (name: string, shot: Shot, time: string | null) => {
      const jpeg = burstFrame(shot);
      return uploadOriginal(owner, gallery.id, name, time ? withCaptureTime(jpeg, time) : jpeg);
    };
    // Burst A: four frames over three seconds, the third out of focus. Uploaded out of order
    // between the others, as parallel uploads finish: arrival order must not matter.
    const a3 = await upload("A3.jpg", { scene: 11, dx: -4, dy: 1, blur: 3, noise: 3 }, "2026:06:14 15:02:12");
    const s1 = await upload("S1.jpg", { scene: 33, noise: 10 }, "2026:06:14 15:02:14"); // a second after A4, another scene
    const a1 = await upload("A1.jpg", { scene: 11, noise: 1 }, "2026:06:14 15:02:11");
    const s2 = await upload("S2.jpg", { scene: 11, dx: 2, noise: 11 }, "2026:06:14 15:02:40"); // A's scene, half a minute on
    const a4 = await upload("A4.jpg", { scene: 11, dx: 6, dy: -3, noise: 4 }, "2026:06:14 15:02:13");
    const s3 = await upload("S3.jpg", { scene: 44, noise: 12 }, "2026:06:14 15:05:00");
    const a2 = await upload("A2.jpg", { scene: 11, dx: 3, dy: 2, noise: 2 }, "2026:06:14 15:02:11");
    const none = await upload("N1.jpg", { scene: 11, dx: 1, noise: 13 }, null); // looks like A, no capture time

    // Burst B the way the dashboard uploads: masters (no EXIF) first, originals after.
    const b = [];
    for (const [i, time] of ["2026:06:14 15:03:40", "2026:06:14 15:03:40", "2026:06:14 15:03:42"].entries()) {
      const shot = { scene: 22, dx: i * 4, dy: -i * 2, noise: 20 + i };
      const original = withCaptureTime(burstFrame(shot), time);
      const { photo, upload: plan } = await json(await startUpload(owner, gallery.id, `B${i + 1}.jpg`, original.length, { contentType: "image/jpeg" }));
      expect((await rawPut(owner, `${photosPath(owner, gallery.id)}/${photo.id}/master`, burstFrame(shot), "image/jpeg")).status).toBe(200);
      b.push({ id: photo.id as string, original, partSize: plan.partSize as number });
    }
    for (const p of b) expect((await settled(owner, gallery.id, p.id)).stackId).toBeNull(); // no capture time yet
    for (const p of b) {
      await sendParts(owner, gallery.id, p.id, p.original, p.partSize);
      expect((await call("POST", `${photosPath(owner, gallery.id)}/${p.id}/original/complete`, { jar: owner.jar })).status).toBe(200);
    }

    const burstA = [a1, a2, a3, a4];
    const burstB = b.map((p) => p.id);
    const first = (ids: string[]) => [...ids].sort()[0]!; // of the frames taken in the first second
    const stackA = first([a1, a2]);
    const stackB = first(burstB.slice(0, 2));
    const seen = await until(
      owner,
      gallery.id,
      (ps) => ps.length === 11 && ps.every((p) => p.status === "ready" && p.exif !== null) && ps.filter((p) => p.stackId).length === 7,
    );
    for (const id of seen.keys()) expect(seen.get(id)!.status, seen.get(id)!.failureReason ?? "").toBe("ready");
    for (const id of burstA) expect(seen.get(id)!.stackId, seen.get(id)!.filename).toBe(stackA);
    for (const id of burstB) expect(seen.get(id)!.stackId, seen.get(id)!.filename).toBe(stackB);
    for (const id of [s1, s2, s3, none]) expect(seen.get(id)!.stackId, seen.get(id)!.filename).toBeNull();
    expect(Object.fromEntries([...seen.values()].map((p) => [p.filename, p.soft]))).toEqual({
      "A1.jpg": false,
      "A2.jpg": false,
      "A3.jpg": true,
      "A4.jpg": false,
      "B1.jpg": false,
      "B2.jpg": false,
      "B3.jpg": false,
      "S1.jpg": false,
      "S2.jpg": false,
      "S3.jpg": false,
      "N1.jpg": false,
    });

    // Clients see the stacks too (never the soft flags).
    const host = studioHost(owner.studio.slug);
    const page = await json<{ photos: GalleryPagePhoto[] }>(await call("GET", `/g/${gallery.id}/photos?ids=${[a1, s1].join(",")}`, { host }));
    expect(page.photos.map((p) => p.stack ?? null)).toEqual([{ id: stackA, size: burstA.length }, null]);
    expect(page.photos[0]).not.toHaveProperty("soft");

    // Restacking again changes nothing, and its window read walks photos_taken_idx.
    const seenSql: { sql: string; params: unknown[] }[] = [];
    const logger: Logger = { logQuery: (sql, params) => void seenSql.push({ sql, params }) };
    const d1 = shardBinding(env, owner.studio.shard);
    expect(await restack(new TenantDb(d1, owner.studio, { logger }), gallery.id, a3)).toEqual({ stackId: stackA, soft: true });
    expect(seenSql.filter((s) => /^\s*update/i.test(s.sql))).toEqual([]);
    const windowReads = seenSql.filter((s) => /"taken_at" >= \?|"taken_at" > \?/.test(s.sql));
    expect(windowReads).toHaveLength(2);
    for (const s of windowReads) {
      const { results } = await d1
        .prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
        .bind(...s.params)
        .all<{ detail: string }>();
      const plan = results.map((r) => r.detail).join("; ");
      expect(plan).toMatch(/USING INDEX photos_taken_idx/);
      expect(plan).not.toMatch(/TEMP B-TREE|^SCAN/);
    }

    // Deleting the frame a stack is named after names it after the next; a burst cut down to one
    // frame is a single photo again.
    const remove = async (id: string) => expect((await call("DELETE", `${photosPath(owner, gallery.id)}/${id}`, { jar: owner.jar })).status).toBe(204);
    await remove(stackA);
    const nextA = [a1, a2].find((id) => id !== stackA)!;
    for (const id of burstB.filter((id) => id !== stackB).slice(1)) await remove(id);
    await remove(stackB);
    const after = new Map((await listPhotos(owner, gallery.id)).map((p) => [p.id, p]));
    for (const id of [nextA, a3, a4]) expect(after.get(id)!.stackId, after.get(id)!.filename).toBe(nextA);
    const lastB = burstB.find((id) => after.has(id))!;
    expect(after.get(lastB)).toMatchObject({ stackId: null, soft: false });
    expect([...after.values()].filter((p) => p.stackId !== null)).toHaveLength(3);
  });
});
