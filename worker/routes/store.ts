// /api/studios/:studioId/store/*: price sheets, discount codes, orders (with refunds), payments
// (Stripe Connect), the studio's subscription and its mail outbox.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type {
  BillingResponse,
  DiscountResponse,
  DiscountsResponse,
  DownloadsResponse,
  MailPreviewsResponse,
  MailResponse,
  OrderResponse,
  OrdersResponse,
  PriceSheetResponse,
  PriceSheetsResponse,
} from "../contract/store";
import { listMail, mailListQuery } from "../domain/mail/outbox";
import { mailPreviews } from "../domain/mail/previews";
import { billingCheckoutSchema, billingSession, billingView } from "../domain/store/billing";
import { expireCheckout } from "../domain/store/checkout";
import { orderWithDownloads, renewDownloads } from "../domain/store/deliveries";
import { createDiscount, discountListQuery, discountPatchSchema, discountSchema, listDiscounts, updateDiscount } from "../domain/store/discounts";
import { cancelOrder, completeOrder, fulfilOrder, markPaidOffline, shipOrder } from "../domain/store/order-status";
import { listOrders, orderListQuery, orderView } from "../domain/store/orders";
import { refundOrder, refundSchema } from "../domain/store/refunds";
import { catalogueView, createPriceSheet, listPriceSheets, priceSheetSchema, replacePriceSheet } from "../domain/store/sheets";
import { onboardingLink } from "../domain/store/stripe";
import { requireOwner } from "../http/auth";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";
import { appOrigin, studioOrigin } from "../lib/origins";

export const storeRoutes = new Hono<AppEnv>();

storeRoutes.get("/price-sheets", async (c) => c.json({ priceSheets: await listPriceSheets(c.get("tdb")) } satisfies PriceSheetsResponse));
storeRoutes.post("/price-sheets", validate("json", priceSheetSchema), async (c) =>
  c.json({ priceSheet: await createPriceSheet(c.get("tdb"), c.req.valid("json")) } satisfies PriceSheetResponse, 201),
);
storeRoutes.get("/price-sheets/:sheetId", async (c) =>
  c.json({ priceSheet: await catalogueView(c.get("tdb"), c.req.param("sheetId")) } satisfies PriceSheetResponse),
);
storeRoutes.put("/price-sheets/:sheetId", validate("json", priceSheetSchema), async (c) =>
  c.json({ priceSheet: await replacePriceSheet(c.get("tdb"), c.req.param("sheetId"), c.req.valid("json")) } satisfies PriceSheetResponse),
);

storeRoutes.get("/discounts", validate("query", discountListQuery), async (c) =>
  c.json((await listDiscounts(c.get("tdb"), c.req.valid("query"))) satisfies DiscountsResponse),
);
storeRoutes.post("/discounts", validate("json", discountSchema), async (c) =>
  c.json({ discount: await createDiscount(c.get("tdb"), c.req.valid("json")) } satisfies DiscountResponse, 201),
);
storeRoutes.patch("/discounts/:discountId", validate("json", discountPatchSchema), async (c) =>
  c.json({ discount: await updateDiscount(c.get("tdb"), c.req.param("discountId"), c.req.valid("json")) } satisfies DiscountResponse),
);

storeRoutes.get("/orders", validate("query", orderListQuery), async (c) =>
  c.json((await listOrders(c.get("tdb"), c.req.valid("query"))) satisfies OrdersResponse),
);
storeRoutes.get("/orders/:orderId", async (c) => c.json(await orderWithDownloads(c.get("tdb"), c.req.param("orderId"))));

const orderDeps = (c: Context<AppEnv>) => ({
  tdb: c.get("tdb"),
  secret: c.env.JWT_SECRET,
  origin: studioOrigin(c.env, c.req.raw, c.get("tenant").slug),
  dashboard: appOrigin(c.env, c.req.raw),
});
const orderIdOf = (c: Context<AppEnv>) => c.req.param("orderId")!;
const orderJson = (c: Context<AppEnv>, order: Parameters<typeof orderView>[0]) => c.json({ order: orderView(order) } satisfies OrderResponse);

storeRoutes.post("/orders/:orderId/mark-paid", async (c) => orderJson(c, await markPaidOffline(orderDeps(c), orderIdOf(c))));
storeRoutes.post("/orders/:orderId/fulfil", async (c) => orderJson(c, await fulfilOrder(c.get("tdb"), orderIdOf(c))));
storeRoutes.post(
  "/orders/:orderId/ship",
  validate("json", z.object({ trackingNumber: z.string().trim().min(1, "is required").max(100) }).strict()),
  async (c) => orderJson(c, await shipOrder(c.get("tdb"), orderIdOf(c), c.req.valid("json").trackingNumber)),
);
storeRoutes.post("/orders/:orderId/complete", async (c) => orderJson(c, await completeOrder(c.get("tdb"), orderIdOf(c))));
storeRoutes.post("/orders/:orderId/downloads/renew", async (c) =>
  c.json({ downloads: await renewDownloads(orderDeps(c), orderIdOf(c)) } satisfies DownloadsResponse),
);
storeRoutes.post("/orders/:orderId/cancel", async (c) => orderJson(c, await cancelOrder(c.get("tdb"), orderIdOf(c), undefined, expireCheckout(c.env))));
// Money leaves the studio: owners only.
storeRoutes.post("/orders/:orderId/refund", requireOwner, validate("json", refundSchema), async (c) =>
  orderJson(c, await refundOrder(c.env, c.get("tdb"), orderIdOf(c), c.req.valid("json"))),
);

const paymentsPage = (c: Context<AppEnv>) => `${appOrigin(c.env, c.req.raw)}/#/store/payments`;
storeRoutes.get("/payments", async (c) => c.json({ billing: await billingView(c.env, c.get("directory"), c.get("tenant").id) } satisfies BillingResponse));
storeRoutes.post("/payments/connect", requireOwner, async (c) => c.json(await onboardingLink(c.env, c.get("directory"), c.get("tenant").id, paymentsPage(c))));
storeRoutes.post("/billing/checkout", requireOwner, validate("json", billingCheckoutSchema), async (c) =>
  c.json(await billingSession(c.env, c.get("directory"), c.get("tenant").id, c.req.valid("json"), paymentsPage(c))),
);

// Each kind of mail as it would go out now, in the studio's branding, with sample data.
storeRoutes.get("/mail/previews", async (c) => {
  const app = appOrigin(c.env, c.req.raw);
  const previews = await mailPreviews(c.env, c.get("tdb"), {
    site: studioOrigin(c.env, c.req.raw, c.get("tenant").slug),
    dashboard: app,
    logoAt: (file) => `${app}/api/studios/${c.get("tenant").id}/brand/logo?v=${file}`,
  });
  return c.json({ previews } satisfies MailPreviewsResponse);
});

storeRoutes.get("/mail", validate("query", mailListQuery), async (c) => c.json((await listMail(c.get("tdb"), c.req.valid("query"))) satisfies MailResponse));
