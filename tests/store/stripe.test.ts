// Card payments through Stripe: Connect onboarding, Checkout on the studio's account with the
// platform's fee, and webhooks signed for real — tampered or stale ones refused, repeats and
// out-of-order events ending in the right state, one fulfilment each. Outbound calls go to the
// fake Stripe API (tests/setup/fake-stripe.ts); the subscription that sets a studio's quota too.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_LINES } from "../../worker/domain/store/cart";
import { platformFees } from "../../worker/domain/store/fees";
import { call, json } from "../helpers/http";
import { address, buyer, client, connected, deliver, openShop, rows, type Shop, sessionPaid, storePath, stripeEvent, stripeRequests } from "./helpers";

async function cardOrder(shop: Shop, name = "Maria Rivera") {
  const maria = await client(shop, name);
  await maria.put({ lines: [{ itemId: shop.item("Original file"), photoIds: [shop.photoIds[0]] }] });
  const res = await maria.checkout(buyer);
  expect(res.status, await res.clone().text()).toBe(201);
  const { order } = await json(res);
  return { maria, order: { ...order, tenantId: shop.owner.studio.id } as { id: string; tenantId: string; total: number } };
}

const count = async (shop: Shop, table: string) =>
  (await rows<{ n: number }>(shop, `SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`, shop.owner.studio.id))[0]!.n;
const orderOf = async (shop: Shop, id: string) => (await json(await call("GET", `${storePath(shop.owner)}/orders/${id}`, { jar: shop.owner.jar }))).order;

