// bench:store's shop: the demo studio's sample gallery selling one digital item, and pending
// orders placed the client app's way before each step.
import { performance } from "node:perf_hooks";
import { cookieHeader, must } from "../harness/http.mjs";
import { countBy, round, sleep } from "../harness/numbers.mjs";
import { call, LANES, PRICE } from "./config.mjs";

let ipSeq = 0;
/** A client address of its own for each rate-limited request (access, checkout: 20/min per IP). */
const freshIp = () => {
  const n = ++ipSeq;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

/** The sample gallery, its photos ready, selling one digital item. */
export async function openShop(L) {
  const api = `/api/studios/${L.studioId}`;
  const galleries = (await must(call(L.port, "GET", L.appHost, `${api}/galleries`, { cookie: L.cookie }), 200, "list galleries")).json.galleries;
  const gallery = galleries.at(-1);
  if (!gallery) throw new Error("the demo studio has no sample gallery");
  const deadline = performance.now() + 180_000;
  let photos = [];
  for (;;) {
    photos = (await must(call(L.port, "GET", L.appHost, `${api}/galleries/${gallery.id}/photos`, { cookie: L.cookie }), 200, "list photos")).json.photos;
    if (photos.length && photos.every((p) => p.status === "ready" || p.status === "failed")) break;
    if (performance.now() > deadline)
      throw new Error(`the sample gallery's photos are not ready after 180 s: ${JSON.stringify(countBy(photos, (p) => p.status))}`);
    await sleep(1000);
  }
  const ready = photos.filter((p) => p.status === "ready").map((p) => p.id);
  if (!ready.length) throw new Error("no photo of the sample gallery became ready");
  const sheet = (
    await must(
      call(L.port, "POST", L.appHost, `${api}/store/price-sheets`, {
        cookie: L.cookie,
        body: { name: "Bench", currency: "usd", items: [{ kind: "digital", name: "Web", variant: "web", unitAmount: PRICE }] },
      }),
      201,
      "create price sheet",
    )
  ).json.priceSheet;
  await must(
    call(L.port, "PATCH", L.appHost, `${api}/galleries/${gallery.id}`, { cookie: L.cookie, body: { priceSheetId: sheet.id } }),
    200,
    "link price sheet",
  );
  return { galleryId: gallery.id, photoIds: ready, itemId: sheet.items[0].id };
}

/** `n` pending orders, each of one web download, placed by LANES clients at once. */
export async function placeOrders(L, shop, n, label) {
  const orders = [];
  const errors = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async (k) => {
    const access = await must(
      call(L.port, "POST", L.studioHost, `/g/${shop.galleryId}/access`, {
        body: { name: `Bench client ${label}-${k}` },
        headers: { "cf-connecting-ip": freshIp() },
      }),
      200,
      "gallery access",
    );
    const cookie = cookieHeader(access.cookies);
    while (next < n) {
      const i = next++;
      try {
        const photoId = shop.photoIds[i % shop.photoIds.length];
        await must(
          call(L.port, "PUT", L.studioHost, `/g/${shop.galleryId}/cart`, { cookie, body: { lines: [{ itemId: shop.itemId, photoIds: [photoId] }] } }),
          200,
          "put cart",
        );
        const r = await must(
          call(L.port, "POST", L.studioHost, `/g/${shop.galleryId}/checkout`, {
            cookie,
            body: { name: `Client ${label}-${i}`, email: `client-${label}-${i}@example.test` },
            headers: { "cf-connecting-ip": freshIp() },
          }),
          201,
          "checkout",
        );
        const o = r.json.order;
        if (o.status !== "pending" || o.total !== PRICE) throw new Error(`checkout gave ${o.status} ${o.total}`);
        orders[i] = { id: o.id, number: o.number, total: o.total };
      } catch (err) {
        errors.push(String(err.message).slice(0, 200));
        if (errors.length > 20) throw new Error(`placing orders failed ${errors.length} times: ${errors.slice(0, 3).join(" | ")}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, n) }, (_, k) => lane(k)));
  const seconds = (performance.now() - t0) / 1000;
  const placed = orders.filter(Boolean);
  return {
    orders: placed,
    stats: {
      wanted: n,
      placed: placed.length,
      failed: errors.length,
      errors: errors.slice(0, 5),
      seconds: round(seconds, 1),
      perSecond: round(placed.length / seconds, 1),
    },
  };
}
