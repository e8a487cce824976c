// Refunds started from the dashboard: in full or in part, through Stripe for card payments (the
// charge.refunded webhook then confirms the amount) or recorded directly for offline payments;
// and the automatic refund of a payment that arrived for a cancelled order.
import { z } from "zod";
import type { TenantDb } from "../../db/tenant-db";
import { AppError } from "../../lib/errors";
import { formatMoney } from "../../lib/money";
import { dashboardOrigin } from "../../lib/origins";
import { moveOrder, recordRefunded } from "./order-status";
import { isPaid, type OrderRow, requireOrder } from "./orders";
import { requireStripe, stripeClient } from "./stripe";

export const refundSchema = z.object({ amount: z.number().int("must be whole minor units (cents)").positive("must be more than 0").optional() }).strict();

export async function refundOrder(env: Env, tdb: TenantDb, orderId: string, input: z.infer<typeof refundSchema>) {
  const order = await requireOrder(tdb, orderId);
  if (!isPaid(order.status)) throw new AppError("order_conflict", `Order #${order.number} is ${order.status}; only a paid order can be refunded.`);
  const left = order.total - order.refunded;
  const amount = input.amount ?? left;
  if (amount > left) throw new AppError("invalid_input", `amount: at most ${formatMoney(left, order.currency)} is left to refund`);
  if (order.paymentMethod === "stripe") {
    if (!order.paymentIntentId || !order.stripeAccountId) throw new AppError("order_conflict", `Order #${order.number} has no card payment recorded yet.`);
    await requireStripe(env).refunds.create(
      { payment_intent: order.paymentIntentId, amount, metadata: { tenantId: tdb.tenantId, orderId: order.id } },
      { stripeAccount: order.stripeAccountId, idempotencyKey: `refund-${order.id}-${order.refunded}-${amount}` },
    );
  }
  return recordRefunded(tdb, order.id, order.refunded + amount, dashboardOrigin(env));
}

/**
 * A Checkout paid for an order that was cancelled meanwhile (by the studio, or expired): nothing is
 * delivered, the payment goes back in full, and the order says so for the studio to see.
 */
export async function refundLatePayment(env: Env, tdb: TenantDb, order: OrderRow, paymentIntentId: string | null, amount: number): Promise<void> {
  const stripe = stripeClient(env);
  let note = `Paid after it was cancelled: ${formatMoney(amount, order.currency)} refunded automatically.`;
  if (stripe && paymentIntentId && order.stripeAccountId) {
    await stripe.refunds.create(
      { payment_intent: paymentIntentId, metadata: { tenantId: tdb.tenantId, orderId: order.id } },
      { stripeAccount: order.stripeAccountId, idempotencyKey: `late-refund-${order.id}-${paymentIntentId}` },
    );
  } else note = `Paid after it was cancelled (${formatMoney(amount, order.currency)}): refund it from Stripe.`;
  await moveOrder(tdb, order.id, ["cancelled"], { paymentIntentId, note });
}
