// Loupe's Prodigi client against the local fake of Prodigi's v4 API (tests/setup/fake-prodigi.ts),
// which answers in Prodigi's recorded wire format: an order sent twice is made once, a lab that is
// down or slow is "unavailable" (to be sent again), a refusal names the fields, shipments come
// back with their tracking, and a product's pixels depend on its options.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LabSubmission } from "../../worker/labs/lab";
import { prodigi } from "../../worker/labs/prodigi";
import type { ProdigiRequest } from "../setup/fake-prodigi";

const api = env.PRODIGI_API_URL;
const lab = prodigi({ apiKey: "prodigi-test-key", baseUrl: api });
const control = (path: string, body: unknown) =>
  fetch(`${api}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const requests = async () => (await (await fetch(`${api}/__requests`)).json()) as ProdigiRequest[];

const order = (key: string, over: Partial<LabSubmission> = {}): LabSubmission => ({
  idempotencyKey: key,
  reference: "Order #1001",
  recipient: {
    name: "Maria Rivera",
    line1: "14 Oak Street",
    line2: null,
    city: "Portland",
    state: "OR",
    postalCode: "97201",
    countryCode: "US",
    email: "maria@example.com",
  },
  tier: "standard",
  callbackUrl: null,
  lines: [
    { ref: "line-1", product: { sku: "GLOBAL-PHO-8X10", attributes: { finish: "lustre" } }, copies: 2, imageUrl: "https://loupe.test/lab/img-1.jpg" },
    { ref: "line-2", product: { sku: "GLOBAL-CAN-24X36", attributes: { wrap: "ImageWrap" } }, copies: 1, imageUrl: "https://loupe.test/lab/img-2.jpg" },
  ],
  ...over,
});

describe("Prodigi", () => {
  it("makes an order once however often it is sent, with the SKUs, copies, images and the key", async () => {
    const key = `ord-${crypto.randomUUID()}`;
    const first = await lab.submit(order(key));
    expect(first).toMatchObject({ duplicate: false, order: { stage: "received", labStage: "InProgress", shipments: [] } });
    expect(first.order.labOrderId).toMatch(/^ord_\d+$/);
    const again = await lab.submit(order(key));
    expect(again).toMatchObject({ duplicate: true, order: { labOrderId: first.order.labOrderId } });
    const sent = (await requests()).filter((r) => r.path === "/v4.0/Orders" && (r.body as { idempotencyKey?: string }).idempotencyKey === key);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.apiKey).toBe("prodigi-test-key");
    expect(sent[0]!.body).toMatchObject({
      merchantReference: "Order #1001",
      shippingMethod: "Standard",
      recipient: {
        name: "Maria Rivera",
        address: { line1: "14 Oak Street", postalOrZipCode: "97201", countryCode: "US", townOrCity: "Portland", stateOrCounty: "OR" },
      },
      items: [
        {
          merchantReference: "line-1",
          sku: "GLOBAL-PHO-8X10",
          copies: 2,
          sizing: "fillPrintArea",
          attributes: { finish: "lustre" },
          assets: [{ printArea: "default", url: "https://loupe.test/lab/img-1.jpg" }],
        },
        { merchantReference: "line-2", sku: "GLOBAL-CAN-24X36", copies: 1, sizing: "fillPrintArea", attributes: { wrap: "ImageWrap" } },
      ],
    });
  });

  it("reads an order back as it moves: in production, then shipped with the carrier and tracking per line; too late to cancel then", async () => {
    const { order: made } = await lab.submit(order(`ord-${crypto.randomUUID()}`));
    await control("/__advance", { id: made.labOrderId, to: "InProduction" });
    expect(await lab.order(made.labOrderId)).toMatchObject({ stage: "in_production", shipments: [{ carrier: "USPS", trackingNumber: null, shippedAt: null }] });
    expect(await lab.cancel(made.labOrderId)).toBe("too_late");
    await control("/__advance", { id: made.labOrderId, to: "Shipped" });
    const shipped = await lab.order(made.labOrderId);
    expect(shipped).toMatchObject({ stage: "shipped", labStage: "Complete" });
    expect(shipped!.shipments[0]).toMatchObject({ carrier: "USPS", service: "USPS Priority Mail", lineRefs: ["line-1", "line-2"] });
    expect(shipped!.shipments[0]!.trackingNumber).toMatch(/^9400/);
    expect(shipped!.shipments[0]!.trackingUrl).toContain(shipped!.shipments[0]!.trackingNumber!);
    expect(await lab.order("ord_0")).toBeNull();
  });

  it("cancels an order that has not gone into production", async () => {
    const { order: made } = await lab.submit(order(`ord-${crypto.randomUUID()}`));
    expect(await lab.cancel(made.labOrderId)).toBe("cancelled");
    expect(await lab.order(made.labOrderId)).toMatchObject({ stage: "cancelled" });
  });

  it("says a down or silent lab is unavailable, so the order is sent again; a refusal names each field and a wrong key", async () => {
    await control("/__fail", { path: "/v4.0/orders", times: 1 });
    await expect(lab.submit(order(`ord-${crypto.randomUUID()}`))).rejects.toMatchObject({
      code: "lab_unavailable",
      message: expect.stringContaining("HTTP 500"),
    });
    await control("/__fail", { path: "/v4.0/orders", times: 1, timeout: true });
    const impatient = prodigi({ apiKey: "prodigi-test-key", baseUrl: api, timeoutMs: 300 });
    await expect(impatient.submit(order(`ord-${crypto.randomUUID()}`))).rejects.toMatchObject({
      code: "lab_unavailable",
      message: expect.stringContaining("no answer in 0.3 s"),
    });
    const refused = lab.submit(order(`ord-${crypto.randomUUID()}`, { recipient: { ...order("x").recipient, postalCode: "PORTLAND", line1: "" } }));
    await expect(refused).rejects.toMatchObject({
      code: "lab_refused",
      extra: {
        details: expect.arrayContaining([
          { field: "recipient.address.line1", message: "Required" },
          { field: "recipient.address.postalOrZipCode", message: "MustBeAValidUSZipCodeFormat" },
        ]),
      },
    });
    const unknown = lab.submit(
      order(`ord-${crypto.randomUUID()}`, { lines: [{ ...order("x").lines[0]!, product: { sku: "GLOBAL-NOPE-1X1", attributes: {} } }] }),
    );
    await expect(unknown).rejects.toMatchObject({ code: "lab_refused", message: expect.stringContaining("items[0].sku: NotFound") });
    await expect(prodigi({ apiKey: "wrong", baseUrl: api }).order("ord_1")).rejects.toMatchObject({
      code: "lab_refused",
      message: expect.stringContaining("apiKey"),
    });
  });

  it("prices prints with shipping, and knows the pixels each product needs for its options", async () => {
    const quote = await lab.quote("US", "budget", [{ product: { sku: "GLOBAL-PHO-8X10", attributes: { finish: "lustre" } }, copies: 2 }]);
    expect(quote).toEqual({
      lines: [{ sku: "GLOBAL-PHO-8X10", copies: 2, unitCost: { amount: "3.10", currency: "USD" } }],
      shipping: { amount: "7.95", currency: "USD" },
    });
    expect(await lab.requirement({ sku: "GLOBAL-CAN-24X36", attributes: { wrap: "Black" } })).toEqual({ widthPx: 7200, heightPx: 10800 });
    expect(await lab.requirement({ sku: "GLOBAL-CAN-24X36", attributes: { wrap: "ImageWrap" } })).toEqual({ widthPx: 8145, heightPx: 11745 });
    await expect(lab.requirement({ sku: "GLOBAL-CAN-24X36", attributes: { wrap: "Gold" } })).rejects.toMatchObject({
      code: "lab_refused",
      message: expect.stringContaining("not made with wrap Gold"),
    });
    await expect(lab.requirement({ sku: "GLOBAL-NOPE-1X1", attributes: {} })).rejects.toMatchObject({ code: "lab_refused" });
  });
});