describe("card checkout", () => {
  it("opens Stripe Checkout on the studio's account with the platform fee, the discount and an idempotency key", async () => {
    const { shop, accountId } = await connected("stripe-checkout");
    await call("POST", `${storePath(shop.owner)}/discounts`, { jar: shop.owner.jar, body: { code: "TEN", kind: "fixed", value: 1000 } });
    const maria = await client(shop);
    await maria.put({
      lines: [
        { itemId: shop.item("Original file"), photoIds: [shop.photoIds[0]] },
        { itemId: shop.item("Web download"), photoIds: [shop.photoIds[1]] },
      ],
      discountCode: "TEN",
    });
    const res = await maria.checkout(buyer);
    const { order, checkoutUrl } = await json(res);
    // 25.00 + 5.00 − 10.00 = 20.00, tax 8.25% = 1.65 → 21.65; the platform keeps 3%: 0.65.
    expect(order).toMatchObject({
      paymentMethod: "stripe",
      status: "pending",
      subtotal: 3000,
      discount: 1000,
      tax: 165,
      total: 2165,
      applicationFee: 65,
      stripeAccountId: accountId,
    });
    expect(checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const sent = (await stripeRequests()).filter((r) => r.account === accountId);
    const session = sent.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(session.idempotencyKey).toBe(`checkout-${order.id}`);
    expect(session.form).toMatchObject({
      mode: "payment",
      "payment_intent_data[application_fee_amount]": "65",
      "metadata[orderId]": order.id,
      "metadata[tenantId]": shop.owner.studio.id,
      "line_items[0][price_data][unit_amount]": "2500",
      "line_items[1][price_data][unit_amount]": "500",
      "line_items[2][price_data][unit_amount]": "165",
      "line_items[2][price_data][product_data][name]": "Tax",
      customer_email: buyer.email,
    });
    const coupon = sent.find((r) => r.path === "/v1/coupons")!;
    expect(coupon).toMatchObject({ idempotencyKey: `coupon-${order.id}`, form: { amount_off: "1000", currency: "usd", max_redemptions: "1" } });
    expect(session.form["discounts[0][coupon]"]).toMatch(/^co_fake/);
  });

  it(`a cart of ${MAX_LINES} lines with tax fits Stripe's 100 line items; one more line is refused by the cart`, async () => {
    const { shop, accountId } = await connected("stripe-many-lines");
    const maria = await client(shop);
    const line = { itemId: shop.item("Lustre print 8×10"), photoIds: [shop.photoIds[0]] };
    const tooMany = await maria.put({ lines: Array.from({ length: MAX_LINES + 1 }, () => line), shippingMethodId: shop.ship("Standard") });
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).error.message).toMatch(`lines: at most ${MAX_LINES} lines`);
    const put = await maria.put({ lines: Array.from({ length: MAX_LINES }, () => line), shippingMethodId: shop.ship("Standard") });
    expect(put.status, await put.clone().text()).toBe(200);
    const res = await maria.checkout({ ...buyer, shippingAddress: address });
    expect(res.status, await res.clone().text()).toBe(201);
    const { order, checkoutUrl } = await json(res);
    expect(order.tax).toBeGreaterThan(0);
    expect(checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const session = (await stripeRequests()).find((r) => r.account === accountId && r.path === "/v1/checkout/sessions")!;
    expect(session.form[`line_items[${MAX_LINES}][price_data][product_data][name]`]).toBe("Tax");
  });

  it("with Stripe Tax on, Stripe decides the tax and the paid order keeps Stripe's totals", async () => {
    const { shop, accountId } = await connected("stripe-tax", 1);
    const sheet = await json(await call("GET", `${storePath(shop.owner)}/price-sheets/${shop.sheet.id}`, { jar: shop.owner.jar }));
    const { items, shipping, name, currency } = sheet.priceSheet;
    const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
    const res = await call("PUT", `${storePath(shop.owner)}/price-sheets/${shop.sheet.id}`, {
      jar: shop.owner.jar,
      body: {
        name,
        currency,
        taxRateBps: 825,
        stripeTax: true,
        items: items.map(({ position: _p, ...i }: Record<string, unknown>) => strip(i)),
        shipping: shipping.map(({ id, name: n, amount }: Record<string, unknown>) => ({ id, name: n, amount })),
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { order } = await cardOrder(shop);
    expect(order).toMatchObject({ subtotal: 2500, tax: 0, total: 2500 });
    const session = (await stripeRequests()).find((r) => r.path === "/v1/checkout/sessions" && r.form["metadata[orderId]"] === order.id)!;
    expect(session.form["automatic_tax[enabled]"]).toBe("true");
    expect(Object.values(session.form)).not.toContain("Tax");
    const completed = sessionPaid(order, "pi_taxed", { automatic_tax: { enabled: true }, amount_total: 2706, total_details: { amount_tax: 206 } });
    expect((await deliver(await stripeEvent("checkout.session.completed", completed, { account: accountId }))).status).toBe(200);
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "paid", tax: 206, total: 2706 });
  });

  it("when Stripe fails, nothing is charged: the order is cancelled and the code's use given back", async () => {
    const { shop } = await connected("stripe-down", 1);
    await call("POST", `${storePath(shop.owner)}/discounts`, { jar: shop.owner.jar, body: { code: "ONLY1", kind: "percent", value: 1000, maxUses: 1 } });
    const maria = await client(shop);
    await maria.put({ lines: [{ itemId: shop.item("Original file"), photoIds: [shop.photoIds[0]] }], discountCode: "ONLY1" });
    await fetch(`${env.STRIPE_API_URL}/__fail`, { method: "POST", body: JSON.stringify({ path: "/v1/checkout/sessions", times: 3 }) });
    const res = await maria.checkout(buyer);
    expect(res.status).toBe(503);
    expect((await json(res)).error).toMatchObject({ code: "payments_unavailable", message: expect.stringContaining("nothing was charged") });
    expect(await rows(shop, "SELECT status FROM orders WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([{ status: "cancelled" }]);
    expect(await rows(shop, "SELECT uses FROM discount_codes WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([{ uses: 0 }]);
  });
});

describe("Stripe webhooks", () => {
  it("refuse a tampered body, a stale signature and the wrong endpoint's secret with 400, changing nothing", async () => {
    const { shop, accountId } = await connected("hook-forged", 1);
    const { order } = await cardOrder(shop);
    const good = await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_forged"), { account: accountId });
    const tampered = { ...good, payload: good.payload.replace('"payment_status":"paid"', '"payment_status":"paid" ') };
    const stale = await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_forged"), {
      account: accountId,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    const wrongSecret = await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_forged"), {
      account: accountId,
      secret: env.STRIPE_WEBHOOK_SECRET,
    });
    for (const [e, why] of [
      [tampered, "tampered"],
      [stale, "stale"],
      [wrongSecret, "platform secret"],
    ] as const) {
      const res = await deliver(e);
      expect(res.status, why).toBe(400);
      expect((await json(res)).error).toMatchObject({ code: "signature_invalid", message: expect.stringMatching(/^stripe-signature: /) });
    }
    const missing = await call("POST", "/webhooks/stripe/connect", { rawBody: good.payload, headers: { "content-type": "application/json" } });
    expect((await json(missing)).error.message).toBe("stripe-signature: the header is missing");
    expect((await orderOf(shop, order.id)).status).toBe("pending");
    expect(await count(shop, "download_grants")).toBe(0);
    expect((await deliver(good)).status).toBe(200);
    expect((await orderOf(shop, order.id)).status).toBe("paid");
  });

  it("fulfil an order once, however often and in whatever order payment is reported", async () => {
    const { shop, accountId } = await connected("hook-once", 1);
    const { order } = await cardOrder(shop);
    const completed = await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_once"), { account: accountId });
    const first = await deliver(completed);
    expect(await json(first)).toEqual({ received: true, duplicate: false });
    expect(await json(await deliver(completed))).toEqual({ received: true, duplicate: true });
    // The same news under other event ids (Stripe may send both): no second fulfilment.
    expect((await deliver(await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_once"), { account: accountId }))).status).toBe(200);
    expect((await deliver(await stripeEvent("checkout.session.async_payment_succeeded", sessionPaid(order, "pi_once"), { account: accountId }))).status).toBe(
      200,
    );
    // Events Loupe has no use for are acknowledged and change nothing.
    const noise = await deliver(
      await stripeEvent(
        "payment_intent.succeeded",
        { id: "pi_once", object: "payment_intent", metadata: { orderId: order.id, tenantId: order.tenantId } },
        { account: accountId },
      ),
    );
    expect(await json(noise)).toEqual({ received: true, duplicate: false, ignored: true });
    // A late failure report cannot take a paid order back.
    expect(
      (
        await deliver(
          await stripeEvent("checkout.session.async_payment_failed", sessionPaid(order, "pi_once", { payment_status: "unpaid" }), { account: accountId }),
        )
      ).status,
    ).toBe(200);
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "paid", paymentIntentId: "pi_once" });
    expect(await count(shop, "download_grants")).toBe(1);
    const kinds = (await rows<{ kind: string }>(shop, "SELECT kind FROM email_outbox WHERE tenant_id = ? ORDER BY kind", shop.owner.studio.id)).map(
      (r) => r.kind,
    );
    // The buyer's two mails and the studio's one "paid" alert, each once.
    expect(kinds).toEqual(["downloads_ready", "order_confirmation", "studio_alert"]);
  });

  it("a refund reported before the payment leaves the order refunded, with nothing delivered", async () => {
    const { shop, accountId } = await connected("hook-refund-first", 1);
    const { order } = await cardOrder(shop);
    const refund = await stripeEvent(
      "charge.refunded",
      {
        id: "ch_early",
        object: "charge",
        payment_intent: "pi_early",
        amount: order.total,
        amount_refunded: order.total,
        metadata: { tenantId: order.tenantId, orderId: order.id },
      },
      { account: accountId },
    );
    expect((await deliver(refund)).status).toBe(200);
    expect((await deliver(await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_early"), { account: accountId }))).status).toBe(200);
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "refunded", refunded: order.total });
    expect(await count(shop, "download_grants")).toBe(0);
  });

  it("a refund of a payment no one knows yet is refused with 409, and applies when Stripe sends it again", async () => {
    const { shop, accountId } = await connected("hook-refund-retry", 1);
    const { order } = await cardOrder(shop);
    const refund = await stripeEvent(
      "charge.refunded",
      { id: "ch_late", object: "charge", payment_intent: "pi_late", amount: order.total, amount_refunded: 500, metadata: {} },
      { account: accountId },
    );
    const early = await deliver(refund);
    expect(early.status).toBe(409);
    expect((await json(early)).error.message).toBe("charge.refunded: no order has this payment yet; send it again later");
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "pending", refunded: 0 });
    await deliver(await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_late"), { account: accountId }));
    const retried = await deliver(refund);
    expect(await json(retried)).toEqual({ received: true, duplicate: false });
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "paid", refunded: 500 });
  });

  it("refunds from the dashboard go to Stripe on the studio's account; Stripe's report settles the amount", async () => {
    const { shop, accountId } = await connected("hook-dashboard-refund", 1);
    const { order } = await cardOrder(shop);
    await deliver(await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_refundme"), { account: accountId }));
    const res = await call("POST", `${storePath(shop.owner)}/orders/${order.id}/refund`, { jar: shop.owner.jar, body: { amount: 1000 } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json(res)).order).toMatchObject({ status: "paid", refunded: 1000 });
    const sent = (await stripeRequests()).find((r) => r.path === "/v1/refunds" && r.form.payment_intent === "pi_refundme")!;
    expect(sent).toMatchObject({ account: accountId, idempotencyKey: `refund-${order.id}-0-1000`, form: { amount: "1000" } });
    // Stripe's charge.refunded says 10.00 (a replay of what we know), then the full amount.
    const charge = (refunded: number) => ({
      id: "ch_r",
      object: "charge",
      payment_intent: "pi_refundme",
      amount: order.total,
      amount_refunded: refunded,
      metadata: {},
    });
    await deliver(await stripeEvent("charge.refunded", charge(1000), { account: accountId }));
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "paid", refunded: 1000 });
    await deliver(await stripeEvent("charge.refunded", charge(order.total), { account: accountId }));
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "refunded", refunded: order.total });
  });

  it("an account's events touch only its own studio, whatever the metadata claims", async () => {
    const a = await connected("hook-tenant-a", 1);
    const b = await connected("hook-tenant-b", 1);
    const { order } = await cardOrder(b.shop);
    const res = await deliver(await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_stolen"), { account: a.accountId }));
    expect(res.status).toBe(200);
    expect((await orderOf(b.shop, order.id)).status).toBe("pending");
    expect(await count(b.shop, "download_grants")).toBe(0);
  });
});

