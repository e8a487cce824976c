// A studio that has been in business a while, in Chromium against wrangler dev. 150 galleries: the
// list shows the newest first and loads the rest as it scrolls; a search finds one by its client;
// nothing is hidden behind an error. A 1,500-photo gallery: a client scrolls it to the end, a page
// at a time, and picks the last photo; the photographer sees the pick.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loupeAndChromium, shots, signUpStudio } from "./stage";

const stage = loupeAndChromium();
const GALLERIES = 150;
const pad = (i: number) => String(i).padStart(3, "0");

describe("the dashboard at volume", () => {
  it(`lists ${GALLERIES} galleries page by page as it scrolls, and finds one by its client`, { timeout: 240_000 }, async () => {
    const page = await signUpStudio(stage.browser, stage.loupe.port, {
      studioName: "Volume Studio",
      slug: "volume",
      name: "Val Volume",
      email: "val@volume.test",
    });

    // The page's own session makes the galleries, as the dashboard's form would, one by one
    // (in the page: Node's fetch cannot resolve *.localhost).
    const made = await page.evaluate(async (n) => {
      const me = await (await fetch("/api/me")).json();
      const studioId = me.studios[0].tenant.id as string;
      const pad = (i: number) => String(i).padStart(3, "0");
      const statuses: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await fetch(`/api/studios/${studioId}/galleries`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: `Wedding ${pad(i)}`, clientName: `Client ${pad(i)}`, clientEmail: `client${pad(i)}@volume.test` }),
        });
        statuses.push(res.status);
      }
      return statuses;
    }, GALLERIES);
    expect(made.filter((s) => s !== 201)).toEqual([]);

    await page.reload();
    await page.waitForSelector(".gallery-list li");
    const shown = () => page.locator(".gallery-list li").count();
    expect(await shown()).toBe(50);
    await expect.poll(() => page.locator(".gallery-list li").first().textContent(), { timeout: 10_000 }).toContain(`Wedding ${pad(GALLERIES - 1)}`);
    for (let tries = 0; (await shown()) < GALLERIES && tries < 20; tries++) {
      await page.mouse.wheel(0, 20_000);
      await page.waitForTimeout(300);
    }
    expect(await shown()).toBe(GALLERIES);
    expect(await page.locator(".gallery-list li").last().textContent()).toContain("Wedding 000");
    expect(await page.locator(".paged .error").count()).toBe(0);
    await page.screenshot({ path: path.join(shots, "dashboard-galleries-volume.png") });

    await page.fill("input[name=q]", "client077@volume");
    await expect.poll(() => page.locator(".gallery-list li").count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator(".gallery-list li").textContent()).toContain("Wedding 077");
    await page.fill("input[name=q]", "nobody by this name");
    await page.waitForSelector("text=No gallery matches");
    await page.screenshot({ path: path.join(shots, "dashboard-galleries-search.png") });
  });

  it("lets a client scroll a 1,500-photo gallery to the end and pick the last photo, and the photographer sees it", { timeout: 480_000 }, async () => {
    const PHOTOS = 1500;
    const app = `http://app.localhost:${stage.loupe.port}`;
    const studio = await signUpStudio(stage.browser, stage.loupe.port, {
      studioName: "Wedding Factory",
      slug: "factory",
      name: "Fay Factory",
      email: "fay@factory.test",
    });

    // The uploader's way, from the page: create each photo, send its master (small, distinct
    // JPEGs drawn in the page); no originals, proofing needs none. Then wait for the queue.
    const { galleryId, statuses } = await studio.evaluate(async (n) => {
      const me = await (await fetch("/api/me")).json();
      const base = `/api/studios/${me.studios[0].tenant.id}/galleries`;
      const post = (path: string, body: unknown) =>
        fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const g = (await (await post(base, { title: "Big Wedding", visibility: "public" })).json()).gallery;
      const canvas = new OffscreenCanvas(96, 64);
      const ctx = canvas.getContext("2d")!;
      const statuses: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < n) {
          const i = next++;
          ctx.fillStyle = `hsl(${(i * 137.5) % 360} 60% 55%)`;
          ctx.fillRect(0, 0, 96, 64);
          ctx.fillStyle = "#fff";
          ctx.fillText(String(i + 1), 30, 36);
          const jpeg = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.8 });
          const made = await post(`${base}/${g.id}/photos`, {
            filename: `IMG_${String(i + 1).padStart(4, "0")}.jpg`,
            size: jpeg.size,
            contentType: "image/jpeg",
          });
          const photo = (await made.json()).photo;
          const put = await fetch(`${base}/${g.id}/photos/${photo.id}/master`, { method: "PUT", headers: { "content-type": "image/jpeg" }, body: jpeg });
          statuses.push(made.status, put.status);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return { galleryId: g.id as string, statuses };
    }, PHOTOS);
    expect(statuses.filter((s) => s >= 300)).toEqual([]);
    await expect
      .poll(
        () =>
          studio.evaluate(async (id) => {
            const me = await (await fetch("/api/me")).json();
            let cursor = "";
            let ready = 0;
            do {
              const page = await (await fetch(`/api/studios/${me.studios[0].tenant.id}/galleries/${id}/photos?limit=200${cursor}`)).json();
              ready += page.photos.filter((p: { status: string }) => p.status === "ready").length;
              cursor = page.next ? `&cursor=${encodeURIComponent(page.next)}` : "";
            } while (cursor);
            return ready;
          }, galleryId),
        { timeout: 300_000, interval: 3000 },
      )
      .toBe(PHOTOS);

    const client = await (await stage.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await client.goto(`http://factory.localhost:${stage.loupe.port}/g/${galleryId}`);
    await client.fill("dialog.name-dialog input[name=name]", "Cleo Client");
    await client.click("dialog.name-dialog button[type=submit]");
    await client.waitForFunction(() => document.querySelector(".presence .avatar"));
    // The page arrived with a screenful; the rest comes as she scrolls.
    expect(await client.locator(".grid li[data-photo-id]").count()).toBeLessThan(100);
    const last = client.locator(`.grid li:has(img[alt="IMG_${PHOTOS}.jpg"])`);
    for (let tries = 0; (await last.count()) === 0 && tries < 200; tries++) {
      await client.mouse.wheel(0, 6000);
      await client.waitForTimeout(150);
    }
    expect(await client.locator(".grid li[data-photo-id]").count()).toBe(PHOTOS);
    await last.scrollIntoViewIfNeeded();
    await last.hover();
    await last.locator(".heart").click();
    await expect.poll(() => client.locator(".counter").textContent(), { timeout: 10_000 }).toMatch(/^♥ 1/);
    await client.screenshot({ path: path.join(shots, "gallery-1500-end.png") });

    await studio.goto(`${app}/#/g/${galleryId}/proofing`);
    await studio.waitForSelector(`.feed li:has-text("IMG_${PHOTOS}.jpg")`, { timeout: 30_000 });
    expect(await studio.locator(".feed").textContent()).toContain("Cleo Client");

    // The photos tab holds the tiles on screen, not 1,500; it sorts by filename and takes a drag.
    await studio.goto(`${app}/#/g/${galleryId}/photos`);
    const tiles = studio.locator(".photo-admin li[data-id]");
    await tiles.first().waitFor();
    expect(await tiles.count()).toBeLessThan(120);
    studio.once("dialog", (d) => void d.accept());
    const sorted = studio.waitForResponse((r) => r.url().endsWith("/photos/sort"));
    await studio.selectOption("select[aria-label='Sort photos']", "filename");
    expect((await sorted).status()).toBe(204);
    await expect
      .poll(async () => (await tiles.locator(".ph-name").allTextContents()).slice(0, 8), { timeout: 15_000 })
      .toEqual(Array.from({ length: 8 }, (_, i) => `IMG_000${i + 1}.jpg`));
    await tiles.nth(4).dragTo(tiles.nth(0));
    await expect.poll(() => tiles.first().locator(".ph-name").textContent(), { timeout: 15_000 }).toBe("IMG_0005.jpg");
    expect(await tiles.nth(1).locator(".ph-name").textContent()).toBe("IMG_0001.jpg");
    await studio.screenshot({ path: path.join(shots, "dashboard-photos-1500.png") });
    await studio.mouse.wheel(0, 400_000);
    await expect.poll(() => studio.locator(`.photo-admin li:has-text("IMG_${PHOTOS}.jpg")`).count(), { timeout: 30_000 }).toBe(1);
    expect(await tiles.count()).toBeLessThan(120);
  });
});
