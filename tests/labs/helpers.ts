// A shop with a Prodigi account connected (the local fake, tests/setup/fake-prodigi.ts) and its
// print items mapped to the lab's products; what the fake was sent, and its controls.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { call, json } from "../helpers/http";
import type { ProdigiRequest } from "../setup/fake-prodigi";
import { address, buyer, client, type Shop, storePath } from "../store/helpers";

const api = env.PRODIGI_API_URL;
const control = async (path: string, body: unknown) =>
  json(await fetch(`${api}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));

export const labRequests = async () => (await (await fetch(`${api}/__requests`)).json()) as ProdigiRequest[];
/** The next `times` calls to `path` fail with a 500 (or never answer). */
export const failLab = (path: string, times: number, timeout = false) => control("/__fail", { path, times, timeout });
/** Moves the lab's order on, answering the callbacks Prodigi would post. */
export const advanceLab = async (id: string, to: "InProduction" | "Shipped" | "Cancelled") =>
  (await control("/__advance", { id, to })).events as { url: string; body: string }[];

export async function connectProdigi(shop: Shop, extra: Record<string, unknown> = {}) {
  const res = await call("PUT", `${storePath(shop.owner)}/lab`, {
    jar: shop.owner.jar,
    body: { lab: "prodigi", environment: "sandbox", apiKey: "prodigi-test-key", ...extra },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json(res)).connection;
}

export function mapItem(shop: Shop, itemName: string, sku: string, attributes: Record<string, string> = {}) {
  return call("PUT", `${storePath(shop.owner)}/price-sheets/${shop.sheet.id}/items/${shop.item(itemName)}/lab`, {
    jar: shop.owner.jar,
    body: { sku, attributes },
  });
}

/** The shop's 8×10 print and 24×36 canvas, made by the lab. */
export async function mapPrints(shop: Shop) {
  expect((await mapItem(shop, "Lustre print 8×10", "GLOBAL-PHO-8X10", { finish: "lustre" })).status).toBe(200);
  expect((await mapItem(shop, "Canvas 24×36", "GLOBAL-CAN-24X36", { wrap: "ImageWrap" })).status).toBe(200);
}

/** An order placed for two prints of the first photo, one canvas of the second and a download; not yet paid. */
export async function placePrintOrder(shop: Shop, shipTo: Record<string, unknown> = address) {
  const maria = await client(shop);
  await maria.put({
    lines: [
      { itemId: shop.item("Lustre print 8×10"), photoIds: [shop.photoIds[0]], quantity: 2 },
      { itemId: shop.item("Canvas 24×36"), photoIds: [shop.photoIds[1]] },
      { itemId: shop.item("Web download"), photoIds: [shop.photoIds[2]] },
    ],
    shippingMethodId: shop.ship("Standard"),
  });
  const placed = await maria.checkout({ ...buyer, shippingAddress: shipTo });
  expect(placed.status, await placed.clone().text()).toBe(201);
  const { order } = await json(placed);
  return { ...(order as { id: string; number: number }), shopper: maria };
}

/** The same order, paid offline: the studio marks it paid. */
export async function paidPrintOrder(shop: Shop, shipTo: Record<string, unknown> = address) {
  const order = await placePrintOrder(shop, shipTo);
  const paid = await call("POST", `${storePath(shop.owner)}/orders/${order.id}/mark-paid`, { jar: shop.owner.jar });
  expect(paid.status, await paid.clone().text()).toBe(200);
  return order;
}

export const labOrderOf = async (shop: Shop, orderId: string) =>
  (await json(await call("GET", `${storePath(shop.owner)}/orders/${orderId}/lab`, { jar: shop.owner.jar }))).labOrder;

/** Waits for the real lab queue's consumer to bring the order to `status`. */
export async function labSettled(shop: Shop, orderId: string, status: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const lo = await labOrderOf(shop, orderId);
    if (lo?.status === status || Date.now() > until) {
      expect(lo?.status, JSON.stringify(lo)).toBe(status);
      return lo;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Orders the fake made for an idempotency key (Prodigi makes one per key, however often it is sent). */
export const ordersSent = async (key: string) =>
  (await labRequests()).filter((r) => r.method === "POST" && r.path === "/v4.0/Orders" && (r.body as { idempotencyKey?: string }).idempotencyKey === key);
