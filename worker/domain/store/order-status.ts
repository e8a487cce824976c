// Where an order is in its life: pending → paid → fulfilled or shipped → completed, or cancelled,
// or refunded. Every move is one conditional UPDATE on the states it may leave, so a late or
// repeated event finds nothing to move and changes nothing: a paid order is never downgraded.
// What being paid brings (the download grant, the mails) is written under ids derived from the
// order, so it happens once however often payment is reported.

import { and, eq, sql } from "drizzle-orm";
import { type OrderStatus, paidStatuses } from "../../contract/store";
import { oneOf } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { orders, studioProfiles } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { orderPaidAlert, refundAlert, storeAlert } from "../alerts/store-alerts";
import { announceLabOrder, labRefunded, labRouting } from "../labs/routing";
import { downloadsReady, orderConfirmation } from "../mail/messages";
import { commitWithMail, queueMail } from "../mail/outbox";
import { getProfile } from "../studios/profile";
import { downloadLinkFor, GRANT_DAYS, GRANT_DOWNLOADS, grantFor, hasDownloads } from "./deliveries";
import { giveDiscountUseBack } from "./discounts";
import { isPaid, type OrderDeps, type OrderRow, requireOrder } from "./orders";

type OrderPatch = Partial<
  Pick<OrderRow, "status" | "paidAt" | "paymentIntentId" | "trackingNumber" | "note" | "refunded" | "tax" | "total" | "checkoutSessionId">
>;

/** Moves the order if it is in one of `from`; true if it moved. */
export async function moveOrder(tdb: TenantDb, orderId: string, from: OrderStatus[], patch: OrderPatch): Promise<boolean> {
  const res = await tdb.update(orders, { ...patch, updatedAt: Date.now() }, and(eq(orders.id, orderId), oneOf(orders.status, from)));
  return res.meta.changes === 1;
}

/** Payment arrived (Stripe, or the studio marking an offline order paid). */
export async function markPaid(deps: OrderDeps, orderId: string, patch: OrderPatch = {}, now = Date.now()): Promise<OrderRow> {
  const { tdb } = deps;
  // One round trip: the move, then the order as it now is and the studio's name for the mails.
  const [, [order], [studio]] = await tdb.batch([
    tdb.update(orders, { ...patch, status: "paid", paidAt: now, updatedAt: now }, and(eq(orders.id, orderId), eq(orders.status, "pending"))),
    tdb.select(orders, eq(orders.id, orderId)).limit(1),
    tdb.select(studioProfiles).limit(1),
  ]);
  if (!order) throw new AppError("not_found", "No such order.");
  // Refunded in full before the payment was reported: it stays refunded, with nothing delivered.
  if (isPaid(order.status)) await ensureFulfilment(deps, order, studio?.name);
  return order;
}

/** The grant, the mails and the lab's share a paid order is owed; safe to call any number of times. */
export async function ensureFulfilment(deps: OrderDeps, order: OrderRow, studioName?: string): Promise<void> {
  const { tdb } = deps;
  const name = studioName ?? (await getProfile(tdb)).name;
  const paidAt = order.paidAt ?? Date.now();
  const statements = [queueMail(tdb, orderConfirmation(order, name, true)), ...((await storeAlert(tdb, orderPaidAlert(order), deps.dashboard)) as never[])];
  if (hasDownloads(order)) {
    const expiresAt = paidAt + GRANT_DAYS * 86_400_000;
    const link = await downloadLinkFor(tdb, deps.secret, deps.origin, order.id, expiresAt);
    statements.push(grantFor(tdb, order, paidAt) as never, queueMail(tdb, downloadsReady(order, name, link, expiresAt, GRANT_DOWNLOADS)));
  }
  const lab = await labRouting(tdb, order);
  if (lab) statements.push(lab.statement as never);
  await commitWithMail(tdb, statements);
  if (lab?.status === "queued") await announceLabOrder(tdb, order.id);
}

const conflict = (o: OrderRow, action: string, allowed: string) =>
  new AppError("order_conflict", `Order #${o.number} is ${o.status}; ${action} needs it to be ${allowed}.`);

