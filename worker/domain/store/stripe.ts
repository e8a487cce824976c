// Stripe as Loupe uses it: one SDK client over fetch (the Workers runtime has no Node http), the
// studio's connected account found in the directory, and Connect onboarding by account link.
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import type { DirectoryDb } from "../../db/directory-db";
import { tenants } from "../../db/directory-schema";
import { AppError } from "../../lib/errors";
import { requireConfirmedStudio } from "../accounts/verification";

/** The client, or null when this deployment has no Stripe key (offline payments only). */
export function stripeClient(env: Env): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const api = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : null;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    ...(api && { host: api.hostname, port: api.port, protocol: api.protocol === "http:" ? "http" : "https" }),
  });
}

export function requireStripe(env: Env): Stripe {
  const stripe = stripeClient(env);
  if (!stripe) throw new AppError("payments_unavailable", "Card payments are not configured on this Loupe; studios take offline payments.");
  return stripe;
}

export interface StudioPayments {
  plan: "free" | "pro" | "studio";
  stripeAccountId: string | null;
  chargesEnabled: boolean;
  detailsSubmitted: boolean;
}

export async function studioPayments(dir: DirectoryDb, tenantId: string): Promise<StudioPayments> {
  const row = await dir
    .select({
      plan: tenants.plan,
      stripeAccountId: tenants.stripeAccountId,
      chargesEnabled: tenants.stripeChargesEnabled,
      detailsSubmitted: tenants.stripeDetailsSubmitted,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  return row ?? { plan: "free", stripeAccountId: null, chargesEnabled: false, detailsSubmitted: false };
}

/** Card payments go to the studio's own Stripe account once Stripe lets it take charges. */
export const takesCards = (env: Env, p: StudioPayments) => !!env.STRIPE_SECRET_KEY && !!p.stripeAccountId && p.chargesEnabled;

/** Creates the studio's connected account once, and a fresh onboarding link each time. */
export async function onboardingLink(env: Env, dir: DirectoryDb, tenantId: string, returnTo: string): Promise<{ url: string; accountId: string }> {
  const stripe = requireStripe(env);
  await requireConfirmedStudio(dir, tenantId, "Loupe cannot take payments for your studio");
  let { stripeAccountId } = await studioPayments(dir, tenantId);
  if (!stripeAccountId) {
    const account = await stripe.accounts.create({ type: "express", metadata: { tenantId } }, { idempotencyKey: `account-${tenantId}` });
    stripeAccountId = account.id;
    await dir.update(tenants).set({ stripeAccountId }).where(eq(tenants.id, tenantId));
  }
  const link = await stripe.accountLinks.create({ account: stripeAccountId, type: "account_onboarding", refresh_url: returnTo, return_url: returnTo });
  return { url: link.url, accountId: stripeAccountId };
}

/** account.updated: whether the studio can take card payments now. */
export async function accountUpdated(dir: DirectoryDb, account: { id: string; charges_enabled?: boolean; details_submitted?: boolean }) {
  await dir
    .update(tenants)
    .set({ stripeChargesEnabled: !!account.charges_enabled, stripeDetailsSubmitted: !!account.details_submitted })
    .where(eq(tenants.stripeAccountId, account.id));
}

export async function tenantOfAccount(dir: DirectoryDb, accountId: string) {
  return dir.select({ id: tenants.id, slug: tenants.slug, shard: tenants.shard }).from(tenants).where(eq(tenants.stripeAccountId, accountId)).get();
}
