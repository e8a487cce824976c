// Stripe's webhooks: the signature is checked over the raw body before anything is parsed; an
// event id already handled is answered and ignored; each handler moves state only forward, so
// events arriving twice or out of order end in the right state. Connect events (the studios'
// accounts: their clients' payments) have their own endpoint and signing secret; platform events
// (Loupe's own billing of studios) come to the other.

import { eq } from "drizzle-orm";
import Stripe from "stripe";
import type { DirectoryDb } from "../../db/directory-db";
import { stripeEvents, tenants } from "../../db/directory-schema";
import { tenantDb } from "../../db/shards";
import type { TenantDb } from "../../db/tenant-db";
import { orders } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { dashboardOrigin } from "../../lib/origins";
import { paymentFailedAlert, storeAlert } from "../alerts/store-alerts";
import { paymentFailed } from "../mail/messages";
import { commitWithMail, sendMail } from "../mail/outbox";
import { BILLING_EVENTS, billingEvent } from "./billing";
import { markPaid, moveOrder, recordRefunded, releaseOrder } from "./order-status";
import { refundLatePayment } from "./refunds";
import { accountUpdated, stripeClient } from "./stripe";

export type Endpoint = "platform" | "connect";
// Signatures are checked through WebCrypto: the SDK's default, Node's synchronous crypto, is not what workerd offers.
const subtleCrypto = Stripe.createSubtleCryptoProvider();

export async function verifyStripeEvent(env: Env, endpoint: Endpoint, raw: string, signature: string | undefined): Promise<Stripe.Event> {
  const secret = endpoint === "connect" ? env.STRIPE_CONNECT_WEBHOOK_SECRET : env.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new AppError("not_found", "Stripe webhooks are not configured on this Loupe.");
  if (!signature) throw new AppError("signature_invalid", "stripe-signature: the header is missing");
  try {
    return await Stripe.webhooks.constructEventAsync(raw, signature, secret, 300, subtleCrypto);
  } catch {
    throw new AppError("signature_invalid", "stripe-signature: does not match the body, or is too old");
  }
}

// Stripe sends whatever the endpoint subscribes to; anything else is answered without a query.
const HANDLED = new Set<string>([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "payment_intent.payment_failed",
  "charge.refunded",
  "account.updated",
  ...BILLING_EVENTS,
]);

/**
 * Whether an event is for this endpoint: the platform's own billing comes without an account, the
 * studios' accounts' events with one. An event at the wrong endpoint (a misconfigured subscription,
 * or someone replaying one) is answered and ignored, never matched by what its metadata claims.
 */
function belongsTo(endpoint: Endpoint, event: Stripe.Event): boolean {
  const obj = event.data.object as { object: string; mode?: string };
  const billing = (BILLING_EVENTS as readonly string[]).includes(event.type) || (obj.object === "checkout.session" && obj.mode === "subscription");
  return endpoint === "platform" ? billing && !event.account : !billing && !!event.account;
}

export async function handleStripeEvent(
  env: Env,
  dir: DirectoryDb,
  endpoint: Endpoint,
  event: Stripe.Event,
  origin: (slug: string) => string,
): Promise<{ duplicate: boolean; ignored?: true }> {
  if (!HANDLED.has(event.type) || !belongsTo(endpoint, event)) return { duplicate: false, ignored: true };
  if (await dir.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).get()) return { duplicate: true };
  const tenantId = await dispatch(env, dir, event, origin);
  // Recorded after the handler: a crash in between means Stripe retries, and handlers are idempotent.
  await dir.insert(stripeEvents).values({ id: event.id, type: event.type, tenantId }).onConflictDoNothing();
  return { duplicate: false };
}

