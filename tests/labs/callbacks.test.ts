// The lab's status callbacks: unsigned, so believed only as far as the order read back from the
// lab with the studio's key. Out of order, twice, or forged, they end in the lab's real state,
// with one shipping mail per parcel and the tracking on the order.
import { describe, expect, it } from "vitest";
import { call, json } from "../helpers/http";
import { openShop, rows, type Shop, storePath } from "../store/helpers";
import { advanceLab, connectProdigi, labOrderOf, labSettled, mapPrints, ordersSent, paidPrintOrder } from "./helpers";

/** Posts an event to the address the lab was given, as the lab would. */
function post(e: { url: string; body: string }) {
  const url = new URL(e.url);
  return call("POST", url.pathname, { host: url.host, rawBody: e.body, headers: { "content-type": "application/json" } });
}

async function submitted(slug: string) {
  const shop = await openShop(slug, 3);
  await connectProdigi(shop);
  await mapPrints(shop);
  const order = await paidPrintOrder(shop);
  const lo = await labSettled(shop, order.id, "submitted");
  return { shop, order, labOrderId: lo.labOrderId as string };
}

const shippingMail = (shop: Shop) =>
  rows<{ to: string; subject: string; text: string }>(
    shop,
    "SELECT \"to\", subject, text FROM email_outbox WHERE tenant_id = ? AND kind = 'order_shipped'",
    shop.owner.studio.id,
  );

describe("lab callbacks", () => {
  it("end shipped with tracking and one mail when shipped comes before in-production and twice, after the studio disconnected", async () => {
    const { shop, order, labOrderId } = await submitted("lab-callbacks");
    // The studio disconnects its lab: the order carries on there, on the account it went to.
    expect((await call("DELETE", `${storePath(shop.owner)}/lab`, { jar: shop.owner.jar })).status).toBe(204);
    const inProduction = await advanceLab(labOrderId, "InProduction");
    const shipped = await advanceLab(labOrderId, "Shipped");
    expect(shipped).toHaveLength(2);
    for (const e of shipped) expect((await post(e)).status).toBe(200);
    // The in-production event arrives late: the order read back has shipped, and stays so.
    const late = await post(inProduction[0]!);
    expect(await json(late)).toMatchObject({ received: true, status: "shipped" });
    for (const e of shipped) expect((await post(e)).status).toBe(200);

    const lo = await labOrderOf(shop, order.id);
    expect(lo).toMatchObject({ status: "shipped", labStage: "Complete" });
    expect(lo.shipments).toHaveLength(1);
    expect(lo.shipments[0]).toMatchObject({
      carrier: "USPS",
      trackingNumber: expect.stringMatching(/^9400/),
      trackingUrl: expect.stringContaining("usps.com"),
    });
    const mails = await shippingMail(shop);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: "maria@example.test", subject: expect.stringContaining(`order #${order.number} has shipped`) });
    expect(mails[0]!.text).toContain(lo.shipments[0].trackingUrl);
    expect(mails[0]!.text).toContain("2 × Lustre print 8×10");
    expect(mails[0]!.text).toContain("1 × Canvas 24×36");
    // Everything physical was the lab's: the order has shipped, with the lab's tracking number.
    const { order: view } = await json(await call("GET", `${storePath(shop.owner)}/orders/${order.id}`, { jar: shop.owner.jar }));
    expect(view).toMatchObject({ status: "shipped", trackingNumber: lo.shipments[0].trackingNumber });
    // The client's order in the gallery shows the parcel's tracking link.
    const { orders } = await order.shopper.store();
    expect(orders[0]).toMatchObject({
      status: "shipped",
      tracking: [{ carrier: "USPS", number: lo.shipments[0].trackingNumber, url: lo.shipments[0].trackingUrl }],
    });
  });

  it("refuses a forged callback, and one naming another studio's order, changing nothing", async () => {
    const a = await submitted("lab-forged-a");
    const b = await submitted("lab-forged-b");
    const [event] = await advanceLab(b.labOrderId, "Shipped");
    // A's address with B's order in the body: not A's order, so nothing is read or changed.
    const [aEvent] = await advanceLab(a.labOrderId, "InProduction");
    const crossed = await post({ url: aEvent!.url, body: event!.body });
    expect(crossed.status).toBe(404);
    expect((await json(crossed)).error).toMatchObject({ code: "not_found", message: `No order ${b.labOrderId} was sent to the lab from this address.` });
    // An address Loupe never gave out.
    const forgedUrl = aEvent!.url.replace(/\.[\w-]+$/, ".forgedsignature");
    const forged = await post({ url: forgedUrl, body: aEvent!.body });
    expect(forged.status).toBe(400);
    expect((await json(forged)).error.code).toBe("signature_invalid");
    const junk = await post({ url: aEvent!.url, body: '{"type":"x"}' });
    expect(junk.status).toBe(400);
    expect((await json(junk)).error).toMatchObject({ code: "invalid_input", message: expect.stringContaining("data") });
    expect((await labOrderOf(a.shop, a.order.id)).status).toBe("submitted");
    expect(await shippingMail(b.shop)).toHaveLength(0);
    // The real one for A is taken.
    expect(await json(await post(aEvent!))).toMatchObject({ status: "in_production" });
  });

  it("a cancelled lab order stops its image links", async () => {
    const { shop, order, labOrderId } = await submitted("lab-cancelled");
    const [sent] = await ordersSent(`loupe-${shop.owner.studio.id}-${order.id}-0`);
    const link = new URL((sent!.body as { items: { assets: { url: string }[] }[] }).items[0]!.assets[0]!.url);
    expect((await call("GET", link.pathname, { host: link.host })).status).toBe(200);
    const [cancelled] = await advanceLab(labOrderId, "Cancelled");
    expect(await json(await post(cancelled!))).toMatchObject({ status: "cancelled" });
    expect((await call("GET", link.pathname, { host: link.host })).status).toBe(410);
  });
});