/** Studio actions from the dashboard. */
export async function markPaidOffline(deps: OrderDeps, orderId: string) {
  const order = await requireOrder(deps.tdb, orderId);
  if (order.paymentMethod !== "offline")
    throw new AppError("order_conflict", `Order #${order.number} is paid through Stripe; its payment is recorded when Stripe reports it.`);
  if (order.status !== "pending") throw conflict(order, "marking it paid", "pending");
  return markPaid(deps, orderId);
}

export async function fulfilOrder(tdb: TenantDb, orderId: string) {
  const order = await requireOrder(tdb, orderId);
  if (!(await moveOrder(tdb, orderId, ["paid"], { status: "fulfilled" }))) throw conflict(order, "fulfilling it", "paid");
  return requireOrder(tdb, orderId);
}

export async function shipOrder(tdb: TenantDb, orderId: string, trackingNumber: string) {
  const order = await requireOrder(tdb, orderId);
  if (!order.shippingAddress) throw new AppError("order_conflict", `Order #${order.number} has nothing to ship.`);
  if (!(await moveOrder(tdb, orderId, ["paid", "fulfilled"], { status: "shipped", trackingNumber }))) throw conflict(order, "shipping it", "paid or fulfilled");
  return requireOrder(tdb, orderId);
}

export async function completeOrder(tdb: TenantDb, orderId: string) {
  const order = await requireOrder(tdb, orderId);
  if (!(await moveOrder(tdb, orderId, ["fulfilled", "shipped"], { status: "completed" }))) throw conflict(order, "completing it", "fulfilled or shipped");
  return requireOrder(tdb, orderId);
}

/**
 * An unpaid order is cancelled, and its discount use is given back. `expireCheckout` closes its
 * Stripe Checkout first, so the client cannot pay for an order the studio cancelled; if Stripe
 * says it was paid meanwhile, the order is not cancelled.
 */
export async function cancelOrder(tdb: TenantDb, orderId: string, note?: string, expireCheckout?: (order: OrderRow) => Promise<void>) {
  const order = await requireOrder(tdb, orderId);
  if (order.status !== "pending") throw conflict(order, "cancelling it (refund a paid order instead)", "pending");
  if (expireCheckout && order.checkoutSessionId) await expireCheckout(order);
  if (!(await releaseOrder(tdb, order, note))) throw conflict(order, "cancelling it (refund a paid order instead)", "pending");
  return requireOrder(tdb, orderId);
}

/** A pending order that will not be paid is cancelled and gives its discount use back; false if it was not pending. */
export async function releaseOrder(tdb: TenantDb, order: OrderRow, note?: string): Promise<boolean> {
  if (!(await moveOrder(tdb, order.id, ["pending"], { status: "cancelled", ...(note && { note }) }))) return false;
  if (order.discountCodeId) await giveDiscountUseBack(tdb, order.discountCodeId);
  return true;
}

/**
 * Records how much has been refunded in all, as Stripe (or the studio) reports it. The amount only
 * grows, so events in any order end at the largest; refunded in full, the order is refunded.
 */
export async function recordRefunded(tdb: TenantDb, orderId: string, refundedTotal: number, dashboard?: string): Promise<OrderRow> {
  const now = Date.now();
  const [, , [order]] = await tdb.batch([
    tdb.update(orders, { refunded: sql`max(${orders.refunded}, ${refundedTotal})`, updatedAt: now }, eq(orders.id, orderId)),
    tdb.update(
      orders,
      { status: "refunded", updatedAt: now },
      and(eq(orders.id, orderId), oneOf(orders.status, ["pending", ...paidStatuses]), sql`${orders.refunded} >= ${orders.total}`),
    ),
    tdb.select(orders, eq(orders.id, orderId)).limit(1),
  ]);
  if (!order) throw new AppError("not_found", "No such order.");
  if (order.refunded > 0) await commitWithMail(tdb, await storeAlert(tdb, refundAlert(order), dashboard));
  if (order.status === "refunded") await labRefunded(tdb, order.id);
  return order;
}
