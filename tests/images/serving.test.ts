// What clients get: derivatives under the gallery's access rule, with ETag and immutable caching;
// downloads only with a right, by signed links; and the room told when a photo is ready.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fixture, galleriesPath, newGallery, settled, uploadOriginal } from "../helpers/galleries";
import { APP_HOST, CookieJar, call, json, ROOT, signUp, studioHost } from "../helpers/http";
import { pixelSize, syntheticJpeg } from "../helpers/jpeg";

describe("serving derivatives", () => {
  it("public galleries serve with ETag and immutable caching; If-None-Match gets 304", async () => {
    const owner = await signUp("serve-public");
    const g = await newGallery(owner, { visibility: "public" });
    const photo = await settled(owner, g.id, await uploadOriginal(owner, g.id, "a.jpg", fixture("camera.jpg")));
    const host = studioHost(owner.studio.slug);
    const res = await call("GET", photo.urls!.thumb, { host });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"/);
    const again = await call("GET", photo.urls!.thumb, { host, headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("a password gallery shows nothing until its password earns a visitor cookie", async () => {
    const owner = await signUp("serve-private");
    const g = await newGallery(owner, { visibility: "password", password: "confetti" });
    const photo = await settled(owner, g.id, await uploadOriginal(owner, g.id, "a.jpg", fixture("camera.jpg")));
    const host = studioHost(owner.studio.slug);
    const page = await call("GET", `/g/${g.id}`, { host, headers: { accept: "text/html" } });
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain(`<form id="gallery-access" class="card" data-gallery="${g.id}">`);
    expect(html).toContain('<script type="module" src="/assets/gallery-access.js">');
    expect(html).not.toContain("a.jpg");
    const locked = await call("GET", photo.urls!.preview, { host });
    expect(locked.status).toBe(401);
    expect((await json(locked)).error.code).toBe("password_required");
    const wrong = await call("POST", `/g/${g.id}/access`, { host, body: { password: "balloons" } });
    expect(wrong.status).toBe(401);
    const visitor = new CookieJar();
    const right = await call("POST", `/g/${g.id}/access`, { host, jar: visitor, body: { password: "confetti", name: "Aunt May", email: "may@example.test" } });
    expect(right.status).toBe(200);
    const open = await call("GET", photo.urls!.preview, { host, jar: visitor });
    expect(open.status).toBe(200);
    expect(open.headers.get("cache-control")).toMatch(/^private/);
    // The cookie is for this gallery only: another password gallery of the studio stays shut.
    const other = await newGallery(owner, { visibility: "password", password: "other-one" });
    const otherPhoto = await settled(owner, other.id, await uploadOriginal(owner, other.id, "b.jpg", fixture("camera.jpg")));
    expect((await call("GET", otherPhoto.urls!.preview, { host, jar: visitor })).status).toBe(401);
  });

  it("an expired gallery is closed to clients", async () => {
    const owner = await signUp("serve-expired");
    const g = await newGallery(owner, { visibility: "public" });
    const photo = await settled(owner, g.id, await uploadOriginal(owner, g.id, "a.jpg", fixture("camera.jpg")));
    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { expiresAt: Date.now() - 1000 } });
    const res = await call("GET", photo.urls!.thumb, { host: studioHost(owner.studio.slug) });
    expect(res.status).toBe(410);
    expect((await json(res)).error.code).toBe("gallery_expired");
  });
});

describe("downloads", () => {
  it("need the gallery's rule and PIN, and come as signed links valid on their own studio only", async () => {
    const owner = await signUp("downloads");
    const g = await newGallery(owner, { visibility: "public" });
    const original = fixture("camera.jpg");
    const photo = await settled(owner, g.id, await uploadOriginal(owner, g.id, "IMG_0042.jpg", original));
    const host = studioHost(owner.studio.slug);
    const ask = (body: unknown) => call("POST", `/media/${g.id}/${photo.id}/download`, { host, body });

    const off = await ask({ size: "original" });
    expect(off.status).toBe(403);
    expect((await json(off)).error.message).toBe("Downloads are off for this gallery.");

    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { downloads: { mode: "web", pin: "2468" } } });
    expect((await json(await ask({ size: "original" }))).error.code).toBe("download_not_allowed");
    expect((await json(await ask({ size: "web" }))).error.code).toBe("pin_required");
    expect((await json(await ask({ size: "web", pin: "1111" }))).error.code).toBe("pin_required");

    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { downloads: { mode: "original", pin: null } } });
    const link = await json(await ask({ size: "original" }));
    expect(link.url).toMatch(/^\/dl\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const file = await call("GET", link.url, { host });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''IMG_0042.jpg");
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(bytes.length === original.length && bytes.every((b, i) => b === original[i])).toBe(true);

    // The same link on another studio's host, or tampered with, opens nothing.
    const other = await signUp("downloads-other");
    expect((await call("GET", link.url, { host: studioHost(other.studio.slug) })).status).toBe(404);
    expect((await call("GET", `${link.url.slice(0, -3)}abc`, { host })).status).toBe(404);
  });
});

