// Print labs in Chromium against `npm start`, with the local fake of Prodigi's API the workerd tests
// use: the studio connects its key and maps a print to a lab product (seeing cost and margin, and a
// refusal for an unknown SKU); a client sees the print's crop in the cart, is told the photo is
// small for the size, moves the crop; once the order is paid it reaches the lab with the crop, and
// the studio sees it there.
import type { Server } from "node:http";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import type { ProdigiRequest } from "../setup/fake-prodigi";
import { startFakeProdigi } from "../setup/fake-prodigi";
import { http } from "./server";
import { demoStudio, loupeAndChromium, sampleGallery, shots } from "./stage";

const fakes: { prodigi?: string; servers: Server[] } = { servers: [] };
const stage = loupeAndChromium(async () => {
  const prodigi = await startFakeProdigi();
  fakes.prodigi = prodigi.url;
  fakes.servers.push(prodigi.server);
  return { PRODIGI_API_URL: prodigi.url };
});
afterAll(() => {
  for (const s of fakes.servers) s.close();
});

const row = (page: Page, item: string) => page.locator(`.lab-items tr[data-item='${item}']`);

describe("print labs", () => {
  it("the studio connects Prodigi and maps a print; the client crops it in the cart; the paid order reaches the lab with the crop", async () => {
    const { url, path: galleryPath } = await sampleGallery(stage.loupe);
    const studio = await demoStudio(stage.browser, stage.loupe.port);
    await studio.click(".head-links a:has-text('Store')");
    await studio.click(".tabs a:has-text('Print lab')");
    await studio.fill(".lab-connect input[name=apiKey]", "not-a-key-prodigi-knows");
    await studio.click(".lab-connect button[type=submit]");
    await studio.waitForSelector("text=Prodigi does not accept this API key");
    await studio.fill(".lab-connect input[name=apiKey]", "prodigi-test-key");
    await studio.click(".lab-connect button[type=submit]");
    await studio.waitForSelector("text=with the key ending “-key”");
    await row(studio, "Lustre print 5×7").locator("input").first().fill("GLOBAL-PHO-5X7");
    await row(studio, "Lustre print 5×7").locator("button").click();
    await studio.waitForSelector("text=sku: Prodigi has no product GLOBAL-PHO-5X7");
    await row(studio, "Fine art print 8×10").locator("input").first().fill("GLOBAL-PHO-8X10");
    await row(studio, "Fine art print 8×10").locator("input").nth(1).fill("finish=lustre");
    await row(studio, "Fine art print 8×10").locator("button").click();
    // The fake lab charges $3.10 for the 8×10 the studio sells at $35.00.
    await expect.poll(() => row(studio, "Fine art print 8×10").locator("td.num").allTextContents()).toEqual(["$35.00", "$3.10", "$31.90"]);
    await studio.screenshot({ path: path.join(shots, "store-lab.png"), fullPage: true });

    // A client buys the print: the cart shows its crop on the photo and says the photo is small for it.
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.fill("dialog.name-dialog input[name=name]", "Eva Print");
    await page.click("dialog.name-dialog button[type=submit]");
    await page.waitForSelector(".cart-button");
    await page.locator(".grid li[data-photo-id]").first().locator("a").click();
    await page.click(".lb-buy");
    await page.locator(".shop-items li:has-text('Fine art print 8×10') button").click();
    await expect.poll(() => page.locator(".cart-button").textContent()).toContain("Cart (1)");
    await page.click(".shop-dialog button:has-text('Go to cart')");
    await page.waitForSelector(".print-crop .crop-rect");
    // A 3000×2000 photo cut to 8×10 has 2500×2000 pixels; Prodigi wants 2400×3000.
    expect(await page.locator(".crop-warning").textContent()).toContain("an 8×10 print needs 2400×3000 to print sharply");
    const before = await page.locator(".crop-rect").boundingBox();
    await page.locator(".crop-rect").focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await page.locator(".crop-rect").boundingBox())!.x).toBeGreaterThan(before!.x + 5);
    // The arrows moved the crop, not the lightbox behind the cart.
    expect(await page.locator(".lb-title").textContent()).toContain("1 of 12");
    const saved = async () => {
      const res = await page.evaluate((p) => fetch(`${p}/store`).then((r) => r.json()), galleryPath);
      return res.cart.lines[0].crop as { x: number } | undefined;
    };
    await expect.poll(async () => (await saved())?.x ?? 0).toBeGreaterThan(0.09);
    // The cart was drawn again with the saved crop, and the keyboard is still on it: more presses go on moving it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("crop-rect") ?? false)).toBe(true);
    const firstSave = (await saved())!.x;
    await page.keyboard.press("ArrowLeft");
    await expect.poll(async () => (await saved())?.x ?? 1).toBeLessThan(firstSave - 0.01);
    await page.screenshot({ path: path.join(shots, "store-crop.png") });

    await page.selectOption(".shop-dialog select[name=shipping]", { index: 1 });
    // The cart is drawn again once the server has priced the shipping: fill the form after that.
    await expect.poll(() => page.locator(".shop-dialog .sums").textContent()).toContain("$9.00");
    for (const [name, value] of [
      ["name", "Eva Print"],
      ["email", "eva@example.test"],
      ["addrName", "Eva Print"],
      ["line1", "1 Quay Rd"],
      ["city", "Bristol"],
      ["postalCode", "BS1 4DJ"],
      ["country", "gb"],
    ]) {
      await page.fill(`.checkout input[name=${name}]`, value!);
    }
    await page.click(".checkout button[type=submit]");
    const placed = await page.locator(".shop-dialog h2").filter({ hasText: "placed" }).textContent();
    const number = /#(\d+)/.exec(placed!)![1];
    const crop = (await page.evaluate((p) => fetch(`${p}/store`).then((r) => r.json()), galleryPath)).orders[0].lines[0].crop;
    await context.close();

    // The studio takes the payment: the print goes to Prodigi by itself, cut as the client chose.
    await studio.click(".tabs a:has-text('Orders')");
    await studio.click(`.order-row[data-order='${number}']`);
    await studio.click(".order-actions button:has-text('Mark paid')");
    await studio.waitForSelector(".order-actions button:has-text('Mark fulfilled')");
    await expect
      .poll(
        async () => {
          await studio.click(`.order-row[data-order='${number}']`);
          return studio
            .locator(".lab-order h4")
            .textContent({ timeout: 2000 })
            .catch(() => "");
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(/Prodigi · At the lab · ord_\d+/);
    expect(await studio.locator(".lab-order").textContent()).toContain("1 × GLOBAL-PHO-8X10 (cropped)");
    await studio.screenshot({ path: path.join(shots, "store-order-lab.png"), fullPage: true });

    const sent = ((await (await fetch(`${fakes.prodigi}/__requests`)).json()) as ProdigiRequest[]).filter(
      (r) => r.method === "POST" && r.path === "/v4.0/Orders",
    );
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { merchantReference: string; items: { sku: string; assets: { url: string }[] }[] };
    expect(body.merchantReference).toBe(`Order #${number}`);
    expect(body.items.map((i) => i.sku)).toEqual(["GLOBAL-PHO-8X10"]);
    expect(crop.x).toBeGreaterThan(0.09);
    // The lab's link serves the photo to the lab, with no session.
    const link = new URL(body.items[0]!.assets[0]!.url);
    const image = await http(stage.loupe.port, "GET", link.host, link.pathname);
    expect(image.status).toBe(200);
    expect(image.headers["content-type"]).toBe("image/jpeg");
    await studio.close();
  });
});
