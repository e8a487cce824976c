// The image pipeline, end to end inside workerd: upload over HTTP, the real queue, photon, R2, D1.
import { PhotonImage } from "@cf-wasm/photon";
import { describe, expect, it } from "vitest";
import { fixture, newGallery, photosPath, settled, uploadOriginal } from "../helpers/galleries";
import { call, signUp, studioHost } from "../helpers/http";

function decode(bytes: Uint8Array) {
  const img = PhotonImage.new_from_byteslice(bytes);
  try {
    return { w: img.get_width(), h: img.get_height(), px: img.get_raw_pixels() };
  } finally {
    img.free();
  }
}

/** Mean absolute RGB difference of two equally sized images inside a box. */
function diff(a: Uint8Array, b: Uint8Array, width: number, box: { x: number; y: number; w: number; h: number }) {
  let sum = 0;
  let n = 0;
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const i = (y * width + x) * 4;
      sum += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
      n += 3;
    }
  }
  return sum / n;
}

describe("pipeline", () => {
  it("a camera JPEG becomes a thumbnail and a watermarked preview, with its EXIF stored", async () => {
    const owner = await signUp("pipeline-camera", { name: "Pipeline Camera" });
    const gallery = await newGallery(owner, { visibility: "public" });
    const original = fixture("camera.jpg");
    const id = await uploadOriginal(owner, gallery.id, "IMG_0042.jpg", original);
    const photo = await settled(owner, gallery.id, id);
    expect(photo.status).toBe("ready");
    expect(photo.filename).toBe("IMG_0042.jpg");
    expect([photo.width, photo.height]).toEqual([640, 427]);
    expect(photo.exif).toEqual({
      camera: "Canon EOS R5",
      lens: "RF24-70mm F2.8 L IS USM",
      focalLength: 50,
      aperture: 2.8,
      shutter: "1/250",
      iso: 400,
      takenAt: "2026-06-13T15:42:07+02:00",
      orientation: 1,
    });

    const host = studioHost(owner.studio.slug);
    const thumb = await call("GET", photo.urls!.thumb, { host });
    expect(thumb.status).toBe(200);
    const t = decode(new Uint8Array(await thumb.arrayBuffer()));
    expect([t.w, t.h]).toEqual([600, 400]);
    const previewRes = await call("GET", photo.urls!.preview, { host });
    expect(previewRes.headers.get("cache-control")).toContain("immutable");
    const p = decode(new Uint8Array(await previewRes.arrayBuffer()));
    expect([p.w, p.h]).toEqual([640, 427]);

    // The watermark (centred, 40% wide) changes the middle of the picture, not its corners.
    const o = decode(original);
    const middle = { x: Math.round(640 * 0.35), y: 190, w: Math.round(640 * 0.3), h: 40 };
    const corner = { x: 10, y: 10, w: 80, h: 60 };
    const inMark = diff(p.px, o.px, 640, middle);
    const outside = diff(p.px, o.px, 640, corner);
    expect(inMark).toBeGreaterThan(6);
    expect(inMark).toBeGreaterThan(3 * outside);
  });

  it("applies EXIF orientation: a sideways-stored portrait comes out upright", async () => {
    const owner = await signUp("pipeline-orient");
    const gallery = await newGallery(owner);
    const id = await uploadOriginal(owner, gallery.id, "DSCF1234.JPG", fixture("portrait-orient6.jpg"));
    const photo = await settled(owner, gallery.id, id);
    expect(photo.status).toBe("ready");
    expect([photo.width, photo.height]).toEqual([200, 300]);
    expect(photo.exif!.camera).toBe("FUJIFILM X-T5");
    const thumb = await call("GET", `${photosPath(owner, gallery.id)}/${id}/thumb.jpg`, { jar: owner.jar });
    const t = decode(new Uint8Array(await thumb.arrayBuffer()));
    expect([t.w, t.h]).toEqual([200, 300]);
    // Stored with red on the left; rotated 90° clockwise for display, red is on top.
    const at = (x: number, y: number) => Array.from(t.px.subarray((y * t.w + x) * 4, (y * t.w + x) * 4 + 3));
    const [r1, , b1] = at(100, 30);
    const [r2, , b2] = at(100, 250);
    expect(r1! > b1!).toBe(true);
    expect(b2! > r2!).toBe(true);
  });
});