describe("large originals", () => {
  it("an original over the WASM budget gets its master from the IMAGES binding", async () => {
    const owner = await signUp("big-original");
    const g = await newGallery(owner);
    // 2600×1700 (4.4 MP): too big to decode in the isolate's budget, so the binding makes the master.
    const jpeg = syntheticJpeg(2600, 1700, (x, y) => [x % 256, y % 256, 128]);
    const photo = await settled(owner, g.id, await uploadOriginal(owner, g.id, "DSC_9000.jpg", jpeg));
    expect(photo.status).toBe("ready");
    expect([photo.width, photo.height]).toEqual([2600, 1700]);
    const master = await env.MEDIA.head(`t/${owner.studio.id}/g/${g.id}/p/${photo.id}/master.jpg`);
    expect(master).not.toBeNull();
    const preview = await call("GET", `${galleriesPath(owner)}/${g.id}/photos/${photo.id}/preview.jpg`, { jar: owner.jar });
    expect(await pixelSize(preview)).toEqual([1600, 1046]);
  });
});

describe("the site icon", () => {
  it("every host answers /favicon.ico with the icon, and pages link it", async () => {
    const owner = await signUp("favicon-studio");
    for (const host of [studioHost(owner.studio.slug), APP_HOST, ROOT]) {
      const res = await call("GET", "/favicon.ico", { host });
      expect(res.status, host).toBe(301);
      const icon = await call("GET", res.headers.get("location")!, { host });
      expect(icon.status, host).toBe(200);
      expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    }
    const home = await (await call("GET", "/", { host: studioHost(owner.studio.slug), headers: { accept: "text/html" } })).text();
    expect(home).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>');
  });
});

describe("the studio's home page", () => {
  it("shows each public gallery as a card with its cover, or its first photo until one is chosen", async () => {
    const owner = await signUp("home-covers");
    const host = studioHost(owner.studio.slug);
    const g = await newGallery(owner, { visibility: "public", title: "Harbour Engagement" });
    const hidden = await newGallery(owner, { visibility: "unlisted", title: "Private Boudoir" });
    const first = await settled(owner, g.id, await uploadOriginal(owner, g.id, "first.jpg", fixture("camera.jpg")));
    const second = await settled(owner, g.id, await uploadOriginal(owner, g.id, "second.jpg", fixture("portrait-orient6.jpg")));
    const card = async () => {
      const html = await (await call("GET", "/", { host, headers: { accept: "text/html" } })).text();
      expect(html).not.toContain(hidden.title);
      return /<a href="\/g\/([\w-]+)"><img src="([^"]+)"[^>]*\/><span class="card-title">([^<]+)</.exec(html)?.slice(1);
    };
    expect(await card()).toEqual([g.id, first.urls!.thumb, "Harbour Engagement"]);
    expect((await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { coverPhotoId: second.id } })).status).toBe(200);
    const [, src] = (await card())!;
    expect(src).toBe(second.urls!.thumb);
    const thumb = await call("GET", src!, { host });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
  });
});
