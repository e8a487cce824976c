// What a studio sells and what a client pays: price sheets refuse bad input naming the field;
// the cart is priced by the server from the sheet alone, whatever the client sends; discount codes
// hold their window, minimum and use limit, also under concurrent checkouts.
import { describe, expect, it } from "vitest";
import { call, json } from "../helpers/http";
import { address, buyer, client, openShop, rows, SHEET, storePath } from "./helpers";

describe("price sheets", () => {
  it("refuse bad input naming the field, and change nothing", async () => {
    const shop = await openShop("sheet-bad", 1);
    const path = `${storePath(shop.owner)}/price-sheets`;
    const before = await json(await call("GET", path, { jar: shop.owner.jar }));
    const bad: [unknown, RegExp][] = [
      [{ ...SHEET, currency: "btc" }, /currency: must be one of usd/],
      [{ ...SHEET, items: [{ kind: "print", name: "8×10", size: "8×10", paper: "Lustre", unitAmount: -5 }] }, /items\.0\.unitAmount: must not be negative/],
      [
        { ...SHEET, items: [{ kind: "print", name: "8×10", size: "8×10", paper: "Lustre", unitAmount: 12.5 }] },
        /items\.0\.unitAmount: must be whole minor units/,
      ],
      [{ ...SHEET, items: [{ kind: "poster", name: "A2", unitAmount: 100 }] }, /items\.0\.kind/],
      [{ ...SHEET, items: [{ kind: "package", name: "Ten", variant: "web", packageCount: 1, unitAmount: 100 }] }, /items\.0\.packageCount: must be at least 2/],
      [{ ...SHEET, taxRateBps: 9000 }, /taxRateBps: must be at most 5000/],
    ];
    for (const [body, message] of bad) {
      const res = await call("POST", path, { jar: shop.owner.jar, body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await json(res)).error.message).toMatch(message);
    }
    const edit = await call("PUT", `${path}/${shop.sheet.id}`, {
      jar: shop.owner.jar,
      body: { ...SHEET, items: [{ id: "pi_someone_else", kind: "digital", name: "X", variant: "web", unitAmount: 1 }] },
    });
    expect(edit.status).toBe(400);
    expect((await json(edit)).error.message).toBe("items.0.id: is not an item of this sheet");
    expect(await json(await call("GET", path, { jar: shop.owner.jar }))).toEqual(before);
  });

  it("retire items they no longer list; a retired item cannot be bought", async () => {
    const shop = await openShop("sheet-retire", 1);
    const maria = await client(shop);
    const canvas = shop.item("Canvas 16×20");
    const kept = shop.sheet.items.filter((i) => i.id !== canvas).map(({ id, ...rest }) => ({ id, ...SHEET.items.find((s) => s.name === rest.name)! }));
    const res = await call("PUT", `${storePath(shop.owner)}/price-sheets/${shop.sheet.id}`, {
      jar: shop.owner.jar,
      body: { ...SHEET, items: kept, shipping: shop.sheet.shipping.map(({ id, name, amount }) => ({ id, name, amount })) },
    });
    expect(res.status).toBe(200);
    expect((await json(res)).priceSheet.items.map((i: { name: string }) => i.name)).not.toContain("Canvas 16×20");
    const put = await maria.put({ lines: [{ itemId: canvas, photoIds: [shop.photoIds[0]], quantity: 1 }] });
    expect(put.status).toBe(400);
    expect((await json(put)).error.message).toBe("lines.0.itemId: is not for sale in this gallery");
  });
});

