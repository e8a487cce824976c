// The studio's own subscription to Loupe, through Stripe Billing on the platform account: a plan
// (its storage quota) and storage add-ons of 100 GB each. Subscription events carry the whole
// subscription; one older than the last applied is ignored, so late arrivals cannot roll back.

import { and, eq, lt } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { BillingView, RedirectResponse } from "../../contract/store";
import type { DirectoryDb } from "../../db/directory-db";
import { tenants } from "../../db/directory-schema";
import { AppError } from "../../lib/errors";
import { MiB } from "../photos/limits";
import { type Plan, platformFees } from "./fees";
import { requireStripe } from "./stripe";

export const ADDON_BYTES = 100 * 1024 * MiB;
export const BILLING_EVENTS = [
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
] as const;

export const billingCheckoutSchema = z
  .object({ plan: z.enum(["pro", "studio"]), storageAddons: z.number().int().min(0).max(20, "must be at most 20").default(0) })
  .strict();

export async function billingView(env: Env, dir: DirectoryDb, tenantId: string): Promise<BillingView> {
  const t = await dir.select().from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!t) throw new AppError("studio_not_found", "No such studio.");
  return {
    plan: t.plan,
    status: t.subscriptionStatus,
    storageAddonBytes: t.storageAddonBytes,
    available: !!(env.STRIPE_SECRET_KEY && env.STRIPE_PRICE_PRO && env.STRIPE_PRICE_STUDIO),
    platformFeeBps: feesOrNull(env),
    payments: {
      accountId: t.stripeAccountId,
      chargesEnabled: t.stripeChargesEnabled,
      detailsSubmitted: t.stripeDetailsSubmitted,
      cardsAvailable: !!env.STRIPE_SECRET_KEY,
    },
  };
}

function feesOrNull(env: Env) {
  try {
    return platformFees(env);
  } catch {
    return null;
  }
}

/** A Stripe Checkout page for a new subscription, or the billing portal to change one. */
export async function billingSession(
  env: Env,
  dir: DirectoryDb,
  tenantId: string,
  input: z.infer<typeof billingCheckoutSchema>,
  returnTo: string,
): Promise<RedirectResponse> {
  const stripe = requireStripe(env);
  const prices = { pro: env.STRIPE_PRICE_PRO, studio: env.STRIPE_PRICE_STUDIO };
  if (!prices[input.plan]) throw new AppError("payments_unavailable", "Subscriptions are not configured on this Loupe.");
  const t = (await dir.select().from(tenants).where(eq(tenants.id, tenantId)).get())!;
  let customer = t.stripeCustomerId;
  if (!customer) {
    customer = (await stripe.customers.create({ metadata: { tenantId }, name: t.slug }, { idempotencyKey: `customer-${tenantId}` })).id;
    await dir.update(tenants).set({ stripeCustomerId: customer }).where(eq(tenants.id, tenantId));
  }
  if (t.stripeSubscriptionId && t.subscriptionStatus !== "canceled") {
    return { url: (await stripe.billingPortal.sessions.create({ customer, return_url: returnTo })).url };
  }
  const items = [{ price: prices[input.plan], quantity: 1 }];
  if (input.storageAddons > 0 && env.STRIPE_PRICE_STORAGE) items.push({ price: env.STRIPE_PRICE_STORAGE, quantity: input.storageAddons });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    line_items: items,
    metadata: { tenantId },
    subscription_data: { metadata: { tenantId } },
    success_url: returnTo,
    cancel_url: returnTo,
  });
  return { url: session.url! };
}

export async function billingEvent(env: Env, dir: DirectoryDb, event: Stripe.Event): Promise<string | null> {
  const obj = event.data.object as { customer?: string | { id: string } | null; metadata?: Record<string, string> | null };
  const customer = typeof obj.customer === "string" ? obj.customer : (obj.customer?.id ?? null);
  const tenant =
    (customer && (await dir.select().from(tenants).where(eq(tenants.stripeCustomerId, customer)).get())) ||
    (obj.metadata?.tenantId ? await dir.select().from(tenants).where(eq(tenants.id, obj.metadata.tenantId)).get() : undefined);
  if (!tenant) return null;
  if (customer && tenant.stripeCustomerId && tenant.stripeCustomerId !== customer) return null;
  const at = event.created * 1000;
  const newer = and(eq(tenants.id, tenant.id), lt(tenants.subscriptionEventAt, at + 1));
  switch (event.type) {
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const sub = event.data.object;
      const gone = event.type === "customer.subscription.deleted" || sub.status === "canceled";
      const plan = gone ? "free" : planOf(env, sub);
      const addons = gone ? 0 : sub.items.data.filter((i) => i.price.id === env.STRIPE_PRICE_STORAGE).reduce((n, i) => n + (i.quantity ?? 0), 0);
      await dir
        .update(tenants)
        .set({
          plan,
          storageAddonBytes: addons * ADDON_BYTES,
          subscriptionStatus: gone ? "canceled" : sub.status,
          stripeSubscriptionId: sub.id,
          stripeCustomerId: customer ?? tenant.stripeCustomerId,
          subscriptionEventAt: at,
        })
        .where(newer);
      break;
    }
    case "invoice.paid":
      await dir
        .update(tenants)
        .set({ subscriptionStatus: "active", subscriptionEventAt: at })
        .where(and(newer, eq(tenants.subscriptionStatus, "past_due")));
      break;
    case "invoice.payment_failed":
      await dir.update(tenants).set({ subscriptionStatus: "past_due", subscriptionEventAt: at }).where(newer);
      break;
    case "checkout.session.completed": {
      const s = event.data.object;
      const sub = typeof s.subscription === "string" ? s.subscription : s.subscription?.id;
      await dir
        .update(tenants)
        .set({ stripeCustomerId: customer ?? tenant.stripeCustomerId, ...(sub && { stripeSubscriptionId: sub }) })
        .where(eq(tenants.id, tenant.id));
      break;
    }
    default:
      break;
  }
  return tenant.id;
}

function planOf(env: Env, sub: Stripe.Subscription): Plan {
  const ids = new Set(sub.items.data.map((i) => i.price.id));
  if (env.STRIPE_PRICE_STUDIO && ids.has(env.STRIPE_PRICE_STUDIO)) return "studio";
  if (env.STRIPE_PRICE_PRO && ids.has(env.STRIPE_PRICE_PRO)) return "pro";
  return "free";
}
