// Galleries: settings and their validation, sets and order, watermark changes re-rendering
// previews from masters, a logo watermark, and deletion that leaves nothing in R2.

import { env } from "cloudflare:test";
import { PhotonImage } from "@cf-wasm/photon";
import { describe, expect, it } from "vitest";
import type { GalleriesResponse } from "../../worker/contract/galleries";
import { tenantDbById } from "../../worker/db/shards";
import { photos } from "../../worker/db/tenant-schema";
import { fixture, galleriesPath, listPhotos, newGallery, photosPath, rawPut, settled, uploadOriginal } from "../helpers/galleries";
import { call, json, signUp, studioHost } from "../helpers/http";

describe("gallery settings", () => {
  it("creates a gallery with sets and rules, and shows no secrets", async () => {
    const owner = await signUp("gallery-create", { name: "Lumen Studio" });
    const gallery = await newGallery(owner, {
      visibility: "password",
      password: "rings-2026",
      expiresAt: "2027-01-31T23:59:00Z",
      downloads: { mode: "high_res", pin: "4321" },
      selection: { minPerList: 10, maxPerList: 40, dueAt: Date.UTC(2026, 11, 1) },
      sets: ["Getting ready", "Ceremony", "Reception"],
    });
    expect(gallery).toMatchObject({
      title: "Smith Wedding",
      visibility: "password",
      hasPassword: true,
      expiresAt: Date.parse("2027-01-31T23:59:00Z"),
      downloads: { mode: "high_res", pinRequired: true },
      watermark: { enabled: true, kind: "text", text: "Lumen Studio", hasLogo: false, version: 1 },
      selection: { listsAllowed: true, minPerList: 10, maxPerList: 40 },
    });
    expect(gallery.sets.map((s) => s.name)).toEqual(["Getting ready", "Ceremony", "Reception"]);
    const text = JSON.stringify(gallery);
    expect(text).not.toMatch(/rings-2026|4321|pbkdf2/);
    const list = await json<GalleriesResponse>(await call("GET", galleriesPath(owner), { jar: owner.jar }));
    expect(list.galleries.map((g) => g.id)).toEqual([gallery.id]);
  });

  it("refuses bad settings, naming the field, and changes nothing", async () => {
    const owner = await signUp("gallery-bad");
    const g = await newGallery(owner);
    const bad: [unknown, RegExp][] = [
      [{ title: "" }, /title: is required/],
      [{ visibility: "secret" }, /visibility/],
      [{ visibility: "password" }, /password: is required when visibility is password/],
      [{ expiresAt: "next tuesday" }, /expiresAt: must be an ISO date-time/],
      [{ downloads: { mode: "original", pin: "12" } }, /downloads\.pin: must be 4 to 8 digits/],
      [{ watermark: { opacity: 3 } }, /watermark\.opacity: must be at most 1/],
      [{ selection: { minPerList: 50, maxPerList: 10 } }, /selection\.minPerList: must not exceed/],
      [{ coverPhotoId: "p_nope" }, /coverPhotoId: is not a photo of this gallery/],
      [{ watermark: { kind: "logo" } }, /watermark\.kind: upload a logo \(PNG\) before choosing the logo watermark/],
      [{ plan: "free" }, /Unrecognized key/],
    ];
    for (const [body, message] of bad) {
      const res = await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body });
      const out = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(out.error.message).toMatch(message);
    }
    const after = await json(await call("GET", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar }));
    expect({ ...after.gallery, updatedAt: 0 }).toEqual({ ...g, updatedAt: 0 });
  });

  it("takes a whole 5,000-photo wedding's new order in one request", async () => {
    const owner = await signUp("gallery-big-order");
    const g = await newGallery(owner);
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    // Ids as long as real ones (p_ and 16 characters), so the body is as big as a real wedding's.
    const made = Array.from({ length: 5000 }, (_, i) => ({
      id: `p_${String(i).padStart(16, "0")}`,
      galleryId: g.id,
      filename: `DSC_${String(i).padStart(4, "0")}.jpg`,
      contentType: "image/jpeg",
      size: 1000,
      status: "ready" as const,
      position: i,
    }));
    const inserts = tdb.insertRows(photos, made);
    await tdb.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
    const reversed = made.map((p) => p.id).reverse();
    const order = await call("POST", `${photosPath(owner, g.id)}/order`, { jar: owner.jar, body: { photoIds: reversed } });
    expect(order.status, await order.clone().text()).toBe(204);
    expect((await listPhotos(owner, g.id)).slice(0, 3).map((p) => p.filename)).toEqual(["DSC_4999.jpg", "DSC_4998.jpg", "DSC_4997.jpg"]);
    // Past its own limit a body is still refused as too large, and changes nothing.
    const huge = await call("POST", `${photosPath(owner, g.id)}/order`, { jar: owner.jar, body: { photoIds: [...reversed, ...reversed] } });
    expect(huge.status).toBe(413);
    expect((await listPhotos(owner, g.id))[0]!.filename).toBe("DSC_4999.jpg");
  });

  it("sets hold photos; deleting a set keeps its photos; photos can be reordered", async () => {
    const owner = await signUp("gallery-sets");
    const g = await newGallery(owner, { sets: ["Ceremony"] });
    const [ceremony] = g.sets;
    const a = await uploadOriginal(owner, g.id, "a.jpg", fixture("camera.jpg"));
    const b = await uploadOriginal(owner, g.id, "b.jpg", fixture("camera.jpg"));
    const moved = await call("PATCH", `${photosPath(owner, g.id)}/${b}`, { jar: owner.jar, body: { setId: ceremony!.id } });
    expect((await json(moved)).photo.setId).toBe(ceremony!.id);
    const order = await call("POST", `${photosPath(owner, g.id)}/order`, { jar: owner.jar, body: { photoIds: [b, a] } });
    expect(order.status).toBe(204);
    expect((await listPhotos(owner, g.id)).map((p) => p.filename)).toEqual(["b.jpg", "a.jpg"]);
    const foreign = await call("POST", `${photosPath(owner, g.id)}/order`, { jar: owner.jar, body: { photoIds: ["p_elsewhere"] } });
    expect(foreign.status).toBe(400);
    expect((await call("DELETE", `${galleriesPath(owner)}/${g.id}/sets/${ceremony!.id}`, { jar: owner.jar })).status).toBe(204);
    const photos = await listPhotos(owner, g.id);
    expect(photos.map((p) => [p.filename, p.setId])).toEqual([
      ["b.jpg", null],
      ["a.jpg", null],
    ]);
  });
});

