// A studio with something to sell, its clients, and Stripe events signed for real.
import { env } from "cloudflare:test";
import Stripe from "stripe";
import { expect } from "vitest";
import { fixture, newGallery, type Owner, settled, uploadOriginal } from "../helpers/galleries";
import { CookieJar, call, freshIp, json, signUp, studioHost } from "../helpers/http";

export const storePath = (o: Owner) => `/api/studios/${o.studio.id}/store`;

export const SHEET = {
  name: "Weddings 2026",
  currency: "usd",
  taxRateBps: 825,
  items: [
    { kind: "print", name: "Lustre print 8×10", size: "8×10", paper: "Lustre", unitAmount: 1500 },
    { kind: "canvas", name: "Canvas 16×20", size: "16×20", unitAmount: 12000 },
    { kind: "digital", name: "Web download", variant: "web", unitAmount: 500 },
    { kind: "digital", name: "Original file", variant: "original", unitAmount: 2500 },
    { kind: "package", name: "10 digitals", variant: "web", packageCount: 10, unitAmount: 4000 },
    { kind: "canvas", name: "Canvas 24×36", size: "24×36", unitAmount: 30000 },
  ],
  shipping: [
    { name: "Standard", amount: 800 },
    { name: "Express", amount: 2000 },
  ],
};

export interface Shop {
  owner: Owner & { studio: { id: string; slug: string; shard: number } };
  galleryId: string;
  photoIds: string[];
  sheet: { id: string; items: { id: string; kind: string; name: string; unitAmount: number }[]; shipping: { id: string; name: string; amount: number }[] };
  item: (name: string) => string;
  ship: (name: string) => string;
}

export async function openShop(slug: string, photos = 3): Promise<Shop> {
  const owner = await signUp(slug);
  const gallery = await newGallery(owner, { visibility: "public", title: `${slug} wedding` });
  const photoIds: string[] = [];
  for (let i = 0; i < photos; i++) photoIds.push(await uploadOriginal(owner, gallery.id, `IMG_${100 + i}.jpg`, fixture("camera.jpg")));
  for (const id of photoIds) expect((await settled(owner, gallery.id, id)).status).toBe("ready");
  const made = await call("POST", `${storePath(owner)}/price-sheets`, { jar: owner.jar, body: SHEET });
  expect(made.status, await made.clone().text()).toBe(201);
  const sheet = (await json(made)).priceSheet;
  const linked = await call("PATCH", `/api/studios/${owner.studio.id}/galleries/${gallery.id}`, { jar: owner.jar, body: { priceSheetId: sheet.id } });
  expect(linked.status).toBe(200);
  const item = (name: string) => sheet.items.find((i: { name: string }) => i.name === name)!.id as string;
  const ship = (name: string) => sheet.shipping.find((m: { name: string }) => m.name === name)!.id as string;
  return { owner, galleryId: gallery.id, photoIds, sheet, item, ship };
}

/** A client who opened the gallery under a name: their cookie is their cart. */
export async function client(shop: Shop, name = "Maria Rivera") {
  const jar = new CookieJar();
  const host = studioHost(shop.owner.studio.slug);
  // One network per client, as in life: a discount code is a guess budgeted per IP.
  const ip = freshIp();
  const res = await call("POST", `/g/${shop.galleryId}/access`, { host, jar, ip, body: { name } });
  expect(res.status).toBe(200);
  const put = (body: unknown) => call("PUT", `/g/${shop.galleryId}/cart`, { host, jar, ip, body });
  const checkout = (body: unknown) => call("POST", `/g/${shop.galleryId}/checkout`, { host, jar, ip: freshIp(), body });
  return { jar, host, put, checkout, store: async () => json(await call("GET", `/g/${shop.galleryId}/store`, { host, jar })) };
}

export const buyer = { name: "Maria Rivera", email: "maria@example.test" };
export const address = { name: "Maria Rivera", line1: "12 Harbour St", city: "Portland", postalCode: "04101", region: "ME", country: "US" };

/** What the fake Stripe API was sent, for assertions on amounts, accounts and idempotency keys. */
export async function stripeRequests(): Promise<
  { method: string; path: string; account: string | null; idempotencyKey: string | null; form: Record<string, string> }[]
> {
  return (await fetch(`${env.STRIPE_API_URL}/__requests`)).json();
}

let eventSeq = 0;
/** A Stripe event as Stripe would send it: JSON body and a real signature over it. */
export async function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  opts: { account?: string; id?: string; created?: number; secret?: string; timestamp?: number } = {},
) {
  const payload = JSON.stringify({
    id: opts.id ?? `evt_test_${Date.now()}_${++eventSeq}`,
    object: "event",
    api_version: "2025-01-27.acacia",
    type,
    created: opts.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    ...(opts.account && { account: opts.account }),
    data: { object },
  });
  const secret = opts.secret ?? (opts.account ? env.STRIPE_CONNECT_WEBHOOK_SECRET! : env.STRIPE_WEBHOOK_SECRET!);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    timestamp: opts.timestamp,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return { payload, signature };
}

export function deliver(e: { payload: string; signature: string }, endpoint: "connect" | "platform" = "connect") {
  return call("POST", endpoint === "connect" ? "/webhooks/stripe/connect" : "/webhooks/stripe", {
    rawBody: e.payload,
    headers: { "stripe-signature": e.signature, "content-type": "application/json" },
  });
}

/** Rows read straight from the studio's shard (shared with other studios: filter by tenant_id). */
export async function rows<T = Record<string, unknown>>(shop: Shop, sql: string, ...binds: unknown[]): Promise<T[]> {
  const d1 = (env as unknown as Record<string, D1Database>)[`TENANT_DB_${shop.owner.studio.shard}`]!;
  return (
    await d1
      .prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;
}

/** A shop whose Stripe account is set up and can take cards. */
export async function connected(slug: string, photos = 2) {
  const shop = await openShop(slug, photos);
  const res = await call("POST", `${storePath(shop.owner)}/payments/connect`, { jar: shop.owner.jar });
  expect(res.status, await res.clone().text()).toBe(200);
  const { url, accountId } = await json(res);
  expect(url).toBe(`https://connect.stripe.test/setup/${accountId}`);
  const before = await json(await call("GET", `${storePath(shop.owner)}/payments`, { jar: shop.owner.jar }));
  expect(before.billing.payments).toMatchObject({ accountId, chargesEnabled: false });
  const updated = await deliver(
    await stripeEvent("account.updated", { id: accountId, object: "account", charges_enabled: true, details_submitted: true }, { account: accountId }),
  );
  expect(updated.status).toBe(200);
  const after = await json(await call("GET", `${storePath(shop.owner)}/payments`, { jar: shop.owner.jar }));
  expect(after.billing.payments).toMatchObject({ accountId, chargesEnabled: true, detailsSubmitted: true });
  return { shop, accountId: accountId as string };
}

/** A completed Checkout session for the order, as Stripe sends it. */
export const sessionPaid = (order: { id: string; tenantId: string }, pi: string, extra: Record<string, unknown> = {}) => ({
  id: `cs_test_${order.id}`,
  object: "checkout.session",
  mode: "payment",
  payment_status: "paid",
  status: "complete",
  payment_intent: pi,
  metadata: { tenantId: order.tenantId, orderId: order.id },
  amount_total: null,
  automatic_tax: { enabled: false },
  ...extra,
});
