// Studio host: a client's store in a gallery (catalogue, cart, checkout, their orders) and the
// downloads page an order's signed link opens.
import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import type { CartResponse } from "../contract/store";
import { visitorCookieName } from "../domain/galleries/access";
import { cartSchema, saveCart, shopper } from "../domain/store/cart";
import { checkout } from "../domain/store/checkout";
import { openOrderZipPart, planOrderZip } from "../domain/store/order-zip";
import { checkoutSchema, shopView } from "../domain/store/orders";
import { downloadPurchasedFile, downloadPurchasedZip, orderDownloads } from "../domain/store/purchased-downloads";
import { attachment } from "../http/binary";
import type { AppEnv } from "../http/context";
import { requestOrigin } from "../http/host";
import { guessLimit, spendGuess } from "../http/rate-limit";
import { validate } from "../http/validate";
import { DownloadsPage, ZipPartsPage } from "../pages/downloads";

export const shopRoutes = new Hono<AppEnv>();

/** The visitor shopping in the path's gallery, known by the gallery's visitor cookie. */
const shopperOf = (c: Context<AppEnv>) => {
  const galleryId = c.req.param("galleryId")!;
  return shopper(c.get("tdb"), c.env.JWT_SECRET, galleryId, getCookie(c, visitorCookieName(galleryId)));
};

const downloadDeps = (c: Context<AppEnv>) => ({ tdb: c.get("tdb"), media: c.get("media"), images: c.env.IMAGES, secret: c.env.JWT_SECRET });

shopRoutes.get("/g/:galleryId/store", async (c) => c.json(await shopView(c.get("tdb"), await shopperOf(c))));

// A cart with a discount code is a guess at a code: budgeted per IP here and per gallery in the domain.
shopRoutes.put("/g/:galleryId/cart", validate("json", cartSchema), async (c) => {
  const input = c.req.valid("json");
  if (input.discountCode) await spendGuess(c, "discount", "discount codes");
  return c.json({ cart: await saveCart(c.get("tdb"), await shopperOf(c), input) } satisfies CartResponse);
});

// Each checkout can take a discount use and opens a Stripe session: budgeted per IP.
shopRoutes.post("/g/:galleryId/checkout", guessLimit("checkout", "checkouts"), validate("json", checkoutSchema), async (c) => {
  const deps = { tdb: c.get("tdb"), dir: c.get("directory"), env: c.env, origin: requestOrigin(c.req.raw) };
  return c.json(await checkout(deps, await shopperOf(c), c.req.valid("json")), 201);
});

const filesPage = z.object({ from: z.coerce.number().int("must be a whole number").min(0, "must be 0 or more").max(1_000_000).default(0) });

shopRoutes.get("/o/:token", validate("query", filesPage), async (c) =>
  c.html(
    <DownloadsPage view={await orderDownloads(downloadDeps(c), c.req.param("token"))} base={`/o/${c.req.param("token")}`} from={c.req.valid("query").from} />,
  ),
);

const zipResponse = (zip: { filename: string; body: ReadableStream<Uint8Array> }) =>
  new Response(zip.body, {
    headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${zip.filename}"`, "cache-control": "private, no-store" },
  });

shopRoutes.get("/o/:token/all.zip", async (c) => zipResponse(await downloadPurchasedZip(downloadDeps(c), c.req.param("token"))));

// An order too big for one zip: asking (a POST, so no link preview spends it) counts one download.
shopRoutes.post("/o/:token/zip", async (c) => {
  const base = `/o/${c.req.param("token")}`;
  return c.html(<ZipPartsPage plan={await planOrderZip(downloadDeps(c), c.req.param("token"), base)} base={base} />);
});

shopRoutes.get("/o/:token/zip/:key/:n{[0-9]+}", guessLimit("fetch", "downloads"), async (c) =>
  zipResponse(await openOrderZipPart(downloadDeps(c), c.req.param("token"), c.req.param("key"), Number(c.req.param("n")))),
);

shopRoutes.get("/o/:token/f/:n{[0-9]+}", async (c) => attachment(await downloadPurchasedFile(downloadDeps(c), c.req.param("token"), Number(c.req.param("n")))));