describe("watermarks", () => {
  it("a watermark change re-renders previews from the stored masters, with progress", async () => {
    const owner = await signUp("rewatermark");
    const g = await newGallery(owner, { visibility: "public" });
    const id = await uploadOriginal(owner, g.id, "IMG_1.jpg", fixture("camera.jpg"));
    const first = await settled(owner, g.id, id);
    const host = studioHost(owner.studio.slug);
    const p1 = new Uint8Array(await (await call("GET", first.urls!.preview, { host })).arrayBuffer());
    const changed = await json(
      await call("PATCH", `${galleriesPath(owner)}/${g.id}`, {
        jar: owner.jar,
        body: { watermark: { position: "bottom-right", text: "© Rewatermark", opacity: 0.6 } },
      }),
    );
    expect(changed.gallery.watermark.version).toBe(2);
    expect(changed.gallery.watermarkProgress.total).toBe(1);
    const second = await settled(owner, g.id, id, 20_000, (p) => p.urls?.preview !== first.urls!.preview && p.status === "ready");
    const progress = await json(await call("GET", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar }));
    expect(progress.gallery.watermarkProgress).toEqual({ done: 1, total: 1 });
    const p2 = new Uint8Array(await (await call("GET", second.urls!.preview, { host })).arrayBuffer());
    expect(p1.length).toBeGreaterThan(1000);
    expect(p2.length).toBeGreaterThan(1000);
    expect(p1.length === p2.length && p1.every((b, i) => b === p2[i])).toBe(false);
    // The old preview is gone from R2; only the new version remains.
    const keys = (await env.MEDIA.list({ prefix: `t/${owner.studio.id}/g/${g.id}/p/${id}/` })).objects.map((o) => o.key.split("/").pop());
    expect(keys.sort()).toEqual(["original", "preview-v2.jpg", "thumb.jpg"]);
  });

  it("a logo PNG watermark is accepted and applied; other files are refused", async () => {
    const owner = await signUp("logo-mark");
    const g = await newGallery(owner);
    const id = await uploadOriginal(owner, g.id, "IMG_2.jpg", fixture("camera.jpg"));
    await settled(owner, g.id, id);
    const path = `${galleriesPath(owner)}/${g.id}/watermark/logo`;
    const jpeg = await rawPut(owner, path, fixture("camera.jpg"), "image/jpeg");
    expect(jpeg.status).toBe(415);
    expect((await json(jpeg)).error.message).toMatch(/logo must be a PNG/);
    const ok = await rawPut(owner, path, fixture("logo.png"), "image/png");
    expect(ok.status, await ok.clone().text()).toBe(200);
    const gallery = (await json(ok)).gallery;
    expect(gallery.watermark).toMatchObject({ kind: "logo", hasLogo: true, version: 2 });
    const photo = await settled(owner, g.id, id, 20_000, (p) => p.status === "ready" && p.urls!.preview.includes("v=2."));
    const preview = await call("GET", `${photosPath(owner, g.id)}/${photo.id}/preview.jpg`, { jar: owner.jar });
    const img = PhotonImage.new_from_byteslice(new Uint8Array(await preview.arrayBuffer()));
    // The logo's white disc sits left of centre at about 40% opacity: brighter than the sky there.
    const px = img.get_raw_pixels();
    const w = img.get_width();
    const at = (x: number, y: number) => px[(y * w + x) * 4]! + px[(y * w + x) * 4 + 1]! + px[(y * w + x) * 4 + 2]!;
    const cx = Math.round(640 * 0.3 + (640 * 0.4 * 44) / 240);
    expect(at(cx, 213) - at(cx, 60)).toBeGreaterThan(60);
    img.free();
  });
});

