// A paid order's prints go to the lab by themselves, through the lab queue: the right SKUs, copies
// and image links, once however often payment is reported or the lab fails; downloads are
// delivered as before; a refusal waits for the studio with the lab's reasons; a studio can hold
// orders for review. The consumer runs for real (wrangler.toml's loupe-labs queue); where a test
// needs an attempt number the queue would take minutes to reach, it hands the consumer a batch.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LAB_ATTEMPTS, labBackoffSeconds } from "../../worker/domain/labs/queue";
import worker from "../../worker/index";
import { fixture } from "../helpers/galleries";
import { call, json } from "../helpers/http";
import { connected, deliver, openShop, rows, sessionPaid, storePath, stripeEvent } from "../store/helpers";
import { advanceLab, connectProdigi, failLab, labOrderOf, labRequests, labSettled, mapPrints, ordersSent, paidPrintOrder, placePrintOrder } from "./helpers";

const keyOf = (tenantId: string, orderId: string, generation = 0) => `loupe-${tenantId}-${orderId}-${generation}`;
type SentItem = { merchantReference: string; sku: string; copies: number; sizing: string; attributes: Record<string, string>; assets: { url: string }[] };

async function deliverJob(body: unknown, attempts: number) {
  const batch = createMessageBatch("loupe-labs", [{ id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("lab routing", () => {
  it("sends a card-paid order's two prints to the lab once, with SKUs, copies and image links only that order opens; the download is delivered as before", async () => {
    const { shop, accountId } = await connected("lab-route", 3);
    await connectProdigi(shop);
    await mapPrints(shop);
    const order = await placePrintOrder(shop);
    const paid = sessionPaid({ id: order.id, tenantId: shop.owner.studio.id }, "pi_lab_route");
    expect((await deliver(await stripeEvent("checkout.session.completed", paid, { account: accountId }))).status).toBe(200);
    const lo = await labSettled(shop, order.id, "submitted");
    expect(lo).toMatchObject({ lab: "prodigi", labOrderId: expect.stringMatching(/^ord_/), problem: null, attempts: 1 });

    // Stripe reports the payment again (a new event for the same session): still one lab order.
    expect((await deliver(await stripeEvent("checkout.session.async_payment_succeeded", paid, { account: accountId }))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const sent = await ordersSent(keyOf(shop.owner.studio.id, order.id));
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { merchantReference: string; shippingMethod: string; recipient: { address: Record<string, string> }; items: SentItem[] };
    expect(body).toMatchObject({ merchantReference: `Order #${order.number}`, shippingMethod: "Standard" });
    expect(body.recipient.address).toMatchObject({ line1: "12 Harbour St", postalOrZipCode: "04101", countryCode: "US", stateOrCounty: "ME" });
    expect(body.items.map((i) => [i.sku, i.copies, i.sizing, i.attributes])).toEqual([
      ["GLOBAL-PHO-8X10", 2, "fillPrintArea", { finish: "lustre" }],
      ["GLOBAL-CAN-24X36", 1, "fillPrintArea", { wrap: "ImageWrap" }],
    ]);
    // The download stays with Loupe: its grant and mail are there, and it never reaches the lab.
    expect(await rows(shop, "SELECT kind FROM email_outbox WHERE tenant_id = ? AND kind = 'downloads_ready'", shop.owner.studio.id)).toHaveLength(1);

    // Each link serves that photo's original to anyone holding it (the lab), and nothing else.
    const links = body.items.map((i) => new URL(i.assets[0]!.url));
    expect(links[0]!.host).toBe("app.localhost:8787");
    const image = await call("GET", links[0]!.pathname, { host: links[0]!.host });
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(fixture("camera.jpg"));
    const forged = links[0]!.pathname.replace(/.{6}\.jpg$/, "AAAAAA.jpg");
    const refused = await call("GET", forged, { host: links[0]!.host });
    expect(refused.status).toBe(410);
    expect((await json(refused)).error.code).toBe("link_invalid");
  });

  it("keeps trying a lab that is down, with backoff, and sends the order once when it answers", async () => {
    const shop = await openShop("lab-down", 3);
    await connectProdigi(shop);
    await mapPrints(shop);
    await failLab("/v4.0/Orders", 2);
    const order = await paidPrintOrder(shop);
    const job = { tenantId: shop.owner.studio.id, orderId: order.id, generation: 0 };
    // Whichever delivery comes first, the queue's own or these, the lab fails twice, then takes it.
    for (let attempt = 1; (await labOrderOf(shop, order.id)).status === "queued" && attempt <= 4; attempt++) {
      const result = await deliverJob(job, attempt);
      const lo = await labOrderOf(shop, order.id);
      if (lo.status === "queued") {
        expect(result.retryMessages).toHaveLength(1);
        expect(lo.problem).toMatch(/Prodigi is not answering just now \(HTTP 500\)/);
      }
    }
    const lo = await labSettled(shop, order.id, "submitted");
    expect(lo.problem).toBeNull();
    const sent = await ordersSent(keyOf(shop.owner.studio.id, order.id));
    expect(sent.length).toBeGreaterThanOrEqual(3);
    // Every attempt carried the same key: the lab made one order.
    const again = await deliverJob(job, 5);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await ordersSent(keyOf(shop.owner.studio.id, order.id))).toHaveLength(sent.length);
    expect(Array.from({ length: 9 }, (_, i) => labBackoffSeconds(i + 1))).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(LAB_ATTEMPTS).toBe(10);
  });

  it("stops on a refusal with the lab's reason; the studio fixes the address and sends it again under a new key", async () => {
    const shop = await openShop("lab-refused", 3);
    await connectProdigi(shop);
    await mapPrints(shop);
    const order = await paidPrintOrder(shop, {
      name: "Maria Rivera",
      line1: "12 Harbour St",
      city: "Portland",
      postalCode: "ME-41",
      region: "ME",
      country: "US",
    });
    const refused = await labSettled(shop, order.id, "refused");
    expect(refused.problem).toBe("Prodigi refused the order: recipient.address.postalOrZipCode: MustBeAValidUSZipCodeFormat.");
    expect(refused.labOrderId).toBeNull();

    const send = `${storePath(shop.owner)}/orders/${order.id}/lab/send`;
    const bad = await call("POST", send, {
      jar: shop.owner.jar,
      body: { shippingAddress: { name: "M", line1: "x", city: "y", postalCode: "04101", country: "USA" } },
    });
    expect((await json(bad)).error).toMatchObject({ code: "invalid_input", message: expect.stringContaining("country") });
    expect((await labOrderOf(shop, order.id)).status).toBe("refused");

    const fixed = await call("POST", send, {
      jar: shop.owner.jar,
      body: { shippingAddress: { name: "Maria Rivera", line1: "12 Harbour St", city: "Portland", postalCode: "04101", region: "ME", country: "us" } },
    });
    expect(fixed.status, await fixed.clone().text()).toBe(200);
    const lo = await labSettled(shop, order.id, "submitted");
    expect(lo.labOrderId).toMatch(/^ord_/);
    expect(await ordersSent(keyOf(shop.owner.studio.id, order.id, 1))).toHaveLength(1);
    const twice = await call("POST", send, { jar: shop.owner.jar, body: {} });
    expect(twice.status).toBe(409);
    expect((await json(twice)).error.message).toMatch(/The lab order is submitted/);
  });

  it("holds orders for review when the studio asks, sends what the studio releases, and leaves unmapped prints with the studio", async () => {
    const shop = await openShop("lab-hold", 3);
    await connectProdigi(shop, { holdForReview: true });
    // Only the 8×10 is made by the lab; the canvas is the studio's own.
    const mapped = await call("PUT", `${storePath(shop.owner)}/price-sheets/${shop.sheet.id}/items/${shop.item("Lustre print 8×10")}/lab`, {
      jar: shop.owner.jar,
      body: { sku: "GLOBAL-PHO-8X10", attributes: { finish: "gloss" } },
    });
    expect(mapped.status).toBe(200);
    const order = await paidPrintOrder(shop);
    const held = await labOrderOf(shop, order.id);
    expect(held).toMatchObject({ status: "held", labOrderId: null });
    expect(held.lines.map((l: { sku: string; copies: number }) => [l.sku, l.copies])).toEqual([["GLOBAL-PHO-8X10", 2]]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ordersSent(keyOf(shop.owner.studio.id, order.id))).toHaveLength(0);

    const released = await call("POST", `${storePath(shop.owner)}/orders/${order.id}/lab/send`, { jar: shop.owner.jar, body: {} });
    expect(released.status, await released.clone().text()).toBe(200);
    await labSettled(shop, order.id, "submitted");
    const [sent] = await ordersSent(keyOf(shop.owner.studio.id, order.id));
    expect((sent!.body as { items: SentItem[] }).items.map((i) => i.sku)).toEqual(["GLOBAL-PHO-8X10"]);
  });

  it("cancels at the lab before production, not after, by hand or on a full refund; a refunded held order is never sent", async () => {
    const shop = await openShop("lab-cancel", 3);
    await connectProdigi(shop);
    await mapPrints(shop);
    const cancelPath = (id: string) => `${storePath(shop.owner)}/orders/${id}/lab/cancel`;

    const first = await paidPrintOrder(shop);
    const { labOrderId } = await labSettled(shop, first.id, "submitted");
    const cancelled = await call("POST", cancelPath(first.id), { jar: shop.owner.jar });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    expect((await json(cancelled)).labOrder).toMatchObject({ status: "cancelled", labStage: "Cancelled" });
    expect((await labRequests()).some((r) => r.path === `/v4.0/Orders/${labOrderId}/actions/cancel`)).toBe(true);

    const second = await paidPrintOrder(shop);
    const started = await labSettled(shop, second.id, "submitted");
    await advanceLab(started.labOrderId, "InProduction");
    const late = await call("POST", cancelPath(second.id), { jar: shop.owner.jar });
    expect(late.status).toBe(409);
    expect((await json(late)).error.message).toBe(`The lab has started making ${started.labOrderId}; it can no longer be cancelled there.`);
    expect((await labOrderOf(shop, second.id)).status).toBe("submitted");

    // Refunded in full once at the lab: cancelled there by the queue, before production.
    const third = await paidPrintOrder(shop);
    await labSettled(shop, third.id, "submitted");
    expect((await call("POST", `${storePath(shop.owner)}/orders/${third.id}/refund`, { jar: shop.owner.jar, body: {} })).status).toBe(200);
    expect(await labSettled(shop, third.id, "cancelled")).toMatchObject({
      problem: "Cancelled at the lab because the order was refunded.",
      labStage: "Cancelled",
    });
    // Refunded once in production: it will still be made, and the order says so.
    expect((await call("POST", `${storePath(shop.owner)}/orders/${second.id}/refund`, { jar: shop.owner.jar, body: {} })).status).toBe(200);
    await expect
      .poll(async () => (await labOrderOf(shop, second.id)).problem, { timeout: 20_000 })
      .toBe("The order was refunded after the lab started making it: it will still be made and shipped.");

    // Held for review, then refunded in full: it stops here, and sending it is refused.
    const patched = await call("PATCH", `${storePath(shop.owner)}/lab`, { jar: shop.owner.jar, body: { holdForReview: true } });
    expect(patched.status).toBe(200);
    const fourth = await paidPrintOrder(shop);
    expect((await labOrderOf(shop, fourth.id)).status).toBe("held");
    expect((await call("POST", `${storePath(shop.owner)}/orders/${fourth.id}/refund`, { jar: shop.owner.jar, body: {} })).status).toBe(200);
    expect(await labOrderOf(shop, fourth.id)).toMatchObject({
      status: "cancelled",
      problem: "The order was refunded before it went to the lab; nothing was sent.",
    });
    const send = await call("POST", `${storePath(shop.owner)}/orders/${fourth.id}/lab/send`, { jar: shop.owner.jar, body: {} });
    expect(send.status).toBe(409);
    expect(await ordersSent(keyOf(shop.owner.studio.id, fourth.id))).toHaveLength(0);
  });

  it("a queued order whose message was lost is sent by the ten-minute cron once it has waited two hours", async () => {
    const shop = await openShop("lab-stalled", 3);
    await connectProdigi(shop, { holdForReview: true });
    await mapPrints(shop);
    const order = await paidPrintOrder(shop);
    // As if its queue message had gone: queued, untouched for three hours, nothing announced.
    await rows(
      shop,
      "UPDATE lab_orders SET status = 'queued', updated_at = ? WHERE tenant_id = ? AND order_id = ?",
      Date.now() - 3 * 3_600_000,
      shop.owner.studio.id,
      order.id,
    );
    const early = Date.now() - 2 * 3_600_000 - 60_000;
    await worker.scheduled(createScheduledController({ cron: "*/10 * * * *", scheduledTime: early }), env);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await labOrderOf(shop, order.id)).status).toBe("queued");
    expect(await ordersSent(keyOf(shop.owner.studio.id, order.id))).toHaveLength(0);
    await worker.scheduled(createScheduledController({ cron: "*/10 * * * *", scheduledTime: Date.now() }), env);
    await labSettled(shop, order.id, "submitted");
    expect(await ordersSent(keyOf(shop.owner.studio.id, order.id))).toHaveLength(1);
  });

  it("sends nothing for a studio without a lab, or an order with nothing the lab makes", async () => {
    const shop = await openShop("lab-none", 3);
    const order = await paidPrintOrder(shop);
    expect(await labOrderOf(shop, order.id)).toBeNull();
    const missing = await call("POST", `${storePath(shop.owner)}/orders/${order.id}/lab/send`, { jar: shop.owner.jar, body: {} });
    expect(missing.status).toBe(404);
  });
});
