// Before checkout, the cart shows each print's shape and warns when the photo has fewer pixels than
// the lab wants for that size, naming the size it prints well at; the client's crop is checked
// (inside the photo, the print's shape, prints only) and travels with the order to the lab.
import { describe, expect, it } from "vitest";
import { settled, uploadOriginal } from "../helpers/galleries";
import { call, json } from "../helpers/http";
import { syntheticJpeg } from "../helpers/jpeg";
import { address, buyer, client, openShop, storePath } from "../store/helpers";
import { connectProdigi, labSettled, mapItem, ordersSent } from "./helpers";

async function shopWithWidePhoto(slug: string) {
  const shop = await openShop(slug, 0);
  const wide = syntheticJpeg(1200, 800, (x, y) => [(x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256]);
  const photoId = await uploadOriginal(shop.owner, shop.galleryId, "wide.jpg", wide);
  expect((await settled(shop.owner, shop.galleryId, photoId)).status).toBe("ready");
  await connectProdigi(shop);
  expect((await mapItem(shop, "Canvas 24×36", "GLOBAL-CAN-24X36", { wrap: "Black" })).status).toBe(200);
  return { shop, photoId };
}

describe("print fit and crops", () => {
  it("flags a 1200×800 photo on a 24×36 canvas with why and what it prints well at; an unmapped 16×20 has no verdict", async () => {
    const { shop, photoId } = await shopWithWidePhoto("fit-flag");
    const maria = await client(shop);
    const res = await maria.put({
      lines: [
        { itemId: shop.item("Canvas 24×36"), photoIds: [photoId] },
        { itemId: shop.item("Canvas 16×20"), photoIds: [photoId] },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const [canvas, unmapped] = (await json(res)).cart.lines;
    expect(canvas.fit).toEqual({
      shape: [24, 36],
      photo: { width: 1200, height: 800 },
      lowResolution: "Cut to this print, the photo has 1200×800 pixels; a 24×36 print needs 7200×10800 to print sharply. It prints well up to about 2.6×4.",
    });
    expect(unmapped.fit).toEqual({ shape: [16, 20], photo: { width: 1200, height: 800 }, lowResolution: null });
  });

  it("refuses a crop outside the photo, of the wrong shape or on a download, changing nothing; a good crop reaches the lab", async () => {
    const { shop, photoId } = await shopWithWidePhoto("fit-crop");
    const maria = await client(shop);
    const canvas = shop.item("Canvas 24×36");
    const line = (crop: unknown, itemId = canvas) => ({ lines: [{ itemId, photoIds: [photoId], crop }], shippingMethodId: shop.ship("Standard") });
    // 2:3 on a 1200×800 photo: 533⅓ × 800 pixels, a portrait crop.
    const good = { x: 0.25, y: 0, width: 800 / 1.5 / 1200, height: 1 };
    expect((await maria.put(line(good))).status).toBe(200);
    for (const [crop, itemId, message] of [
      [{ ...good, x: 0.8 }, canvas, "lines.0.crop: must lie inside the photo"],
      [{ x: 0, y: 0, width: 0.5, height: 1 }, canvas, "lines.0.crop: must have the print's 24×36 shape"],
      [{ ...good, width: -1 }, canvas, "lines.0.crop.width"],
      [good, shop.item("Web download"), 'lines.0.crop: only prints are cropped; "Web download" is a digital item'],
      [good, shop.item("10 digitals"), 'lines.0.crop: only prints are cropped; "10 digitals" is a package'],
      [{ x: 0.5, y: 0.5, width: 0.01, height: 0.015 }, canvas, "lines.0.crop.width: must be at least 0.05 of the photo"],
    ] as const) {
      const res = await maria.put(line(crop, itemId));
      expect(res.status, JSON.stringify(crop)).toBe(400);
      expect((await json(res)).error).toMatchObject({ code: "invalid_input", message: expect.stringContaining(message) });
    }
    const { cart } = await maria.store();
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]).toMatchObject({ crop: good, fit: { lowResolution: expect.stringContaining("Your crop has 533×800 pixels") } });

    const placed = await maria.checkout({ ...buyer, shippingAddress: address });
    const { order } = await json(placed);
    expect(order.lines[0].crop).toEqual(good);
    expect((await call("POST", `${storePath(shop.owner)}/orders/${order.id}/mark-paid`, { jar: shop.owner.jar })).status).toBe(200);
    const lab = await labSettled(shop, order.id, "submitted");
    expect(lab.lines[0]).toMatchObject({ sku: "GLOBAL-CAN-24X36", crop: good });
    // The lab's link serves the photo cut by the IMAGES binding. Local workerd's binding ignores
    // trim, so the crop's pixels are not checked here; the link and the JPEG it serves are.
    const [sent] = await ordersSent(`loupe-${shop.owner.studio.id}-${order.id}-0`);
    const link = new URL((sent!.body as { items: { assets: { url: string }[] }[] }).items[0]!.assets[0]!.url);
    const image = await call("GET", link.pathname, { host: link.host });
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect([...new Uint8Array(await image.arrayBuffer()).slice(0, 2)]).toEqual([0xff, 0xd8]);
  });
});
