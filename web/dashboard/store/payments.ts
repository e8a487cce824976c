// Payments and plan: the studio's Stripe account (Connect onboarding; clients' card payments go
// there, less Loupe's fee) and its Loupe subscription (plan, storage add-ons).
import type { BillingResponse, BillingView, RedirectResponse } from "../../../worker/contract/store";
import { h, toast } from "../../lib/dom";
import { api, errorOf } from "../api";

/** The plans a studio can choose here, as the billing checkout takes them. */
const PLANS: BillingView["plan"][] = ["pro", "studio"];

const pct = (bps: number) => `${(bps / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}%`;

/** What Loupe keeps of each card payment on this studio's plan, and on the others. */
function feeLine(b: BillingView): HTMLElement {
  const fees = b.platformFeeBps;
  if (!fees) return h("p", { class: "error" }, "Loupe's fee is misconfigured on this Loupe, so card checkout is off until its operator fixes it.");
  const others = (["free", "pro", "studio"] as const).filter((plan) => plan !== b.plan).map((plan) => `${pct(fees[plan])} on ${plan}`);
  return h("p", { class: "fee-line" }, `Loupe keeps ${pct(fees[b.plan])} of each card payment on your ${b.plan} plan (${others.join(", ")}).`);
}

const go = async (path: string, body?: unknown) => {
  const res = await api<RedirectResponse>("POST", path, body);
  if (!res.ok) return void toast(errorOf(res), "error");
  location.assign(res.data.url);
};

export async function renderPayments(body: HTMLElement, base: string): Promise<void> {
  const res = await api<BillingResponse>("GET", `${base}/payments`);
  if (!res.ok) return void body.replaceChildren(h("p", { class: "error" }, errorOf(res)));
  const b = res.data.billing;
  const p = b.payments;
  const cards = !p.cardsAvailable
    ? h(
        "p",
        {},
        "Card payments are not set up on this Loupe (it has no Stripe key). Clients still order: each order waits as an offline payment until you mark it paid.",
      )
    : p.chargesEnabled
      ? h("p", {}, `Connected to Stripe (${p.accountId}). Clients pay by card at checkout; payouts go to your account.`)
      : h(
          "div",
          {},
          h(
            "p",
            {},
            p.accountId
              ? "Your Stripe account is not ready to take payments yet: finish Stripe's onboarding."
              : "Connect a Stripe account to take card payments. Until then, orders wait as offline payments.",
          ),
          h(
            "button",
            { type: "button", class: "primary", onclick: () => void go(`${base}/payments/connect`) },
            p.accountId ? "Continue Stripe onboarding" : "Connect with Stripe",
          ),
        );
  const addons = h("input", {
    type: "number",
    min: 0,
    max: 20,
    value: String(b.storageAddonBytes / (100 * 1024 ** 3)),
    "aria-label": "Storage add-ons (100 GB each)",
  });
  const plan = !b.available
    ? h("p", { class: "muted" }, "Subscriptions are not set up on this Loupe.")
    : h(
        "div",
        { class: "inline-form" },
        h("label", {}, "Extra storage (×100 GB) ", addons),
        ...PLANS.map((name) =>
          h(
            "button",
            {
              type: "button",
              class: name === b.plan ? "primary" : "",
              onclick: () => void go(`${base}/billing/checkout`, { plan: name, storageAddons: Number(addons.value) }),
            },
            `${name === b.plan ? "Manage" : "Choose"} ${name}${b.platformFeeBps ? ` · ${pct(b.platformFeeBps[name])} fee` : ""}`,
          ),
        ),
      );
  body.replaceChildren(
    h("section", { class: "card" }, h("h3", {}, "Card payments"), cards, feeLine(b)),
    h(
      "section",
      { class: "card" },
      h("h3", {}, "Your Loupe plan"),
      h(
        "p",
        {},
        `Plan: ${b.plan}${b.status ? ` (${b.status.replace("_", " ")})` : ""}${b.storageAddonBytes ? ` · +${b.storageAddonBytes / 1024 ** 3} GB storage` : ""}`,
      ),
      plan,
    ),
  );
}