describe("deleting a gallery", () => {
  it("removes its photos, sets and every object in R2, and nothing of other galleries", async () => {
    const owner = await signUp("gallery-delete");
    const doomed = await newGallery(owner, { sets: ["A"] });
    const kept = await newGallery(owner, { title: "Kept" });
    await settled(owner, doomed.id, await uploadOriginal(owner, doomed.id, "x.jpg", fixture("camera.jpg")));
    await settled(owner, kept.id, await uploadOriginal(owner, kept.id, "y.jpg", fixture("camera.jpg")));
    // An upload still in progress is aborted with the gallery.
    await call("POST", photosPath(owner, doomed.id), { jar: owner.jar, body: { filename: "half.jpg", size: 20_000_000 } });
    expect((await call("DELETE", `${galleriesPath(owner)}/${doomed.id}`, { jar: owner.jar })).status).toBe(204);
    expect((await call("GET", `${galleriesPath(owner)}/${doomed.id}`, { jar: owner.jar })).status).toBe(404);
    expect((await env.MEDIA.list({ prefix: `t/${owner.studio.id}/g/${doomed.id}/` })).objects).toEqual([]);
    // The kept photo: its original (small enough to be its own master), thumb and preview.
    expect((await env.MEDIA.list({ prefix: `t/${owner.studio.id}/g/${kept.id}/` })).objects.length).toBe(3);
    expect((await listPhotos(owner, kept.id)).map((p) => p.filename)).toEqual(["y.jpg"]);
  });
});
