// /api/studios/:studioId/store/*: price sheets, discount codes, orders (with refunds), payments
// (Stripe Connect), the studio's subscription and its mail outbox.

import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { orderStatuses } from "../db/tenant-schema";
import { billingCheckoutSchema, billingSession, billingView } from "../domain/store/billing";
import { downloadsOf, renewDownloads } from "../domain/store/deliveries";
import { createDiscount, discountPatchSchema, discountSchema, listDiscounts, updateDiscount } from "../domain/store/discounts";
import { listMail } from "../domain/store/emails";
import { cancelOrder, completeOrder, fulfilOrder, markPaidOffline, shipOrder } from "../domain/store/order-status";
import { listOrders, orderView, requireOrder } from "../domain/store/orders";
import { refundOrder, refundSchema } from "../domain/store/refunds";
import { catalogueView, createPriceSheet, listPriceSheets, priceSheetSchema, replacePriceSheet } from "../domain/store/sheets";
import { onboardingLink } from "../domain/store/stripe";
import { requireOwner } from "../http/auth";
import type { AppEnv } from "../http/context";
import { appOrigin, studioOrigin } from "../http/host";
import { validate } from "../http/validate";

export const storeRoutes = new Hono<AppEnv>();

storeRoutes.get("/price-sheets", async (c) => c.json({ priceSheets: await listPriceSheets(c.get("tdb")) }));
storeRoutes.post("/price-sheets", validate("json", priceSheetSchema), async (c) =>
  c.json({ priceSheet: await createPriceSheet(c.get("tdb"), c.req.valid("json")) }, 201),
);
storeRoutes.get("/price-sheets/:sheetId", async (c) => c.json({ priceSheet: await catalogueView(c.get("tdb"), c.req.param("sheetId")) }));
storeRoutes.put("/price-sheets/:sheetId", validate("json", priceSheetSchema), async (c) =>
  c.json({ priceSheet: await replacePriceSheet(c.get("tdb"), c.req.param("sheetId"), c.req.valid("json")) }),
);

storeRoutes.get("/discounts", async (c) => c.json({ discounts: await listDiscounts(c.get("tdb")) }));
storeRoutes.post("/discounts", validate("json", discountSchema), async (c) =>
  c.json({ discount: await createDiscount(c.get("tdb"), c.req.valid("json")) }, 201),
);
storeRoutes.patch("/discounts/:discountId", validate("json", discountPatchSchema), async (c) =>
  c.json({ discount: await updateDiscount(c.get("tdb"), c.req.param("discountId"), c.req.valid("json")) }),
);

const orderQuery = z.object({ status: z.enum(orderStatuses).optional(), galleryId: z.string().max(64).optional() }).strict();
storeRoutes.get("/orders", validate("query", orderQuery), async (c) => c.json({ orders: await listOrders(c.get("tdb"), c.req.valid("query")) }));
storeRoutes.get("/orders/:orderId", async (c) => {
  const order = await requireOrder(c.get("tdb"), c.req.param("orderId"));
  return c.json({ order: orderView(order), downloads: await downloadsOf(c.get("tdb"), order.id) });
});

const orderDeps = (c: Context<AppEnv>) => ({ tdb: c.get("tdb"), secret: c.env.JWT_SECRET, origin: studioOrigin(c.env, c.req.raw, c.get("tenant").slug) });
const id = (c: Context<AppEnv>) => c.req.param("orderId")!;
storeRoutes.post("/orders/:orderId/mark-paid", async (c) => c.json({ order: orderView(await markPaidOffline(orderDeps(c), id(c))) }));
storeRoutes.post("/orders/:orderId/fulfil", async (c) => c.json({ order: orderView(await fulfilOrder(c.get("tdb"), id(c))) }));
storeRoutes.post(
  "/orders/:orderId/ship",
  validate("json", z.object({ trackingNumber: z.string().trim().min(1, "is required").max(100) }).strict()),
  async (c) => c.json({ order: orderView(await shipOrder(c.get("tdb"), id(c), c.req.valid("json").trackingNumber)) }),
);
storeRoutes.post("/orders/:orderId/complete", async (c) => c.json({ order: orderView(await completeOrder(c.get("tdb"), id(c))) }));
storeRoutes.post("/orders/:orderId/downloads/renew", async (c) => c.json({ downloads: await renewDownloads(orderDeps(c), id(c)) }));
storeRoutes.post("/orders/:orderId/cancel", async (c) => c.json({ order: orderView(await cancelOrder(c.get("tdb"), id(c))) }));
// Money leaves the studio: owners only.
storeRoutes.post("/orders/:orderId/refund", requireOwner, validate("json", refundSchema), async (c) =>
  c.json({ order: orderView(await refundOrder(c.env, c.get("tdb"), id(c), c.req.valid("json"))) }),
);

storeRoutes.get("/payments", async (c) => c.json({ billing: await billingView(c.env, c.get("directory"), c.get("tenant").id) }));
storeRoutes.post("/payments/connect", requireOwner, async (c) =>
  c.json(await onboardingLink(c.env, c.get("directory"), c.get("tenant").id, `${appOrigin(c.env, c.req.raw)}/#/store/payments`)),
);
storeRoutes.post("/billing/checkout", requireOwner, validate("json", billingCheckoutSchema), async (c) =>
  c.json(await billingSession(c.env, c.get("directory"), c.get("tenant").id, c.req.valid("json"), `${appOrigin(c.env, c.req.raw)}/#/store/payments`)),
);

storeRoutes.get("/mail", async (c) => c.json({ mail: await listMail(c.get("tdb")) }));