describe("the cart", () => {
  it("is priced by the server: items, discount, shipping and tax, to the cent", async () => {
    const shop = await openShop("cart-price", 3);
    const code = await call("POST", `${storePath(shop.owner)}/discounts`, { jar: shop.owner.jar, body: { code: "spring15", kind: "percent", value: 1500 } });
    expect(code.status).toBe(201);
    const maria = await client(shop);
    const res = await maria.put({
      lines: [
        { itemId: shop.item("Lustre print 8×10"), photoIds: [shop.photoIds[0]], quantity: 3 },
        { itemId: shop.item("Original file"), photoIds: [shop.photoIds[1]] },
        { itemId: shop.item("10 digitals"), photoIds: shop.photoIds },
      ],
      discountCode: "Spring15",
      shippingMethodId: shop.ship("Express"),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { cart } = await json(res);
    // 3 × 15.00 + 25.00 + 40.00 = 110.00; 15% off = 16.50; tax 8.25% of 93.50 = 7.71; + 20.00 shipping.
    expect(cart).toMatchObject({
      currency: "usd",
      subtotal: 11000,
      discount: 1650,
      discountCode: "SPRING15",
      shipping: 2000,
      tax: 771,
      total: 11000 - 1650 + 2000 + 771,
      needsShipping: true,
    });
    expect(cart.lines.map((l: { amount: number }) => l.amount)).toEqual([4500, 2500, 4000]);
    expect((await maria.store()).cart.total).toBe(cart.total);
  });

  it("ignores what a client says a price is: amounts in the cart or the checkout are refused, and change nothing", async () => {
    const shop = await openShop("cart-tamper", 1);
    const maria = await client(shop);
    const web = shop.item("Web download");
    expect((await maria.put({ lines: [{ itemId: web, photoIds: [shop.photoIds[0]] }] })).status).toBe(200);
    const attempts: [unknown, RegExp][] = [
      [{ lines: [{ itemId: web, photoIds: [shop.photoIds[0]], unitAmount: 1 }] }, /lines\.0: Unrecognized key\(s\) in object: 'unitAmount'/],
      [{ lines: [{ itemId: web, photoIds: [shop.photoIds[0]] }], total: 1 }, /Unrecognized key\(s\) in object: 'total'/],
      [{ lines: [{ itemId: web, photoIds: [shop.photoIds[0]] }], discount: 500 }, /Unrecognized key\(s\) in object: 'discount'/],
      [{ lines: [{ itemId: web, photoIds: [shop.photoIds[0]], quantity: 2 }] }, /lines\.0\.quantity: must be 1 for a download/],
      [{ lines: [{ itemId: web, photoIds: ["p_not_here"] }] }, /lines\.0\.photoIds: "p_not_here" is not a photo of this gallery/],
      [{ lines: [{ itemId: shop.item("Lustre print 8×10"), photoIds: [shop.photoIds[0]], quantity: 0 }] }, /lines\.0\.quantity: must be at least 1/],
      [{ lines: [], discountCode: "FREEMONEY" }, /discountCode: is not a code that can be used now/],
    ];
    for (const [body, message] of attempts) {
      const res = await maria.put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error.message).toMatch(message);
    }
    const forged = await maria.checkout({ ...buyer, total: 1 });
    expect(forged.status).toBe(400);
    expect((await json(forged)).error.message).toMatch(/'total'/);
    expect(await rows(shop, "SELECT id FROM orders WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([]);
    const { cart } = await maria.store();
    expect(cart).toMatchObject({ subtotal: 500, total: 541 });
    const placed = await maria.checkout(buyer);
    expect(placed.status).toBe(201);
    expect((await json(placed)).order).toMatchObject({ total: 541, status: "pending", paymentMethod: "offline", number: 1001 });
  });

  it("needs a shipping method and an address for prints, and refuses another gallery's shipping", async () => {
    const shop = await openShop("cart-ship", 1);
    const maria = await client(shop);
    const print = { itemId: shop.item("Lustre print 8×10"), photoIds: [shop.photoIds[0]], quantity: 1 };
    expect((await maria.put({ lines: [print], shippingMethodId: "sm_elsewhere" })).status).toBe(400);
    expect((await maria.put({ lines: [print] })).status).toBe(200);
    const noShip = await maria.checkout({ ...buyer, shippingAddress: address });
    expect((await json(noShip)).error.message).toBe("shippingMethodId: choose how the prints are shipped");
    expect((await maria.put({ lines: [print], shippingMethodId: shop.ship("Standard") })).status).toBe(200);
    const noAddress = await maria.checkout(buyer);
    expect((await json(noAddress)).error.message).toBe("shippingAddress: is required for prints");
    const ok = await maria.checkout({ ...buyer, shippingAddress: address });
    expect(ok.status).toBe(201);
    expect((await json(ok)).order).toMatchObject({ shipping: 800, shippingMethod: "Standard", shippingAddress: address });
  });
});

describe("discount codes", () => {
  it("refuse a code before or after its window as they refuse a missing one, and under its minimum naming why", async () => {
    const shop = await openShop("codes-window", 1);
    const path = `${storePath(shop.owner)}/discounts`;
    const now = Date.now();
    for (const body of [
      { code: "OLD10", kind: "percent", value: 1000, endsAt: now - 1000 },
      { code: "SOON10", kind: "percent", value: 1000, startsAt: now + 86_400_000 },
      { code: "BIG5", kind: "fixed", value: 500, minSubtotal: 5000 },
    ])
      expect((await call("POST", path, { jar: shop.owner.jar, body })).status).toBe(201);
    const maria = await client(shop);
    const lines = [{ itemId: shop.item("Original file"), photoIds: [shop.photoIds[0]] }];
    for (const [code, why] of [
      // Told apart, these would let anyone find the studio's codes by trying.
      ["old10", "is not a code that can be used now"],
      ["SOON10", "is not a code that can be used now"],
      ["NOSUCH10", "is not a code that can be used now"],
      ["BIG5", "needs a subtotal of at least $50.00"],
    ]) {
      const res = await maria.put({ lines, discountCode: code });
      expect(res.status).toBe(400);
      expect((await json(res)).error.message).toBe(`discountCode: ${why}`);
    }
    const dup = await call("POST", path, { jar: shop.owner.jar, body: { code: "big5", kind: "fixed", value: 100 } });
    expect((await json(dup)).error.message).toBe('code: "BIG5" already exists');
  });

  it("are never used more than their limit, even by checkouts at the same moment", async () => {
    const shop = await openShop("codes-race", 1);
    expect(
      (await call("POST", `${storePath(shop.owner)}/discounts`, { jar: shop.owner.jar, body: { code: "FIRST3", kind: "fixed", value: 1000, maxUses: 3 } }))
        .status,
    ).toBe(201);
    const clients = await Promise.all(Array.from({ length: 8 }, (_, i) => client(shop, `Guest ${i}`)));
    for (const c of clients)
      expect((await c.put({ lines: [{ itemId: shop.item("Original file"), photoIds: [shop.photoIds[0]] }], discountCode: "FIRST3" })).status).toBe(200);
    // Eight guests, eight addresses: one address gets at most five confirmations a day.
    const results = await Promise.all(clients.map((c, i) => c.checkout({ ...buyer, email: `guest${i}@example.test` })));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 400);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(5);
    for (const r of refused) expect((await json(r)).error.message).toBe("discountCode: has been used up");
    for (const r of ok) expect((await json(r)).order).toMatchObject({ discount: 1000, total: 1500 + Math.round(1500 * 0.0825) });
    expect(await rows(shop, "SELECT uses FROM discount_codes WHERE tenant_id = ? AND code = 'FIRST3'", shop.owner.studio.id)).toEqual([{ uses: 3 }]);
    expect(
      (await rows<{ number: number }>(shop, "SELECT number FROM orders WHERE tenant_id = ? ORDER BY number", shop.owner.studio.id)).map((r) => r.number),
    ).toEqual([1001, 1002, 1003]);
  });
});
