// The cart's checkout form: who is buying and, for prints, where they go. A card order goes on to
// Stripe's page; an offline one is placed and the studio is paid later.
import type { CheckoutResponse, VisitorCart } from "../../worker/contract/store";
import { h, toast } from "../lib/dom";
import { readResult } from "../lib/result";

export function checkoutForm(
  galleryId: string,
  c: VisitorCart,
  money: (n: number) => string,
  placed: (order: CheckoutResponse["order"]) => Promise<void>,
): HTMLFormElement {
  const field = (name: string, label: string, attrs: Record<string, string | boolean> = {}) =>
    h("label", {}, label, h("input", { name, required: true, ...attrs }));
  const address = c.needsShipping
    ? [
        field("addrName", "Ship to"),
        field("line1", "Address"),
        field("city", "City"),
        field("postalCode", "Postal code"),
        field("country", "Country (2 letters)", { maxlength: "2", pattern: "[A-Za-z]{2}" }),
      ]
    : [];
  const form = h(
    "form",
    {
      class: "checkout",
      onsubmit: async (e) => {
        e.preventDefault();
        const f = new FormData(form);
        const get = (k: string) => String(f.get(k) ?? "").trim();
        const body = {
          name: get("name"),
          email: get("email"),
          ...(c.needsShipping && {
            shippingAddress: {
              name: get("addrName"),
              line1: get("line1"),
              city: get("city"),
              postalCode: get("postalCode"),
              country: get("country").toUpperCase(),
            },
          }),
        };
        const res = await fetch(`/g/${galleryId}/checkout`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        const out = await readResult<CheckoutResponse>(res);
        if (!out.ok) return toast(out.data.error?.message ?? "The order could not be placed.", "error");
        const { order, checkoutUrl } = out.data;
        if (checkoutUrl) return location.assign(checkoutUrl);
        await placed(order);
      },
    },
    h("h3", {}, "Checkout"),
    field("name", "Your name", { autocomplete: "name" }),
    field("email", "Email", { type: "email", autocomplete: "email" }),
    ...address,
    h("button", { type: "submit", class: "primary" }, `Place order · ${money(c.total)}`),
  );
  return form;
}
