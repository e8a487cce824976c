// Loupe's fee on a client's card payment, by the studio's plan: the free plan pays a share of each
// order, the paid plans (which pay a subscription) none, as the studio is told on its payments
// screen. The shares are configuration (PLATFORM_FEE_BPS*, basis points); a value that is not one
// stops card checkout with a clear error rather than charging a fee nobody chose.
import { z } from "zod";
import type { BillingView } from "../../contract/store";
import { AppError } from "../../lib/errors";

export type Plan = BillingView["plan"];
export const PLANS = ["free", "pro", "studio"] as const satisfies readonly Plan[];

const bps = z.coerce.number().int().min(0).max(10_000);

/** Basis points of each order the platform keeps, per plan. */
export function platformFees(env: Env): Record<Plan, number> {
  const configured: Record<Plan, string | undefined> = {
    free: env.PLATFORM_FEE_BPS,
    pro: env.PLATFORM_FEE_BPS_PRO,
    studio: env.PLATFORM_FEE_BPS_STUDIO,
  };
  const out = {} as Record<Plan, number>;
  for (const plan of PLANS) {
    const raw = configured[plan]?.trim() || "0";
    const parsed = bps.safeParse(raw);
    if (!parsed.success) {
      throw new AppError("payments_unavailable", `The platform fee for the ${plan} plan is misconfigured ("${raw}"); card payments are off until it is fixed.`);
    }
    out[plan] = parsed.data;
  }
  return out;
}

/** The platform's fee on an order of `total` cents at `bps`, rounded to the cent. */
export const feeOf = (total: number, bps: number) => Math.round((total * bps) / 10_000);
