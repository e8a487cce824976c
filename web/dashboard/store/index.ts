// The studio's store in the dashboard: orders to act on, price sheets and discount codes, payments
// (Stripe Connect and the Loupe plan), the print lab, and the mail Loupe sent for the studio.
import type { StudioRef } from "../../../worker/contract/studios";
import { h } from "../../lib/dom";
import { renderLab } from "./lab";
import { renderMail } from "./mail";
import { renderOrders } from "./orders";
import { renderPayments } from "./payments";
import { renderPrices } from "./prices";

const TABS: [string, string][] = [
  ["orders", "Orders"],
  ["prices", "Price sheets & codes"],
  ["lab", "Print lab"],
  ["payments", "Payments & plan"],
  ["mail", "Mailbox"],
];

export async function renderStore(app: HTMLElement, studio: StudioRef, tab: string): Promise<void> {
  const body = h("div", { class: "tab-body" });
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All galleries")),
    h("div", { class: "gallery-head" }, h("h2", {}, "Store")),
    h(
      "nav",
      { class: "tabs" },
      ...TABS.map(([t, label]) => h("a", { href: `#/store/${t}`, class: t === tab ? "tab active" : "tab", "aria-current": t === tab ? "page" : null }, label)),
    ),
    body,
  );
  const base = `/api/studios/${studio.id}/store`;
  if (tab === "prices") return renderPrices(body, base);
  if (tab === "payments") return renderPayments(body, base);
  if (tab === "mail") return renderMail(body, base);
  if (tab === "lab") return renderLab(body, base);
  return renderOrders(body, base);
}