describe("orders that will not be paid", () => {
  it("cancelling a card order closes its Checkout; a payment that still arrives is refunded in full and nothing is delivered", async () => {
    const { shop, accountId } = await connected("cancel-expires", 1);
    const { order } = await cardOrder(shop);
    const cancelled = await call("POST", `${storePath(shop.owner)}/orders/${order.id}/cancel`, { jar: shop.owner.jar });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    const sessionId = (await orderOf(shop, order.id)).checkoutSessionId;
    const expire = (await stripeRequests()).find((r) => r.path === `/v1/checkout/sessions/${sessionId}/expire`);
    expect(expire?.account).toBe(accountId);
    // The client had the Checkout page open and paid anyway: Stripe reports it.
    expect(
      (await deliver(await stripeEvent("checkout.session.completed", sessionPaid(order, "pi_late", { amount_total: order.total }), { account: accountId })))
        .status,
    ).toBe(200);
    const after = await orderOf(shop, order.id);
    expect(after.status).toBe("cancelled");
    expect(after.note).toMatch(/Paid after it was cancelled: \$[\d.]+ refunded automatically/);
    const refund = (await stripeRequests()).find((r) => r.path === "/v1/refunds" && r.form.payment_intent === "pi_late");
    expect(refund).toMatchObject({ account: accountId, idempotencyKey: `late-refund-${order.id}-pi_late` });
    expect(await count(shop, "download_grants")).toBe(0);
  });

  it("an expired Checkout cancels its order and gives the discount code's use back", async () => {
    const { shop, accountId } = await connected("checkout-expired", 1);
    await call("POST", `${storePath(shop.owner)}/discounts`, { jar: shop.owner.jar, body: { code: "ONCE", kind: "percent", value: 1000, maxUses: 1 } });
    const maria = await client(shop);
    await maria.put({ lines: [{ itemId: shop.item("Original file"), photoIds: [shop.photoIds[0]] }], discountCode: "ONCE" });
    const { order } = await json(await maria.checkout(buyer));
    expect(await rows(shop, "SELECT uses FROM discount_codes WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([{ uses: 1 }]);
    const expired = { ...sessionPaid({ ...order, tenantId: shop.owner.studio.id }, "pi_never"), payment_status: "unpaid", status: "expired" };
    expect((await deliver(await stripeEvent("checkout.session.expired", expired, { account: accountId }))).status).toBe(200);
    expect(await orderOf(shop, order.id)).toMatchObject({ status: "cancelled", note: "The checkout expired unpaid." });
    expect(await rows(shop, "SELECT uses FROM discount_codes WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([{ uses: 0 }]);
    // Sent again, it changes nothing: the use is not given back twice.
    expect((await deliver(await stripeEvent("checkout.session.expired", expired, { account: accountId }))).status).toBe(200);
    expect(await rows(shop, "SELECT uses FROM discount_codes WHERE tenant_id = ?", shop.owner.studio.id)).toEqual([{ uses: 0 }]);
  });

  it("each endpoint takes only its own events: a subscription event at the Connect endpoint changes no studio's plan", async () => {
    const { shop } = await connected("endpoint-events", 1);
    const sub = {
      id: "sub_x",
      object: "subscription",
      customer: "cus_x",
      status: "active",
      metadata: { tenantId: shop.owner.studio.id },
      items: { object: "list", data: [{ id: "si_1", price: { id: "price_studio_monthly" }, quantity: 1 }] },
    };
    const e = await stripeEvent("customer.subscription.created", sub, { secret: env.STRIPE_CONNECT_WEBHOOK_SECRET! });
    const res = await deliver(e, "connect");
    expect(await json(res)).toEqual({ received: true, duplicate: false, ignored: true });
    const billing = (await json(await call("GET", `${storePath(shop.owner)}/payments`, { jar: shop.owner.jar }))).billing;
    expect(billing.plan).toBe("free");
  });
});

describe("the studio's subscription", () => {
  it("sets the plan and storage add-ons from Stripe Billing; a stale event cannot roll it back", async () => {
    const shop = await openShop("billing-plan", 1);
    const res = await call("POST", `${storePath(shop.owner)}/billing/checkout`, { jar: shop.owner.jar, body: { plan: "pro", storageAddons: 2 } });
    expect(res.status, await res.clone().text()).toBe(200);
    const customerCall = (await stripeRequests()).find((r) => r.path === "/v1/customers" && r.form["metadata[tenantId]"] === shop.owner.studio.id)!;
    expect(customerCall.idempotencyKey).toBe(`customer-${shop.owner.studio.id}`);
    const checkoutCall = (await stripeRequests())
      .filter((r) => r.path === "/v1/checkout/sessions" && r.form["metadata[tenantId]"] === shop.owner.studio.id)
      .at(-1)!;
    expect(checkoutCall.form).toMatchObject({
      mode: "subscription",
      "line_items[0][price]": "price_pro_monthly",
      "line_items[1][price]": "price_storage_100gb",
      "line_items[1][quantity]": "2",
    });
    expect(checkoutCall.account).toBeNull();
    const customer = checkoutCall.form.customer!;
    const t = Math.floor(Date.now() / 1000);
    const sub = (status: string, items: [string, number][]) => ({
      id: "sub_1",
      object: "subscription",
      customer,
      status,
      metadata: { tenantId: shop.owner.studio.id },
      items: { object: "list", data: items.map(([price, quantity]) => ({ id: `si_${price}`, price: { id: price }, quantity })) },
    });
    const created = await deliver(
      await stripeEvent(
        "customer.subscription.created",
        sub("active", [
          ["price_pro_monthly", 1],
          ["price_storage_100gb", 2],
        ]),
        { created: t },
      ),
      "platform",
    );
    expect(created.status, await created.clone().text()).toBe(200);
    const view = async () => (await json(await call("GET", `${storePath(shop.owner)}/payments`, { jar: shop.owner.jar }))).billing;
    expect(await view()).toMatchObject({ plan: "pro", status: "active", storageAddonBytes: 2 * 100 * 1024 ** 3 });
    // An older update arriving late changes nothing.
    await deliver(await stripeEvent("customer.subscription.updated", sub("active", [["price_pro_monthly", 1]]), { created: t - 60 }), "platform");
    expect((await view()).storageAddonBytes).toBe(2 * 100 * 1024 ** 3);
    await deliver(await stripeEvent("invoice.payment_failed", { id: "in_1", object: "invoice", customer }, { created: t + 10 }), "platform");
    expect((await view()).status).toBe("past_due");
    await deliver(await stripeEvent("invoice.paid", { id: "in_1", object: "invoice", customer }, { created: t + 20 }), "platform");
    expect((await view()).status).toBe("active");
    await deliver(await stripeEvent("customer.subscription.deleted", sub("canceled", [["price_pro_monthly", 1]]), { created: t + 30 }), "platform");
    expect(await view()).toMatchObject({ plan: "free", status: "canceled", storageAddonBytes: 0 });
  });

  it("sets Loupe's fee on card payments by plan: the free plan's share, none on a paid plan, the share again when it ends", async () => {
    const { shop, accountId } = await connected("billing-fee");
    const view = async () => (await json(await call("GET", `${storePath(shop.owner)}/payments`, { jar: shop.owner.jar }))).billing;
    expect(await view()).toMatchObject({ plan: "free", platformFeeBps: { free: 300, pro: 0, studio: 0 } });
    const feeSent = async (orderId: string) =>
      (await stripeRequests()).find((r) => r.account === accountId && r.path === "/v1/checkout/sessions" && r.form["metadata[orderId]"] === orderId)!.form[
        "payment_intent_data[application_fee_amount]"
      ];
    const onFree = (await cardOrder(shop, "Fay Free")).order;
    expect(onFree).toMatchObject({ applicationFee: Math.round(onFree.total * 0.03) });
    expect(await feeSent(onFree.id)).toBe(String(Math.round(onFree.total * 0.03)));

    expect((await call("POST", `${storePath(shop.owner)}/billing/checkout`, { jar: shop.owner.jar, body: { plan: "pro" } })).status).toBe(200);
    const customer = (await stripeRequests())
      .filter((r) => r.path === "/v1/checkout/sessions" && r.form["metadata[tenantId]"] === shop.owner.studio.id && r.form.mode === "subscription")
      .at(-1)!.form.customer!;
    const t = Math.floor(Date.now() / 1000);
    const sub = (status: string) => ({
      id: "sub_fee",
      object: "subscription",
      customer,
      status,
      metadata: { tenantId: shop.owner.studio.id },
      items: { object: "list", data: [{ id: "si_pro", price: { id: "price_pro_monthly" }, quantity: 1 }] },
    });
    await deliver(await stripeEvent("customer.subscription.created", sub("active"), { created: t }), "platform");
    expect((await view()).plan).toBe("pro");
    const onPro = (await cardOrder(shop, "Pia Pro")).order;
    expect(onPro).toMatchObject({ applicationFee: 0 });
    // No fee at all rather than a fee of zero.
    expect(await feeSent(onPro.id)).toBeUndefined();

    await deliver(await stripeEvent("customer.subscription.deleted", sub("canceled"), { created: t + 10 }), "platform");
    const backOnFree = (await cardOrder(shop, "Fred Free")).order;
    expect(backOnFree).toMatchObject({ applicationFee: Math.round(backOnFree.total * 0.03) });
  });

  it("refuses a fee that is not a share of the order, naming the plan, rather than charge one nobody chose", () => {
    for (const [key, value] of [
      ["PLATFORM_FEE_BPS", "3%"],
      ["PLATFORM_FEE_BPS_PRO", "-5"],
      ["PLATFORM_FEE_BPS_STUDIO", "12000"],
    ] as const) {
      expect(() => platformFees({ ...env, [key]: value }), key).toThrowError(
        expect.objectContaining({ code: "payments_unavailable", message: expect.stringContaining(`"${value}"`) }),
      );
    }
    expect(platformFees({ ...env, PLATFORM_FEE_BPS_STUDIO: "" })).toEqual({ free: 300, pro: 0, studio: 0 });
  });
});
