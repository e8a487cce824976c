// Files made to crash the image worker: bytes are checked before they are read, a logo is drawn no
// larger than the preview it marks, and a job that never finishes ends as failed with a reason.
import { env } from "cloudflare:test";
import { PhotonImage } from "@cf-wasm/photon";
import { describe, expect, it } from "vitest";
import { DIRECT_MAX_BYTES, LOGO_MAX_EDGE, LOGO_UPLOAD_MAX_EDGE } from "../../worker/domain/photos/limits";
import { renderDerivatives } from "../../worker/images/derive";
import { fixture, galleriesPath, newGallery, rawPut, settled, startUpload, uploadOriginal } from "../helpers/galleries";
import { call, json, signUp } from "../helpers/http";
import { padJpeg } from "../helpers/jpeg";

const MiB = 1024 * 1024;

/** An opaque PNG of the given size, made by photon. */
function png(width: number, height: number): Uint8Array {
  const img = new PhotonImage(new Uint8Array(width * height * 4).fill(200), width, height);
  try {
    return img.get_bytes();
  } finally {
    img.free();
  }
}

describe("what the image worker reads into memory", () => {
  it("a small frame padded past the direct limit is made into a master outside the isolate, never read whole", async () => {
    const owner = await signUp("padded-original");
    const g = await newGallery(owner);
    const padded = padJpeg(fixture("camera.jpg"), DIRECT_MAX_BYTES + 4 * MiB);
    const photoId = await uploadOriginal(owner, g.id, "IMG_PAD.jpg", padded);
    const photo = await settled(owner, g.id, photoId, 60_000);
    expect(photo.status, photo.failureReason ?? "").toBe("ready");
    // The direct path stores no master; the IMAGES binding's master is there, small.
    const master = await env.MEDIA.head(`t/${owner.studio.id}/g/${g.id}/p/${photoId}/master.jpg`);
    expect(master).not.toBeNull();
    expect(master!.size).toBeLessThan(2 * MiB);
  });

  it("a tall logo is drawn within the preview, not scaled to its width", () => {
    const settings = { enabled: true, kind: "logo", text: "", position: "center", opacity: 0.5, scale: 0.3, logoKey: "x" } as const;
    const d = renderDerivatives(fixture("camera.jpg"), 1, settings, png(16, 400));
    expect(d.watermarkBox).not.toBeNull();
    const box = d.watermarkBox!;
    const previewHeight = Math.min(d.height, 1600);
    expect(box.height).toBeLessThanOrEqual(Math.ceil(previewHeight * settings.scale) + 1);
    expect(box.width).toBeLessThanOrEqual(box.height);
  });

  it(`a logo over ${LOGO_MAX_EDGE} px is stored scaled down by the IMAGES binding; one over ${LOGO_UPLOAD_MAX_EDGE} px is refused by name`, async () => {
    const owner = await signUp("big-logo");
    const g = await newGallery(owner);
    const res = await rawPut(owner, `${galleriesPath(owner)}/${g.id}/watermark/logo`, png(2100, 1400), "image/png");
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    const [key] = (await env.MEDIA.list({ prefix: `t/${owner.studio.id}/g/${g.id}/logo` })).objects.map((o) => o.key);
    const stored = await env.MEDIA.get(key!);
    const logo = PhotonImage.new_from_byteslice(new Uint8Array(await stored!.arrayBuffer()));
    expect([logo.get_width(), logo.get_height()]).toEqual([LOGO_MAX_EDGE, 800]);
    logo.free();
    // A photo in the gallery is drawn with it.
    const photoId = await uploadOriginal(owner, g.id, "IMG_LOGO.jpg", fixture("camera.jpg"));
    expect((await settled(owner, g.id, photoId, 60_000)).status).toBe("ready");

    const huge = await rawPut(owner, `${galleriesPath(owner)}/${g.id}/watermark/logo`, png(4100, 300), "image/png");
    const refused = await json(huge);
    expect(huge.status, JSON.stringify(refused)).toBe(400);
    expect(refused.error.message).toMatch(/The logo is 4100×300; it must be at most 4000 px on its long edge/);
  });
});

/** A PNG that declares 30000×30000 pixels in a few dozen bytes: what a decompression bomb's header says. */
function pngBomb(): Uint8Array {
  const ihdr = [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 6, 0, 0, 0, 0, 0, 0, 0];
  const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...ihdr, ...iend]);
}

describe("a decompression bomb", () => {
  it("is refused by what its header declares, by name and size, as an original, a master and a logo", async () => {
    const owner = await signUp("png-bomb");
    const g = await newGallery(owner);
    const bomb = pngBomb();
    const { photo, upload } = await json(await startUpload(owner, g.id, "bomb.png", bomb.length));
    expect(upload.partCount).toBe(1);
    const part = await rawPut(owner, `${galleriesPath(owner)}/${g.id}/photos/${photo.id}/original/parts/1`, bomb, "image/png");
    const refused = await json(part);
    expect(part.status, JSON.stringify(refused)).toBe(413);
    expect(refused.error.message).toBe('"bomb.png" is 30000×30000 (900 megapixels); the most Loupe takes is 200 megapixels.');
    const other = await json(await startUpload(owner, g.id, "other.jpg", 50_000));
    const master = await rawPut(owner, `${galleriesPath(owner)}/${g.id}/photos/${other.photo.id}/master`, bomb, "image/png");
    expect(master.status).toBe(413);
    const logo = await rawPut(owner, `${galleriesPath(owner)}/${g.id}/watermark/logo`, bomb, "image/png");
    expect(logo.status).toBe(413);
    expect((await json(logo)).error.message).toMatch(/30000×30000/);
  });
});

describe("thumbnails", () => {
  it("carry the watermark when the studio asks, and only then", async () => {
    const style = { enabled: true, kind: "text", text: "PROOF", position: "center", opacity: 0.9, scale: 0.8, logoKey: null } as const;
    const clean = renderDerivatives(fixture("camera.jpg"), 1, style, null);
    const marked = renderDerivatives(fixture("camera.jpg"), 1, { ...style, thumbnails: true }, null);
    expect(marked.preview).toEqual(clean.preview);
    expect(Buffer.from(marked.thumb).equals(Buffer.from(clean.thumb))).toBe(false);
    // The setting goes through the dashboard's API like the others.
    const owner = await signUp("thumb-watermark");
    const g = await newGallery(owner);
    const res = await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { watermark: { thumbnails: true } } });
    expect(res.status).toBe(200);
    expect((await json(res)).gallery.watermark.thumbnails).toBe(true);
  });
});

describe("a job that never finishes", () => {
  it("ends as failed with a reason when the queue gives it up, instead of processing for ever", async () => {
    const owner = await signUp("dead-letter");
    const g = await newGallery(owner);
    const { photo } = await json(await startUpload(owner, g.id, "IMG_DEAD.jpg", 50_000));
    const shard = owner.studio.shard === 0 ? env.TENANT_DB_0 : env.TENANT_DB_1;
    await shard.prepare("UPDATE photos SET status = 'processing' WHERE id = ?").bind(photo.id).run();
    // What the queue does with a message whose every delivery ended without an answer.
    await env.IMAGE_DLQ.send({ kind: "photo", tenantId: owner.studio.id, photoId: photo.id });
    const failed = await settled(owner, g.id, photo.id, 20_000, (p) => p.status === "failed");
    expect(failed.failureReason).toMatch(/stopped on this photo 6 times/);
  });
});
