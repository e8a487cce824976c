// Checkout: the order is placed from the server-priced cart, then paid by card through Stripe
// Checkout on the studio's connected account (with the platform's fee), or, when the studio has
// no Stripe account, left for the studio to mark paid (offline payment).
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import type { CheckoutResponse } from "../../contract/store";
import type { DirectoryDb } from "../../db/directory-db";
import type { TenantDb } from "../../db/tenant-db";
import { orders } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { dashboardOrigin } from "../../lib/origins";
import type { Shopper } from "./cart";
import { feeOf, platformFees } from "./fees";
import { cancelOrder } from "./order-status";
import { type CheckoutInput, type OrderRow, orderView, placeOrder, requireOrder } from "./orders";
import { requireStripe, stripeClient, studioPayments, takesCards } from "./stripe";

export interface CheckoutDeps {
  tdb: TenantDb;
  dir: DirectoryDb;
  env: Env;
  /** The studio's website origin: where Stripe sends the client back. */
  origin: string;
}

export async function checkout(deps: CheckoutDeps, s: Shopper, input: CheckoutInput): Promise<CheckoutResponse> {
  const { tdb, env } = deps;
  const payments = await studioPayments(deps.dir, tdb.tenantId);
  const card = takesCards(env, payments);
  // Checked before the order is placed: a misconfigured fee refuses the checkout and keeps nothing.
  const feeBps = card ? platformFees(env)[payments.plan] : 0;
  const order = await placeOrder(tdb, s, input, card ? "stripe" : "offline", dashboardOrigin(env));
  if (!card) return { order: orderView(order), checkoutUrl: null };
  const fee = feeOf(order.total, feeBps);
  try {
    const session = await startSession(
      requireStripe(env),
      order,
      payments.stripeAccountId!,
      fee,
      s.catalogue.sheet.stripeTax,
      `${deps.origin}/g/${order.galleryId}`,
    );
    await tdb.update(orders, { checkoutSessionId: session.id, stripeAccountId: payments.stripeAccountId, applicationFee: fee }, eq(orders.id, order.id));
    return { order: orderView(await requireOrder(tdb, order.id)), checkoutUrl: session.url };
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "stripe checkout failed", orderId: order.id, error: String(err) }));
    await cancelOrder(tdb, order.id, "Card payment could not be started.");
    throw new AppError("payments_unavailable", "Card payment could not be started just now; nothing was charged. Please try again in a moment.");
  }
}

async function startSession(stripe: Stripe, order: OrderRow, account: string, fee: number, stripeTax: boolean, back: string) {
  const currency = order.currency;
  const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = order.lines.map((l) => ({
    quantity: l.quantity,
    price_data: { currency, unit_amount: l.unitAmount, product_data: { name: l.photoIds.length > 1 ? `${l.name} (${l.photoIds.length} photos)` : l.name } },
  }));
  if (order.tax > 0) lineItems.push({ quantity: 1, price_data: { currency, unit_amount: order.tax, product_data: { name: "Tax" } } });
  const opts = (key: string) => ({ stripeAccount: account, idempotencyKey: `${key}-${order.id}` });
  // The discount was priced by Loupe; Stripe gets it as a one-off coupon of exactly that amount.
  const coupon =
    order.discount > 0
      ? await stripe.coupons.create(
          { amount_off: order.discount, currency, duration: "once", max_redemptions: 1, name: order.discountCode ?? "Discount" },
          opts("coupon"),
        )
      : null;
  const metadata = { tenantId: order.tenantId, orderId: order.id };
  return stripe.checkout.sessions.create(
    {
      mode: "payment",
      line_items: lineItems,
      ...(coupon && { discounts: [{ coupon: coupon.id }] }),
      ...(order.shipping > 0 && {
        shipping_options: [
          {
            shipping_rate_data: { type: "fixed_amount", display_name: order.shippingMethod ?? "Shipping", fixed_amount: { amount: order.shipping, currency } },
          },
        ],
      }),
      ...(stripeTax && { automatic_tax: { enabled: true } }),
      customer_email: order.customerEmail,
      client_reference_id: order.id,
      metadata,
      // A paid plan pays no fee: Stripe is given none rather than a fee of zero.
      payment_intent_data: { ...(fee > 0 && { application_fee_amount: fee }), metadata },
      success_url: `${back}?order=${order.id}&paid=1`,
      cancel_url: `${back}?order=${order.id}&cancelled=1`,
    },
    opts("checkout"),
  );
}

/**
 * Closes an order's Stripe Checkout so it can no longer be paid. Stripe refuses for a session that
 * is already complete: the client paid while the studio was cancelling.
 */
export function expireCheckout(env: Env) {
  return async (order: OrderRow): Promise<void> => {
    const stripe = stripeClient(env);
    if (!stripe || !order.checkoutSessionId || !order.stripeAccountId) return;
    try {
      await stripe.checkout.sessions.expire(order.checkoutSessionId, {}, { stripeAccount: order.stripeAccountId });
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError) {
        throw new AppError("order_conflict", `Order #${order.number} was paid while it was being cancelled; refund it instead.`);
      }
      throw err;
    }
  };
}
