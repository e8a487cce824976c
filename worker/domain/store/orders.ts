// Placing an order from a visitor's cart: priced again on the server, the discount's use taken
// atomically, a studio-wide order number, and the cart emptied in the same batch as the insert.

import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { type OrderStatus, type OrdersResponse, type OrderView, orderStatuses, paidStatuses, type ShopResponse, type VisitorOrder } from "../../contract/store";
import { inChunks } from "../../db/chunks";
import { keyset, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { labOrders, orders } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import { emailSchema } from "../accounts/schemas";
import { orderWaitingAlert, storeAlert } from "../alerts/store-alerts";
import { countAttempt, tryAttempt } from "../limits/attempts";
import { orderConfirmation } from "../mail/messages";
import { commitWithMail, queueMail } from "../mail/outbox";
import { getProfile } from "../studios/profile";
import { emptyCart, pricedCart, type Shopper, storeView } from "./cart";
import { findDiscount, giveDiscountUseBack, takeDiscountUse } from "./discounts";
import { discountProblem } from "./pricing";

const line = (max: number) => z.string().trim().min(1, "is required").max(max, `must be at most ${max} characters`);

export const checkoutSchema = z
  .object({
    name: line(100),
    email: emailSchema,
    shippingAddress: z
      .object({
        name: line(100),
        line1: line(120),
        line2: line(120).optional(),
        city: line(80),
        postalCode: line(20),
        region: line(80).optional(),
        country: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter country code"),
      })
      .strict()
      .optional(),
  })
  .strict();
export type CheckoutInput = z.infer<typeof checkoutSchema>;

export type OrderRow = typeof orders.$inferSelect;
export const FIRST_ORDER_NUMBER = 1001;

/** What order actions need beyond the database: the signing secret and where links point. */
export interface OrderDeps {
  tdb: TenantDb;
  secret: string;
  /** The studio's website origin, for links in mail. */
  origin: string;
  /** The dashboard's origin, for links in the studio's alerts. */
  dashboard?: string;
}

export const isPaid = (status: OrderStatus) => (paidStatuses as readonly OrderStatus[]).includes(status);

export function orderView({ tenantId: _t, ...o }: OrderRow): OrderView {
  return { ...o, refundable: o.total - o.refunded };
}

export async function requireOrder(tdb: TenantDb, orderId: string): Promise<OrderRow> {
  const order = await tdb.first(orders, eq(orders.id, orderId));
  if (!order) throw new AppError("not_found", "No such order.");
  return order;
}

export const orderListQuery = pageQuery
  .extend({
    status: z.enum(orderStatuses).optional(),
    galleryId: z.string().max(64).optional(),
    // An order number ("1042" or "#1042"), or the start of the customer's email.
    q: z.string().trim().toLowerCase().max(254, "must be at most 254 characters").optional(),
  })
  .strict();

/** One page of the studio's orders, newest first, filtered by status, gallery or search. */
export async function listOrders(tdb: TenantDb, query: z.infer<typeof orderListQuery>): Promise<OrdersResponse> {
  const { after, orderBy } = keyset([orders.createdAt, orders.id], "desc", query.cursor);
  const number = query.q?.match(/^#?(\d{1,12})$/)?.[1];
  // A prefix range, not LIKE: it walks orders_email_idx.
  const search = !query.q
    ? undefined
    : number
      ? eq(orders.number, Number(number))
      : and(gte(orders.customerEmail, query.q), lt(orders.customerEmail, `${query.q}\uffff`));
  const rows = await tdb
    .select(
      orders,
      and(query.status ? eq(orders.status, query.status) : undefined, query.galleryId ? eq(orders.galleryId, query.galleryId) : undefined, search, after),
    )
    .orderBy(...orderBy)
    .limit(pageSize(query));
  const page = pageOf(rows, query, (o) => [o.createdAt, o.id], orderView);
  return { orders: page.items, next: page.next };
}

/** The client app's store in one answer: what the gallery sells, the cart priced, and the visitor's orders there. */
export async function shopView(tdb: TenantDb, s: Shopper): Promise<ShopResponse> {
  const [cart, orders] = await Promise.all([pricedCart(tdb, s), visitorOrders(tdb, s.gallery.id, s.visitorId)]);
  return { store: storeView(s), cart, orders };
}

// The shop lists a visitor's latest orders; each one's confirmation mail keeps the older ones.
export const VISITOR_ORDERS_SHOWN = 20;

/** A visitor's own latest orders in a gallery, for the client app. */
export async function visitorOrders(tdb: TenantDb, galleryId: string, visitorId: string): Promise<VisitorOrder[]> {
  const rows = await tdb
    .select(orders, and(eq(orders.galleryId, galleryId), eq(orders.visitorId, visitorId)))
    .orderBy(desc(orders.createdAt))
    .limit(VISITOR_ORDERS_SHOWN);
  const labs = await inChunks(
    labOrders.orderId,
    rows.map((o) => o.id),
    (inChunk) => tdb.selectFields({ orderId: labOrders.orderId, shipments: labOrders.shipments }, labOrders, { where: inChunk }),
  );
  const trackingOf = (o: OrderRow): VisitorOrder["tracking"] => {
    const parcels = (labs.find((l) => l.orderId === o.id)?.shipments ?? []).flatMap((s) =>
      s.trackingNumber ? [{ carrier: s.carrier, number: s.trackingNumber, url: s.trackingUrl }] : [],
    );
    return parcels.length > 0 || !o.trackingNumber ? parcels : [{ carrier: null, number: o.trackingNumber, url: null }];
  };
  return rows.map((o) => ({
    id: o.id,
    number: o.number,
    status: o.status,
    currency: o.currency,
    total: o.total,
    lines: o.lines,
    createdAt: o.createdAt,
    tracking: trackingOf(o),
  }));
}

export async function placeOrder(
  tdb: TenantDb,
  s: Shopper,
  input: CheckoutInput,
  paymentMethod: "stripe" | "offline",
  dashboard?: string,
  now = Date.now(),
): Promise<OrderRow> {
  const cart = await pricedCart(tdb, s, now);
  if (cart.lines.length === 0) throw new AppError("invalid_input", "lines: the cart is empty");
  if (cart.needsShipping && !cart.shippingMethod) throw new AppError("invalid_input", "shippingMethodId: choose how the prints are shipped");
  if (cart.needsShipping && !input.shippingAddress) throw new AppError("invalid_input", "shippingAddress: is required for prints");
  // An offline order mails its confirmation to whatever address was typed: a budget per address.
  if (paymentMethod === "offline") await countAttempt(tdb, "mailTo", input.email.toLowerCase(), now);
  let discountId: string | null = null;
  if (cart.discountInput) {
    const discount = await findDiscount(tdb, cart.discountInput);
    const why = discountProblem(discount, cart.subtotal, cart.currency, now);
    if (why) throw new AppError("invalid_input", `discountCode: ${why}`);
    if (!(await takeDiscountUse(tdb, discount.id, now))) throw new AppError("invalid_input", "discountCode: has been used up");
    discountId = discount.id;
  }
  const id = newId("ord");
  const row = {
    id,
    galleryId: s.gallery.id,
    visitorId: s.visitorId,
    customerName: input.name,
    customerEmail: input.email,
    paymentMethod,
    currency: cart.currency,
    lines: cart.lines.map(({ id: _line, fit: _fit, ...l }) => l),
    subtotal: cart.subtotal,
    discount: cart.discount,
    shipping: cart.shipping,
    tax: cart.tax,
    total: cart.total,
    discountCodeId: discountId,
    discountCode: cart.discountCode,
    shippingMethod: cart.shippingMethod?.name ?? null,
    shippingAddress: cart.needsShipping ? (input.shippingAddress ?? null) : null,
    createdAt: now,
    updatedAt: now,
  };
  const studio = await getProfile(tdb);
  // Numbers come from the table itself; two orders racing for one number: the unique index
  // refuses the second, which takes the next.
  for (let attempt = 0; ; attempt++) {
    const number = sql<number>`(SELECT coalesce(max(${orders.number}), ${FIRST_ORDER_NUMBER - 1}) + 1 FROM ${orders} WHERE ${orders.tenantId} = ${tdb.tenantId})`;
    try {
      await tdb.batch([tdb.insert(orders, { ...row, number: number as unknown as number }), emptyCart(tdb, s.gallery.id, s.visitorId)]);
      break;
    } catch (err) {
      if (attempt < 5 && /UNIQUE constraint failed: orders\.tenant_id, orders\.number/.test(String(err))) continue;
      if (discountId) await giveDiscountUseBack(tdb, discountId);
      throw err;
    }
  }
  const order = await requireOrder(tdb, id);
  if (paymentMethod === "offline") {
    const mailBuyer = await tryAttempt(tdb, "orderMails", s.gallery.id, now);
    await commitWithMail(tdb, [
      ...(mailBuyer ? [queueMail(tdb, orderConfirmation(order, studio.name, false))] : []),
      ...((await storeAlert(tdb, orderWaitingAlert(order), dashboard)) as never[]),
    ]);
  }
  return order;
}
