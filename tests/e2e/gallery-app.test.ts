// The client gallery app in Chromium against wrangler dev: two clients in two browser contexts
// see each other's favourites, comments and presence live; a client who goes offline keeps
// choosing, and everything arrives once they are back. Screenshots land in test-results/.
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { burstFrame, type Shot, withCaptureTime } from "../helpers/bursts";
import { http } from "./server";
import { createGallery, demoStudio, loupeAndChromium, sampleGallery, shots, signUpStudio } from "./stage";

const stage = loupeAndChromium();

/** `watch`: called with the page before it opens the gallery, to listen to its sockets. */
async function join(url: string, name: string, watch?: (page: Page) => void): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  watch?.(page);
  await page.goto(url);
  await page.fill("dialog.name-dialog input[name=name]", name);
  await page.click("dialog.name-dialog button[type=submit]");
  await page.waitForFunction(() => document.querySelector<HTMLElement>(".banner")?.hidden === true && document.querySelector(".presence .avatar"));
  return { context, page };
}

const tile = (page: Page, i: number) => page.locator(".grid li[data-photo-id]").nth(i);

describe("the client gallery", () => {
  it("two clients see each other's favourites, comments and presence live; offline picks arrive after reconnecting", async () => {
    const { url, path: galleryPath } = await sampleGallery(stage.loupe);

    const ana = await join(url, "Ana Ruiz");
    const ben = await join(url, "Ben Okafor");
    await ben.page.waitForFunction(() => document.querySelectorAll(".presence .avatar").length === 2);

    await tile(ana.page, 0).locator(".heart").click();
    await tile(ana.page, 1).locator(".heart").click();
    await expect.poll(() => ana.page.locator(".counter").textContent()).toMatch(/^♥ 2/);
    // Ben sees Ana's favourites on the tiles within a second.
    const t0 = Date.now();
    await ben.page.waitForFunction(() => document.querySelectorAll(".grid .badge:not([hidden])").length === 2, null, { timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await tile(ben.page, 0).locator(".badge").textContent()).toContain("♥ 1");

    // Ana opens the second photo and comments; Ben sees her face on that tile and the comment count.
    await tile(ana.page, 1).locator("a").click();
    await ana.page.fill(".lb-input", "Could we brighten this one a little?");
    await ana.page.click(".lb-form button");
    await ana.page.waitForFunction(() => document.querySelector(".lb-comments li:not(.pending)")?.textContent?.includes("brighten"));
    await ben.page.waitForFunction(() => document.querySelectorAll(".grid li[data-photo-id]")[1]?.querySelector(".faces .avatar"), null, { timeout: 2000 });
    expect(await tile(ben.page, 1).locator(".badge").textContent()).toContain("✎ 1");
    await ana.page.screenshot({ path: path.join(shots, "gallery-lightbox.png") });
    await ben.page.screenshot({ path: path.join(shots, "gallery-live.png") });
    await ana.page.keyboard.press("Escape");

    // Offline on the train: three more favourites, shown at once and kept.
    await ana.context.setOffline(true);
    await ana.page.waitForFunction(() => !document.querySelector<HTMLElement>(".banner")?.hidden);
    for (const i of [4, 5, 6]) await tile(ana.page, i).locator(".heart").click();
    await expect.poll(() => ana.page.locator(".banner").textContent()).toContain("3 changes will sync");
    expect(await ana.page.locator(".counter").textContent()).toMatch(/^♥ 5/);
    await ana.page.screenshot({ path: path.join(shots, "gallery-offline.png") });
    await ana.context.setOffline(false);
    await ana.page.waitForFunction(() => document.querySelector<HTMLElement>(".banner")?.hidden === true, null, { timeout: 15_000 });
    await ben.page.waitForFunction(() => document.querySelectorAll(".grid .badge:not([hidden])").length === 5, null, { timeout: 5000 });

    // The photographer's dashboard shows all five in Ana's selection (the room's D1 mirror).
    const studio = await demoStudio(stage.browser, stage.loupe.port);
    const galleryId = galleryPath.split("/").pop();
    await studio.click(`.gallery-list a[href='#/g/${galleryId}/photos']`);
    await studio.click(".tabs a:has-text('Proofing')");
    await studio.waitForSelector(".selection:has-text('Ana Ruiz') >> text=· 5 photos", { timeout: 10_000 });
    expect((await studio.locator(".selection:has-text('Ana Ruiz') code.lr").textContent())!.split(", ")).toHaveLength(5);
    // The comment to answer names its photo, looked up by id as the panel needs it.
    await studio.waitForSelector(".inbox li:has-text('on ALS_4102.jpg')", { timeout: 10_000 });
    await studio.screenshot({ path: path.join(shots, "proofing-selections.png") });
    await studio.close();
    const login = await http(
      stage.loupe.port,
      "POST",
      `app.localhost:${stage.loupe.port}`,
      "/api/auth/login",
      { email: "demo@loupe.localhost", password: "demo-password-2026" },
      { origin: `http://app.localhost:${stage.loupe.port}` },
    );
    const cookie = ([login.headers["set-cookie"] ?? []].flat() as string[]).map((c) => c.split(";")[0]).join("; ");
    const studioId = JSON.parse((await http(stage.loupe.port, "GET", `app.localhost:${stage.loupe.port}`, "/api/me", undefined, { cookie })).text).studios[0]
      .tenant.id;

    // With web-size downloads on, the lightbox downloads the photo through a signed link.
    const patch = await http(
      stage.loupe.port,
      "PATCH",
      `app.localhost:${stage.loupe.port}`,
      `/api/studios/${studioId}/galleries/${galleryId}`,
      { downloads: { mode: "web" } },
      { cookie, origin: `http://app.localhost:${stage.loupe.port}` },
    );
    expect(patch.status).toBe(200);
    await ana.page.reload();
    await ana.page.waitForFunction(() => document.querySelector<HTMLElement>(".banner")?.hidden === true);
    await tile(ana.page, 0).locator("a").click();
    const [file] = await Promise.all([ana.page.waitForEvent("download"), ana.page.click(".lb-download")]);
    expect(file.suggestedFilename()).toMatch(/^ALS_\d+-web\.jpg$/);
    await ana.context.close();
    await ben.context.close();
  });

  it("a client who clicks faster than the room takes loses no pick: what it asks for again is sent again, in order", async () => {
    const url = /Sample gallery:\s+(\S+)/.exec(stage.loupe.output())![1]!;
    // Every intent the page sends, and the answers that are final (an ack, or a refusal that does not
    // ask for the intent again): a refusal with retryAfterMs leaves it to the page to send it again.
    const sent = new Set<string>();
    const settled = new Set<string>();
    let limited = 0;
    const cleo = await join(url, "Cleo Quick", (page) =>
      page.on("websocket", (ws) => {
        ws.on("framesent", (f) => {
          const text = String(f.payload);
          if (text.startsWith("__YPS:")) sent.add(JSON.parse(text.slice(6)).id);
        });
        ws.on("framereceived", (f) => {
          const text = String(f.payload);
          if (!text.startsWith("__YPS:")) return;
          const msg = JSON.parse(text.slice(6)) as { type: string; id?: string; retryAfterMs?: number };
          if (msg.type === "rejected" && msg.retryAfterMs !== undefined) limited++;
          else if ((msg.type === "ack" || msg.type === "rejected") && msg.id) settled.add(msg.id);
        });
      }),
    );
    // 296 heart clicks in one go, round the 12 tiles: far past the room's burst of 60, so many come
    // back "send it again shortly". Tiles 0–7 get 25 clicks (picked), tiles 8–11 get 24 (not picked).
    await cleo.page.evaluate(() => {
      const hearts = [...document.querySelectorAll<HTMLButtonElement>(".grid li[data-photo-id] .heart")].slice(0, 12);
      for (let i = 0; i < 296; i++) hearts[i % 12]!.click();
    });
    // The list and 296 toggles, each answered for good in the end.
    await expect.poll(() => sent.size === 297 && [...sent].every((id) => settled.has(id)), { timeout: 60_000, interval: 500 }).toBe(true);
    expect(limited, "the room asked for some again").toBeGreaterThan(0);
    // What the room holds, read afresh: the page reloaded shows the room's document, not the outbox.
    await cleo.page.reload();
    await cleo.page.waitForFunction(() => document.querySelector<HTMLElement>(".banner")?.hidden === true && document.querySelector(".presence .avatar"));
    await expect.poll(() => cleo.page.locator(".counter").textContent(), { timeout: 10_000 }).toMatch(/^♥ 8/);
    const pressed = await cleo.page.$$eval(".grid li[data-photo-id] .heart", (hs) => hs.slice(0, 12).map((h) => h.getAttribute("aria-pressed")));
    expect(pressed).toEqual([...Array(8).fill("true"), ...Array(4).fill("false")]);
    await cleo.context.close();
  });

  it("a client buys a print and a download; the studio marks the order paid; the download link delivers a zip", async () => {
    const url = /Sample gallery:\s+(\S+)/.exec(stage.loupe.output())![1]!;
    const { context, page } = await join(url, "Dora Buyer");
    await page.waitForSelector(".cart-button");
    await tile(page, 0).locator("a").click();
    await page.click(".lb-buy");
    await page.locator(".shop-items li:has-text('Fine art print 8×10') button").click();
    await expect.poll(() => page.locator(".cart-button").textContent()).toContain("Cart (1)");
    await page.locator(".shop-items li:has-text('High-res download') button").click();
    await expect.poll(() => page.locator(".cart-button").textContent()).toContain("Cart (2)");
    await page.click(".shop-dialog button:has-text('Go to cart')");
    await page.fill(".shop-dialog input[name=code]", "welcome10");
    await page.click(".shop-dialog .inline-form button");
    await page.waitForSelector(".sum:has-text('Discount (WELCOME10)')");
    await page.selectOption(".shop-dialog select[name=shipping]", { index: 1 });
    // 35.00 + 15.00 − 10% = 45.00; 8% tax 3.60; shipping 9.00: 57.60, as the server priced it.
    await expect.poll(() => page.locator(".sum.grand").textContent()).toContain("$57.60");
    for (const [name, value] of [
      ["name", "Dora Buyer"],
      ["email", "dora@example.test"],
      ["addrName", "Dora Buyer"],
      ["line1", "1 Quay Rd"],
      ["city", "Bristol"],
      ["postalCode", "BS1 4DJ"],
      ["country", "gb"],
    ]) {
      await page.fill(`.checkout input[name=${name}]`, value!);
    }
    await page.screenshot({ path: path.join(shots, "store-cart.png") });
    await page.click(".checkout button[type=submit]");
    const placed = await page.locator(".shop-dialog h2").filter({ hasText: "placed" }).textContent();
    const number = /#(\d+)/.exec(placed!)![1];

    const studio = await demoStudio(stage.browser, stage.loupe.port);
    await studio.click(".head-links a:has-text('Store')");
    await studio.click(`.order-row[data-order='${number}']`);
    await studio.waitForSelector(".order-detail :text('Ship to: Dora Buyer, 1 Quay Rd, BS1 4DJ Bristol, GB')");
    await studio.click(".order-actions button:has-text('Mark paid')");
    await studio.waitForSelector(".order-actions button:has-text('Mark fulfilled')");
    await studio.screenshot({ path: path.join(shots, "store-orders.png"), fullPage: true });
    await studio.click(".tabs a:has-text('Mailbox')");
    await studio.locator(`.mail:has-text('your downloads for order #${number}') summary`).click();
    const mailText = await studio.locator(`.mail:has-text('your downloads for order #${number}') pre`).textContent();
    const link = /http\S+\/o\/\S+/.exec(mailText!)![0];
    await studio.close();

    await page.goto(link);
    await page.waitForSelector("text=Download all (1 file, zip)");
    const [zip] = await Promise.all([page.waitForEvent("download"), page.click("a:has-text('Download all')")]);
    expect(zip.suggestedFilename()).toBe(`order-${number}.zip`);
    await context.close();
  });

  it('a client types "4107, 4109" from a message and sees exactly those photos, and can pick from there', async () => {
    const url = /Sample gallery:\s+(\S+)/.exec(stage.loupe.output())![1]!;
    const { context, page } = await join(url, "Dara Finds");
    await page.fill(".photo-search input[name=q]", "4107, 4109");
    await page.press(".photo-search input[name=q]", "Enter");
    await page.waitForSelector(".search-results .grid li[data-photo-id]");
    const found = page.locator(".search-results .grid li[data-photo-id] img");
    expect(await found.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).alt))).toEqual(["ALS_4107.jpg", "ALS_4109.jpg"]);
    // The sets step aside while the search shows.
    expect(await page.locator(".photo-set:not(.search-results)").first().isVisible()).toBe(false);
    await page.locator(".search-results .grid li[data-photo-id]").first().locator(".heart").click();
    await expect.poll(() => page.locator(".counter").textContent()).toMatch(/^♥ 1/);
    await page.screenshot({ path: path.join(shots, "gallery-search.png") });
    const photoId = await found.first().evaluate((img) => img.closest("li")!.dataset.photoId!);
    await page.click(".photo-search button:has-text('Clear')");
    expect(await page.locator(".search-results").isVisible()).toBe(false);
    // A link to one photo opens it, and a slideshow steps on by itself.
    const shared = await context.newPage();
    await shared.goto(`${url}#photo=${photoId}`);
    await shared.waitForSelector(".lightbox:not([hidden]) .lb-title");
    expect(await shared.locator(".lb-title").textContent()).toMatch(/^ALS_4107\.jpg · /);
    expect(shared.url()).toContain(`#photo=${photoId}`);
    await shared.keyboard.press("Escape");
    expect(shared.url()).not.toContain("#photo=");
    await tile(shared, 0).locator("a").click();
    const first = await shared.locator(".lb-title").textContent();
    await shared.click(".lb-play");
    await expect.poll(() => shared.locator(".lb-title").textContent(), { timeout: 10_000 }).not.toBe(first);
    await context.close();
  });

  it("on a phone, two fingers pinch the lightbox photo larger and one finger swipes to the next", async () => {
    const url = /Sample gallery:\s+(\S+)/.exec(stage.loupe.output())![1]!;
    const context = await stage.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(url);
    await page.fill("dialog.name-dialog input[name=name]", "Cleo on a phone");
    await page.click("dialog.name-dialog button[type=submit]");
    await tile(page, 0).locator("a").click();
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>(".lb-img")?.complete);
    const box = (await page.locator(".lb-img").boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    // Real touch input through the DevTools protocol: two points moving apart, then lifted.
    const cdp = await context.newCDPSession(page);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", points: [number, number][]) =>
      cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
    await touch("touchStart", [
      [cx - 20, cy],
      [cx + 20, cy],
    ]);
    for (const d of [40, 60, 80, 100])
      await touch("touchMove", [
        [cx - d, cy],
        [cx + d, cy],
      ]);
    await touch("touchEnd", []);
    const scale = await page.locator(".lb-img").evaluate((img) => new DOMMatrix(getComputedStyle(img).transform).a);
    expect(scale).toBeGreaterThan(3);
    expect(scale).toBeLessThanOrEqual(4);
    await page.screenshot({ path: path.join(shots, "gallery-phone-pinch.png") });
    // Back to the whole photo (Z), then a swipe left shows the next one.
    await page.keyboard.press("z");
    const first = await page.locator(".lb-title").textContent();
    await touch("touchStart", [[cx + 120, cy]]);
    for (const x of [60, 0, -60]) await touch("touchMove", [[cx + x, cy]]);
    await touch("touchEnd", []);
    await expect.poll(() => page.locator(".lb-title").textContent()).not.toBe(first);
    expect(await page.locator(".lb-title").textContent()).toMatch(/ · 2 of 12$/);
    await context.close();
  });

  it("a guest the studio gave no download right sees no download button; an invited client downloads a set as a zip", async () => {
    const url = /Sample gallery:\s+(\S+)/.exec(stage.loupe.output())![1]!;
    const galleryId = new URL(url).pathname.split("/").pop()!;
    const app = `app.localhost:${stage.loupe.port}`;
    const origin = `http://${app}`;
    const login = await http(stage.loupe.port, "POST", app, "/api/auth/login", { email: "demo@loupe.localhost", password: "demo-password-2026" }, { origin });
    const cookie = ([login.headers["set-cookie"] ?? []].flat() as string[]).map((c) => c.split(";")[0]).join("; ");
    const studioId = JSON.parse((await http(stage.loupe.port, "GET", app, "/api/me", undefined, { cookie })).text).studios[0].tenant.id;
    const gallery = `/api/studios/${studioId}/galleries/${galleryId}`;
    const rules = (downloads: Record<string, unknown>) => http(stage.loupe.port, "PATCH", app, gallery, { downloads }, { cookie, origin });
    expect((await rules({ mode: "web", who: "invited" })).status).toBe(200);
    try {
      const guest = await join(url, "Gil Guest");
      expect(await guest.page.locator(".proof-bar button:has-text('Download')").count()).toBe(0);
      await tile(guest.page, 0).locator("a").click();
      await guest.page.waitForSelector(".lightbox:not([hidden])");
      expect(await guest.page.locator(".lb-download").count()).toBe(0);
      await guest.context.close();

      const invite = await http(stage.loupe.port, "POST", app, `${gallery}/invites`, { name: "Ines Invited" }, { cookie, origin });
      const inviteUrl = JSON.parse(invite.text).invite.url as string;
      const context = await stage.browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(inviteUrl);
      await page.click(".proof-bar button:has-text('Download')");
      await page.waitForSelector(".download-dialog[open]");
      await page.selectOption(".download-dialog select[name=what]", { label: "Getting ready (3)" });
      const [zip] = await Promise.all([page.waitForEvent("download"), page.click(".download-form button[type=submit]")]);
      expect(zip.suggestedFilename()).toBe("Ana & Luis — Wedding - Getting ready.zip");
      expect(await page.locator(".download-parts").textContent()).toContain("3 photos");
      await page.screenshot({ path: path.join(shots, "gallery-download-all.png") });
      await context.close();
    } finally {
      await rules({ mode: "web", who: "everyone" });
    }
  });

  it("two bursts and three single frames show as two stacks and three tiles; a frame picked in the compare view shows on its stack", {
    timeout: 240_000,
  }, async () => {
    const studio = await signUpStudio(stage.browser, stage.loupe.port, {
      studioName: "Burst Studio",
      slug: "burst",
      name: "Bea Burst",
      email: "bea@burst.test",
    });
    const galleryId = await createGallery(studio, "Quinn Portraits");
    // As a camera writes them: two bursts (one frame of the first missed its focus), and three
    // frames on their own, each with its capture time.
    const frames: [string, Shot, string][] = [
      ["QP_0101.jpg", { scene: 11, noise: 1 }, "2026:06:14 15:02:11"],
      ["QP_0102.jpg", { scene: 11, dx: 3, dy: 2, noise: 2 }, "2026:06:14 15:02:12"],
      ["QP_0103.jpg", { scene: 11, dx: -4, dy: 1, blur: 3, noise: 3 }, "2026:06:14 15:02:13"],
      ["QP_0104.jpg", { scene: 33, noise: 10 }, "2026:06:14 15:02:40"],
      ["QP_0105.jpg", { scene: 22, noise: 20 }, "2026:06:14 15:03:40"],
      ["QP_0106.jpg", { scene: 22, dx: 4, dy: -2, noise: 21 }, "2026:06:14 15:03:41"],
      ["QP_0107.jpg", { scene: 44, noise: 12 }, "2026:06:14 15:05:00"],
      ["QP_0108.jpg", { scene: 55, noise: 14 }, "2026:06:14 15:06:30"],
    ];
    await studio.setInputFiles(
      ".dropzone input[type=file]",
      frames.map(([name, shot, time]) => ({ name, mimeType: "image/jpeg", buffer: Buffer.from(withCaptureTime(burstFrame(shot), time)) })),
    );
    await studio.waitForSelector(`text=${frames.length} of ${frames.length} files uploaded`, { timeout: 100_000 });
    // Stacks are worked out as each original's capture time arrives; the dashboard shows them on reload.
    await expect
      .poll(
        async () => {
          await studio.reload();
          await studio.waitForSelector(".photo-admin li");
          return studio.evaluate(() => ({
            ready: document.querySelectorAll(".photo-admin li[data-status=ready]").length,
            bursts: document.querySelectorAll(".photo-admin .ph-stack").length,
            soft: [...document.querySelectorAll(".photo-admin li:has(.ph-badge.soft) .ph-name")].map((e) => e.textContent),
          }));
        },
        { timeout: 120_000, interval: 2000 },
      )
      .toEqual({ ready: 8, bursts: 5, soft: ["QP_0103.jpg"] });
    await studio.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>(".photo-admin img")].every((i) => i.complete && i.naturalWidth > 0));
    await studio.screenshot({ path: path.join(shots, "dashboard-bursts.png"), fullPage: true });
    await studio.click(".tabs a:has-text('Settings')");
    await studio.selectOption("select[name=visibility]", "public");
    await studio.click(".settings button[type=submit]");
    await studio.waitForSelector("text=Saved");

    const client = await join(`http://burst.localhost:${stage.loupe.port}/g/${galleryId}`, "Quinn Q");
    // Tiles on screen, by name, with what their stack badge says. Uploads run three at a time, so
    // which frame of a burst comes first in the grid (and leads it) is not fixed.
    const visible = async () =>
      new Map(
        await client.page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>(".grid li[data-photo-id]")]
            .filter((li) => getComputedStyle(li).display !== "none")
            .map((li) => [li.querySelector("img")!.getAttribute("alt")!, li.querySelector(".stack-badge")?.textContent ?? ""] as [string, string]),
        ),
      );
    const before = await visible();
    expect([...before.values()].sort()).toEqual(["", "", "", "▚ 2 similar", "▚ 3 similar"]);
    expect([...before.keys()].filter((n) => !before.get(n)).sort()).toEqual(["QP_0104.jpg", "QP_0107.jpg", "QP_0108.jpg"]);
    const leadA = [...before.keys()].find((n) => before.get(n) === "▚ 3 similar")!;
    expect(["QP_0101.jpg", "QP_0102.jpg", "QP_0103.jpg"]).toContain(leadA);
    expect(["QP_0105.jpg", "QP_0106.jpg"]).toContain([...before.keys()].find((n) => before.get(n) === "▚ 2 similar"));
    await client.page.screenshot({ path: path.join(shots, "gallery-stacks.png") });

    const choice = ["QP_0101.jpg", "QP_0102.jpg"].find((n) => n !== leadA)!;
    await client.page.click(`.grid li:has(img[alt='${leadA}']) .stack-badge`);
    await client.page.waitForSelector(".compare-dialog[open]");
    expect(await client.page.locator(".compare-dialog .compare li").count()).toBe(3);
    await client.page.click(`.compare-dialog button[aria-label='Favourite ${choice}']`);
    await client.page.waitForSelector(`.compare-dialog button[aria-label='Favourite ${choice}'][aria-pressed=true]`);
    await client.page.screenshot({ path: path.join(shots, "gallery-compare.png") });
    await client.page.click(".compare-dialog button.close");
    // The pick shows on the stack, the picked frame steps into the grid, and the counter counts it.
    await client.page.waitForSelector(".stack-badge:has-text('▚ 3 similar · ♥ 1')");
    const after = await visible();
    expect(after.size).toBe(6);
    expect(after.get(leadA)).toBe("▚ 3 similar · ♥ 1");
    expect(after.get(choice)).toBe("");
    expect(await client.page.locator(".proof-bar .counter").textContent()).toContain("♥ 1");
    await client.context.close();
    await studio.context().close();
  });
});