async function dispatch(env: Env, dir: DirectoryDb, event: Stripe.Event, origin: (slug: string) => string): Promise<string | null> {
  if (event.type === "account.updated") {
    await accountUpdated(dir, event.data.object);
    return null;
  }
  const obj = event.data.object as { object: string; mode?: string };
  if ((BILLING_EVENTS as readonly string[]).includes(event.type) || (obj.object === "checkout.session" && obj.mode === "subscription"))
    return billingEvent(env, dir, event);
  const shop = await studioOf(env, dir, event);
  if (!shop) return null;
  const deps = { tdb: shop.tdb, secret: env.JWT_SECRET, origin: origin(shop.slug), dashboard: dashboardOrigin(env) };
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const s = event.data.object;
      const orderId = s.metadata?.orderId;
      if (!orderId) return shop.tdb.tenantId;
      const paymentIntentId = typeof s.payment_intent === "string" ? s.payment_intent : (s.payment_intent?.id ?? null);
      const order = await shop.tdb.first(orders, eq(orders.id, orderId));
      if (order?.status === "cancelled" && s.payment_status !== "unpaid") {
        await refundLatePayment(env, shop.tdb, order, paymentIntentId, s.amount_total ?? order.total);
        return shop.tdb.tenantId;
      }
      // Stripe Tax decides the tax at checkout; the order then keeps Stripe's figures.
      const totals = s.automatic_tax?.enabled && s.amount_total !== null ? { tax: s.total_details?.amount_tax ?? 0, total: s.amount_total } : {};
      if (s.payment_status === "unpaid") {
        await moveOrder(shop.tdb, orderId, ["pending"], { paymentIntentId, note: "Waiting for the bank transfer or debit to clear." });
      } else {
        await markPaid(deps, orderId, { paymentIntentId, ...totals });
      }
      return shop.tdb.tenantId;
    }
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired": {
      // The order will not be paid: it is cancelled and its discount use goes back to the code.
      const orderId = event.data.object.metadata?.orderId;
      const order = orderId ? await shop.tdb.first(orders, eq(orders.id, orderId)) : undefined;
      const failed = event.type === "checkout.session.async_payment_failed";
      if (order && (await releaseOrder(shop.tdb, order, failed ? "The payment failed." : "The checkout expired unpaid.")) && failed)
        await paymentFailedMail(shop.tdb, order.id, deps.dashboard);
      return shop.tdb.tenantId;
    }
    case "payment_intent.payment_failed": {
      const pi = event.data.object;
      const orderId = pi.metadata?.orderId;
      if (orderId) await moveOrder(shop.tdb, orderId, ["pending"], { note: `Card payment failed: ${pi.last_payment_error?.message ?? "declined"}` });
      return shop.tdb.tenantId;
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const orderId = charge.metadata?.orderId ?? (await orderOfPayment(env, shop.tdb, event.account, charge.payment_intent));
      // Not known yet (the refund outran the payment's own event): a non-2xx makes Stripe retry later.
      if (!orderId) throw new AppError("order_conflict", "charge.refunded: no order has this payment yet; send it again later");
      await recordRefunded(shop.tdb, orderId, charge.amount_refunded, deps.dashboard);
      return shop.tdb.tenantId;
    }
    default:
      return shop.tdb.tenantId;
  }
}

/** The studio a Connect event is about: named by our metadata and owning the event's account. */
type TenantRow = typeof tenants.$inferSelect;
// Which studio an account or id is changes only when a studio connects an account: a busy
// endpoint need not ask the directory for every event (a minute's staleness at most).
const known = new Map<string, { tenant: TenantRow; at: number }>();
async function tenantBy(dir: DirectoryDb, by: "account" | "id", value: string): Promise<TenantRow | undefined> {
  const key = `${by}:${value}`;
  const hit = known.get(key);
  if (hit && Date.now() - hit.at < 60_000) return hit.tenant;
  const tenant = await dir
    .select()
    .from(tenants)
    .where(eq(by === "account" ? tenants.stripeAccountId : tenants.id, value))
    .get();
  if (tenant) known.set(key, { tenant, at: Date.now() });
  return tenant;
}

async function studioOf(env: Env, dir: DirectoryDb, event: Stripe.Event) {
  const meta = (event.data.object as { metadata?: Record<string, string> | null }).metadata;
  // An account's events only ever touch its own studio, whatever the metadata claims.
  const tenant = event.account ? await tenantBy(dir, "account", event.account) : undefined;
  if (!tenant || (meta?.tenantId && meta.tenantId !== tenant.id) || tenant.stripeAccountId !== event.account) return null;
  return { tdb: tenantDb(env, tenant), slug: tenant.slug };
}

/** The order a payment was for: recorded on the order, or in the PaymentIntent's metadata. */
async function orderOfPayment(env: Env, tdb: TenantDb, account: string | undefined, pi: string | { id: string } | null): Promise<string | null> {
  const id = typeof pi === "string" ? pi : pi?.id;
  if (!id) return null;
  const known = (await tdb.first(orders, eq(orders.paymentIntentId, id)))?.id;
  if (known) return known;
  const stripe = stripeClient(env);
  if (!stripe || !account) return null;
  const intent = await stripe.paymentIntents.retrieve(id, {}, { stripeAccount: account }).catch(() => null);
  return intent?.metadata?.tenantId === tdb.tenantId ? (intent.metadata.orderId ?? null) : null;
}

async function paymentFailedMail(tdb: TenantDb, orderId: string, dashboard: string) {
  const o = await tdb.first(orders, eq(orders.id, orderId));
  if (!o) return;
  await commitWithMail(tdb, await storeAlert(tdb, paymentFailedAlert(o), dashboard));
  await sendMail(tdb, paymentFailed(o));
}
