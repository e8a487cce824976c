// Connecting a Prodigi account and mapping price-sheet items to its products, against the local
// fake: a wrong key or an unknown SKU is refused by name and nothing is kept; the key is sealed
// and never shown again; each mapped item shows the lab's cost and the margin beside its price.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, json } from "../helpers/http";
import { openShop, rows, storePath } from "../store/helpers";
import { connectProdigi, mapItem } from "./helpers";

describe("print lab connection", () => {
  it("checks the key with the lab, seals it, shows only its last four characters, and can be changed and removed", async () => {
    const shop = await openShop("lab-connect", 0);
    const path = `${storePath(shop.owner)}/lab`;
    expect(await json(await call("GET", path, { jar: shop.owner.jar }))).toEqual({ connection: null });

    const wrong = await call("PUT", path, { jar: shop.owner.jar, body: { lab: "prodigi", environment: "sandbox", apiKey: "not-a-prodigi-key-at-all" } });
    expect(wrong.status).toBe(422);
    expect((await json(wrong)).error).toMatchObject({ code: "lab_refused", message: expect.stringContaining("apiKey: Prodigi does not accept this API key") });
    const short = await call("PUT", path, { jar: shop.owner.jar, body: { lab: "prodigi", environment: "sandbox", apiKey: "abc" } });
    expect((await json(short)).error).toMatchObject({ code: "invalid_input", message: expect.stringContaining("apiKey") });
    expect(await rows(shop, "SELECT * FROM lab_connections WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([]);

    const connection = await connectProdigi(shop, { holdForReview: true });
    expect(connection).toMatchObject({ lab: "prodigi", environment: "sandbox", keyHint: "-key", holdForReview: true, tier: "standard" });
    const shown = await (await call("GET", path, { jar: shop.owner.jar })).text();
    expect(shown).not.toContain("prodigi-test-key");
    const [stored] = await rows<{ sealed_key: string }>(shop, "SELECT sealed_key FROM lab_connections WHERE tenant_id = ?", shop.owner.studio.id);
    expect(stored!.sealed_key).not.toContain("prodigi-test-key");

    const patched = await call("PATCH", path, { jar: shop.owner.jar, body: { holdForReview: false, tier: "express" } });
    expect((await json(patched)).connection).toMatchObject({ holdForReview: false, tier: "express", keyHint: "-key" });
    expect((await json(await call("PATCH", path, { jar: shop.owner.jar, body: {} }))).error.code).toBe("invalid_input");

    expect((await call("DELETE", path, { jar: shop.owner.jar })).status).toBe(204);
    expect(await json(await call("GET", path, { jar: shop.owner.jar }))).toEqual({ connection: null });
    const gone = await call("PATCH", path, { jar: shop.owner.jar, body: { holdForReview: true } });
    expect(gone.status).toBe(409);
    expect((await json(gone)).error.code).toBe("lab_not_connected");
  });

  it("maps prints to the lab's SKUs with the lab's cost and margin; an unknown SKU, a bad option or a download is refused and nothing kept", async () => {
    const shop = await openShop("lab-map", 0);
    const listPath = `${storePath(shop.owner)}/price-sheets/${shop.sheet.id}/lab-products`;
    const before = await mapItem(shop, "Lustre print 8×10", "GLOBAL-PHO-8X10");
    expect(before.status).toBe(409);
    expect((await json(before)).error.code).toBe("lab_not_connected");
    await connectProdigi(shop);

    const unknown = await mapItem(shop, "Lustre print 8×10", "GLOBAL-PHO-99X99");
    expect(unknown.status).toBe(422);
    expect((await json(unknown)).error).toMatchObject({
      code: "lab_refused",
      message: expect.stringContaining("sku: Prodigi has no product GLOBAL-PHO-99X99"),
    });
    const badOption = await mapItem(shop, "Canvas 16×20", "GLOBAL-CAN-24X36", { wrap: "Glitter" });
    expect((await json(badOption)).error).toMatchObject({
      code: "lab_refused",
      message: expect.stringContaining("GLOBAL-CAN-24X36 is not made with wrap Glitter"),
    });
    const download = await mapItem(shop, "Web download", "GLOBAL-PHO-8X10");
    expect(download.status).toBe(400);
    expect((await json(download)).error.message).toMatch(/^itemId: "Web download" is a digital item/);
    const badSku = await mapItem(shop, "Lustre print 8×10", "../etc/passwd");
    expect((await json(badSku)).error).toMatchObject({ code: "invalid_input", message: expect.stringContaining("sku") });
    expect(await json(await call("GET", listPath, { jar: shop.owner.jar }))).toEqual({ products: [] });

    const print = await mapItem(shop, "Lustre print 8×10", "global-pho-8x10", { finish: "lustre" });
    expect(print.status, await print.clone().text()).toBe(200);
    // The fake lab charges $3.10 for the 8×10 that the studio sells at $15.00.
    expect((await json(print)).product).toMatchObject({
      sku: "GLOBAL-PHO-8X10",
      unitCost: 310,
      costCurrency: "usd",
      margin: 1190,
      minWidthPx: 2400,
      minHeightPx: 3000,
    });
    expect((await mapItem(shop, "Canvas 24×36", "GLOBAL-CAN-24X36", { wrap: "ImageWrap" })).status).toBe(200);
    const listed = (await json(await call("GET", listPath, { jar: shop.owner.jar }))).products;
    expect(listed.map((p: { sku: string; margin: number }) => [p.sku, p.margin])).toEqual([
      ["GLOBAL-PHO-8X10", 1190],
      ["GLOBAL-CAN-24X36", 30000 - 6100],
    ]);

    const unmap = await call("DELETE", `${storePath(shop.owner)}/price-sheets/${shop.sheet.id}/items/${shop.item("Canvas 24×36")}/lab`, {
      jar: shop.owner.jar,
    });
    expect(unmap.status).toBe(204);
    expect((await json(await call("GET", listPath, { jar: shop.owner.jar }))).products).toHaveLength(1);
    expect(env.PRODIGI_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});
