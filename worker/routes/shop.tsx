// Studio host: a client's store in a gallery (catalogue, cart, checkout, their orders) and the
// downloads page an order's signed link opens.

import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { visitorCookieName } from "../domain/galleries/access";
import { cartSchema, pricedCart, saveCart, shopper, storeView } from "../domain/store/cart";
import { checkout } from "../domain/store/checkout";
import { openGrant, purchasedFile, purchasedFiles, spendDownload, zipOf } from "../domain/store/deliveries";
import { checkoutSchema, visitorOrders } from "../domain/store/orders";
import { getProfile } from "../domain/studios/profile";
import { attachment } from "../http/binary";
import type { AppEnv } from "../http/context";
import { AppError } from "../http/errors";
import { studioOrigin } from "../http/host";
import { guessLimit } from "../http/rate-limit";
import { validate } from "../http/validate";
import { DownloadsPage } from "../pages/downloads";

export const shopRoutes = new Hono<AppEnv>();

const who = (c: Context<AppEnv>) => {
  const galleryId = c.req.param("galleryId")!;
  return shopper(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId)));
};

shopRoutes.get("/g/:galleryId/store", async (c) => {
  const s = await who(c);
  const [cart, orders] = await Promise.all([pricedCart(c.get("tdb"), s), visitorOrders(c.get("tdb"), s.gallery.id, s.visitorId)]);
  return c.json({ store: storeView(s), cart, orders });
});

shopRoutes.put("/g/:galleryId/cart", validate("json", cartSchema), async (c) =>
  c.json({ cart: await saveCart(c.get("tdb"), await who(c), c.req.valid("json")) }),
);

// Each checkout can take a discount use and opens a Stripe session: budgeted per IP.
shopRoutes.post("/g/:galleryId/checkout", guessLimit("checkout", "checkouts"), validate("json", checkoutSchema), async (c) => {
  const s = await who(c);
  const deps = { tdb: c.get("tdb"), dir: c.get("directory"), env: c.env, origin: studioOrigin(c.env, c.req.raw, c.get("tenant").slug) };
  return c.json(await checkout(deps, s, c.req.valid("json")), 201);
});

shopRoutes.get("/o/:token", async (c) => {
  const { grant, order } = await openGrant(c.get("tdb"), c.env.JWT_SECRET, c.req.param("token"));
  const [files, profile] = await Promise.all([purchasedFiles(c.get("tdb"), order), getProfile(c.get("tdb"))]);
  const base = `/o/${c.req.param("token")}`;
  return c.html(
    <DownloadsPage
      studioName={profile.name}
      accent={profile.accentColor}
      order={order}
      grant={grant}
      files={files.map((f, i) => ({ name: f.photo.filename, variant: f.variant, href: `${base}/f/${i}` }))}
      zipHref={`${base}/all.zip`}
    />,
  );
});

shopRoutes.get("/o/:token/all.zip", async (c) => {
  const { grant, order } = await openGrant(c.get("tdb"), c.env.JWT_SECRET, c.req.param("token"));
  const files = await purchasedFiles(c.get("tdb"), order);
  await spendDownload(c.get("tdb"), grant.id);
  return new Response(zipOf(c.get("media"), c.env.IMAGES, files), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="order-${order.number}.zip"`,
      "cache-control": "private, no-store",
    },
  });
});

shopRoutes.get("/o/:token/f/:n{[0-9]+}", async (c) => {
  const { grant, order } = await openGrant(c.get("tdb"), c.env.JWT_SECRET, c.req.param("token"));
  const file = (await purchasedFiles(c.get("tdb"), order))[Number(c.req.param("n"))];
  if (!file) throw new AppError("not_found", "This order has no such file.");
  // Opened first: a file that cannot be read does not use up a download.
  const out = await purchasedFile(c.get("media"), c.env.IMAGES, file);
  await spendDownload(c.get("tdb"), grant.id);
  return attachment(out);
});
