// The photographer's dashboard in Chromium against wrangler dev: sign up, create a gallery, upload
// twenty photos through the UI (masters made in the browser's Web Worker) and see them all ready;
// then a client's pick and comment show in the live proofing panel as they happen.
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { createGallery, loupeAndChromium, shots, signUpStudio } from "./stage";

const stage = loupeAndChromium();

/** Twenty distinct camera-sized JPEGs (3000×2000), like a card's worth of a shoot. */
async function shoot(n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => ({
      name: `IMG_${String(5000 + i)}.jpg`,
      mimeType: "image/jpeg",
      buffer: await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: (i * 37) % 255, g: 120, b: 200 - i * 5 } } })
        .composite([{ input: Buffer.from(`<svg width="3000" height="2000"><circle cx="${600 + i * 90}" cy="900" r="300" fill="#fff8"/></svg>`) }])
        .jpeg({ quality: 85 })
        .toBuffer(),
    })),
  );
}

describe("the dashboard", () => {
  it("signs up, uploads twenty photos through the UI (past a dropping connection), and shows a client's pick and comment live", {
    timeout: 240_000,
  }, async () => {
    const page = await signUpStudio(stage.browser, stage.loupe.port, {
      studioName: "Lumen Studio",
      slug: "lumen",
      name: "Lena Lumen",
      email: "lena@lumen.test",
    });

    const galleryId = await createGallery(page, "Rivera Wedding");
    // Hotel wifi: the connection drops under three parts and the server is busy once. The uploader
    // tries again by itself, so all twenty arrive without anyone pressing Retry.
    let hiccups = 0;
    await page.route("**/original/parts/*", (route) =>
      hiccups++ < 4 ? (hiccups === 4 ? route.fulfill({ status: 503, body: "{}" }) : route.abort("connectionreset")) : route.continue(),
    );
    await page.setInputFiles(".dropzone input[type=file]", await shoot(20));
    await page.waitForSelector("text=20 of 20 files uploaded", { timeout: 100_000 });
    expect(hiccups).toBeGreaterThan(4);
    await page.waitForFunction(() => document.querySelectorAll(".photo-admin li[data-status=ready] img").length === 20, null, {
      timeout: 120_000,
      polling: 500,
    });
    await page.screenshot({ path: path.join(shots, "dashboard-photos.png"), fullPage: true });

    await page.click(".tabs a:has-text('Proofing')");
    await page.waitForSelector(".people li");

    const client = await (await stage.browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
    await client.goto(`http://lumen.localhost:${stage.loupe.port}/g/${galleryId}`);
    await client.fill("dialog.name-dialog input[name=name]", "Maria Rivera");
    await client.click("dialog.name-dialog button[type=submit]");
    // In the room once the studio sees her: a hidden banner alone also means "still connecting".
    await page.waitForSelector(".people li:has-text('Maria Rivera')");

    // Her pick and comment reach the studio's open page as they happen, with no reload. How fast is
    // measured by bench:rooms (an intent's fan-out to a 100-client room), not timed here.
    await client.locator(".grid li[data-photo-id] .heart").nth(3).click();
    await page.waitForSelector(".feed li:has-text('Maria Rivera picked IMG_5003.jpg')", { timeout: 20_000 });
    await client.locator(".grid li[data-photo-id] a").nth(3).click();
    await client.fill(".lb-input", "This one for the album cover, please.");
    await client.click(".lb-form button");
    await page.waitForSelector(".feed li:has-text('album cover')", { timeout: 10_000 });
    await page.waitForSelector(".people li:has-text('Maria Rivera — viewing IMG_5003.jpg')");
    await page.waitForSelector(".inbox li:has-text('album cover')");
    await page.waitForSelector(".selection:has-text('Maria Rivera') code:has-text('IMG_5003')", { timeout: 10_000 });
    await page.screenshot({ path: path.join(shots, "dashboard-proofing.png"), fullPage: true });

    // A personal invite link opens the gallery for a named client in one click.
    await page.click(".invite summary");
    await page.fill(".invite input[name=name]", "Carlos Rivera");
    await page.click(".invite button[type=submit]");
    const link = await page.locator(".invite-link").inputValue();
    const carlos = await (await stage.browser.newContext()).newPage();
    await carlos.goto(link);
    await carlos.waitForFunction(() => document.querySelector<HTMLElement>(".banner")?.hidden === true && document.querySelector(".presence .avatar"));
    expect(await carlos.locator("dialog.name-dialog[open]").count()).toBe(0);
    expect(await carlos.locator(".presence .avatar[title='Carlos Rivera (you)']").count()).toBe(1);
    await page.waitForSelector(".people li:has-text('Carlos Rivera')");
    await carlos.close();
    await page.close();
    await client.close();
  });

  it("sorts photos into sets, picks the cover, and watermarks previews with an uploaded logo", async () => {
    const app = `http://app.localhost:${stage.loupe.port}`;
    const page = await stage.browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("dialog", (d) => void d.accept());
    await page.goto(app);
    await page.fill("#signin input[name=email]", "demo@loupe.localhost");
    await page.fill("#signin input[name=password]", "demo-password-2026");
    await page.click("#signin button[type=submit]");
    await page.click(".gallery-list a:has-text('Wedding')");
    await page.waitForFunction(() => document.querySelectorAll(".photo-admin li[data-status=ready]").length === 12, null, { timeout: 90_000, polling: 500 });

    // The demo gallery comes in three sets; the first three photos are "Getting ready".
    await page.fill(".sets-bar input[name=setName]", "Portraits");
    await page.click(".sets-bar button:has-text('Add set')");
    await page.waitForSelector(".chip:has-text('Portraits')");
    for (const i of [0, 1, 2]) await page.locator(".photo-admin li").nth(i).locator("select").selectOption({ label: "Portraits" });
    await expect.poll(() => page.locator(".chip:has-text('Portraits') .muted").textContent()).toBe("3");
    expect(await page.locator(".chip:has-text('Getting ready') .muted").textContent()).toBe("0");
    // A set's photos come from the server, a page at a time, as the grid shows them.
    await page.click(".chip:has-text('Portraits')");
    await expect.poll(() => page.locator(".photo-admin li:not([hidden])").count(), { timeout: 10_000 }).toBe(3);
    await page.click(".chip:has-text('Reception')");
    await expect.poll(() => page.locator(".photo-admin li:not([hidden])").count(), { timeout: 10_000 }).toBe(5);
    await page.click(".chip:has-text('All photos')");
    await expect.poll(() => page.locator(".photo-admin li").count(), { timeout: 10_000 }).toBe(12);

    const coverName = await page.locator(".photo-admin li").nth(4).locator(".ph-name").textContent();
    await page.locator(".photo-admin li").nth(4).locator("button:has-text('Cover')").click();
    await page.waitForSelector(".photo-admin li.cover .ph-badge");
    expect(await page.locator(".photo-admin li.cover .ph-name").textContent()).toBe(coverName);
    await page.screenshot({ path: path.join(shots, "dashboard-sets.png"), fullPage: true });
    // The studio's website shows the new cover on the gallery's card (the demo gallery is public).
    const site = await stage.browser.newPage();
    await site.goto(`http://demo.localhost:${stage.loupe.port}/`);
    const coverId = await page.locator(".photo-admin li.cover").getAttribute("data-id");
    expect(await site.locator(`img[src*='${coverId}']`).count()).toBeGreaterThan(0);
    await site.close();

    await page.click(".tabs a:has-text('Settings')");
    await page.setInputFiles(".settings input[type=file]", path.join(import.meta.dirname, "../fixtures/logo.png"));
    await page.waitForSelector(".settings :text('Logo uploaded')");
    expect(await page.locator("select[name=wmKind]").inputValue()).toBe("logo");
    await page.screenshot({ path: path.join(shots, "dashboard-settings-logo.png"), fullPage: true });
    // Every preview is re-rendered with the logo; the photos tab shows them ready again.
    await page.click(".tabs a:has-text('Photos')");
    await page.waitForFunction(() => document.querySelectorAll(".photo-admin li[data-status=ready]").length === 12, null, { timeout: 90_000, polling: 500 });
    await page.close();
  });
});
