// Orders: a list filtered by status, and each order with what was bought, where it goes and the
// next steps its status allows (mark paid, fulfil, ship with tracking, complete, cancel, refund),
// and for downloads how much of the link is used, with a renewal that mails the client a new link.
import {
  type DownloadsResponse,
  type DownloadsView,
  type OrderDetailResponse,
  type OrderResponse,
  type OrderStatus,
  type OrdersResponse,
  type OrderView,
  orderStatuses,
  paidStatuses,
} from "../../../worker/contract/store";
import { h, toast } from "../../lib/dom";
import { api, errorOf } from "../api";
import { pagedList } from "../paging";
import { money } from "./money";
import { showLabOrder } from "./order-lab";

/** The filter: every order ("") or those of one status. */
const STATUSES = ["", ...orderStatuses] as const;
const PAID: readonly OrderStatus[] = paidStatuses;

export async function renderOrders(body: HTMLElement, base: string, openId?: string): Promise<void> {
  const filter = h(
    "select",
    { "aria-label": "Status", onchange: () => void showList() },
    ...STATUSES.map((s) => h("option", { value: s }, s ? s[0]!.toUpperCase() + s.slice(1) : "All orders")),
  );
  const search = h("input", { type: "search", name: "q", placeholder: "Order number or client email", maxlength: 254, "aria-label": "Find an order" });
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => void showList(), 300);
  });
  const listHost = h("div", {});
  const detail = h("div", { class: "order-detail" });
  let shown = 0;
  // After an action the list is drawn again with that order open.
  const showList = async (open?: string): Promise<void> => {
    const n = ++shown;
    const row = (o: OrderView) =>
      h(
        "tr",
        { class: "order-row", tabindex: 0, "data-order": o.number, onclick: () => showOrder(detail, base, o, showList) },
        h("td", {}, `#${o.number}`),
        h("td", {}, new Date(o.createdAt).toLocaleDateString()),
        h("td", {}, o.customerName),
        h("td", {}, h("span", { class: `status ${o.status}` }, o.status)),
        h("td", { class: "num" }, money(o.total, o.currency)),
        h("td", { class: "muted" }, o.paymentMethod === "offline" ? "offline" : "card"),
      );
    const rows = h("tbody", {});
    const table = h(
      "table",
      { class: "orders-table" },
      h("thead", {}, h("tr", {}, ...["Order", "Date", "Client", "Status", "Total", "Payment"].map((t) => h("th", {}, t)))),
      rows,
    );
    const q = search.value.trim();
    const params = new URLSearchParams({ ...(filter.value && { status: filter.value }), ...(q && { q }) }).toString();
    const list = pagedList<"orders", OrderView>({
      path: `${base}/orders${params ? `?${params}` : ""}`,
      key: "orders",
      className: "orders",
      frame: { element: table, items: rows },
      render: row,
      empty: params ? "No orders match." : "No orders yet. Give a gallery a price sheet (gallery settings) and clients can buy from it.",
      onPage: (page: OrdersResponse) => {
        const found = page.orders.find((o) => o.id === open);
        if (found) showOrder(detail, base, found, showList);
      },
    });
    const res = await list.start();
    if (n !== shown) return;
    listHost.replaceChildren(res.ok ? list.element : h("p", { class: "error" }, errorOf(res)));
  };
  body.replaceChildren(h("div", { class: "orders-head" }, filter, search), listHost, detail);
  await showList(openId);
}

/** One order and its next steps; after an action the list is redrawn with this order open. */
function showOrder(detail: HTMLElement, base: string, o: OrderView, refresh: (openId: string) => Promise<void>): void {
  const act = async (action: string, payload?: unknown) => {
    const res = await api<OrderResponse>("POST", `${base}/orders/${o.id}/${action}`, payload);
    if (!res.ok) return void toast(errorOf(res), "error");
    toast(`Order #${o.number} is ${res.data.order.status}${action === "refund" ? ` (refunded ${money(res.data.order.refunded, o.currency)})` : ""}.`);
    await refresh(o.id);
  };
  const tracking = h("input", { placeholder: "Tracking number", "aria-label": "Tracking number" });
  const refund = h("input", { type: "number", min: 0.01, step: 0.01, placeholder: (o.refundable / 100).toFixed(2), "aria-label": "Refund amount" });
  const paid = PAID.includes(o.status);
  const actions = [
    o.status === "pending" && o.paymentMethod === "offline"
      ? h("button", { type: "button", class: "primary", onclick: () => void act("mark-paid") }, "Mark paid")
      : "",
    o.status === "paid" ? h("button", { type: "button", onclick: () => void act("fulfil") }, "Mark fulfilled") : "",
    (o.status === "paid" || o.status === "fulfilled") && o.shippingAddress
      ? h(
          "span",
          { class: "inline-form" },
          tracking,
          h("button", { type: "button", onclick: () => void act("ship", { trackingNumber: tracking.value }) }, "Mark shipped"),
        )
      : "",
    o.status === "fulfilled" || o.status === "shipped" ? h("button", { type: "button", onclick: () => void act("complete") }, "Complete") : "",
    o.status === "pending"
      ? h("button", { type: "button", class: "danger", onclick: () => confirm(`Cancel order #${o.number}?`) && void act("cancel") }, "Cancel order")
      : "",
    paid && o.refundable > 0
      ? h(
          "span",
          { class: "inline-form" },
          refund,
          h(
            "button",
            {
              type: "button",
              class: "danger",
              onclick: () => {
                const amount = refund.value ? Math.round(Number(refund.value) * 100) : o.refundable;
                if (confirm(`Refund ${money(amount, o.currency)} of order #${o.number}?`)) void act("refund", { amount });
              },
            },
            "Refund",
          ),
        )
      : "",
  ];
  const sum = (label: string, n: number) => h("tr", {}, h("td", {}, label), h("td", { class: "num" }, money(n, o.currency)));
  const a = o.shippingAddress;
  detail.replaceChildren(
    h(
      "section",
      { class: "card" },
      h("h3", {}, `Order #${o.number} · ${o.status}`),
      h("p", {}, `${o.customerName} <${o.customerEmail}> · ${o.paymentMethod === "offline" ? "offline payment" : "card (Stripe)"}`),
      o.note ? h("p", { class: "muted" }, o.note) : "",
      h(
        "table",
        { class: "order-lines" },
        h(
          "tbody",
          {},
          ...o.lines.map((l) =>
            h(
              "tr",
              {},
              h("td", {}, `${l.quantity} × ${l.name}${l.photoIds.length > 1 ? ` (${l.photoIds.length} photos)` : ""}`),
              h("td", { class: "num" }, money(l.amount, o.currency)),
            ),
          ),
          sum("Subtotal", o.subtotal),
          o.discount ? sum(`Discount ${o.discountCode ?? ""}`, -o.discount) : "",
          o.shipping ? sum(`Shipping (${o.shippingMethod})`, o.shipping) : "",
          o.tax ? sum("Tax", o.tax) : "",
          sum("Total", o.total),
          o.refunded ? sum("Refunded", -o.refunded) : "",
        ),
      ),
      a
        ? h("p", {}, `Ship to: ${a.name}, ${a.line1}, ${a.postalCode} ${a.city}, ${a.country}${o.trackingNumber ? ` · tracking ${o.trackingNumber}` : ""}`)
        : "",
      h("div", { class: "order-actions" }, ...actions),
    ),
  );
  detail.scrollIntoView({ behavior: "smooth", block: "nearest" });
  if (paid) void showDownloads(detail.querySelector(".order-actions")!, base, o);
  if (paid) void showLabOrder(detail.querySelector(".order-actions")!, base, o);
}

async function showDownloads(before: Element, base: string, o: OrderView): Promise<void> {
  const res = await api<OrderDetailResponse>("GET", `${base}/orders/${o.id}`);
  if (!res.ok || !res.data.downloads || !before.isConnected) return;
  const line = h("p", { class: "order-downloads" });
  const draw = (d: DownloadsView) => {
    const expired = d.expiresAt <= Date.now();
    line.replaceChildren(
      `Downloads: ${d.used} of ${d.max} used · link ${expired ? "expired" : "valid until"} ${new Date(d.expiresAt).toLocaleDateString()} `,
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            if (!confirm(`Start the count again and mail ${o.customerName} a new link, valid 30 days?`)) return;
            const renewed = await api<DownloadsResponse>("POST", `${base}/orders/${o.id}/downloads/renew`);
            if (!renewed.ok) return void toast(errorOf(renewed), "error");
            toast(`${o.customerName} has a new download link by mail.`);
            draw(renewed.data.downloads);
          },
        },
        "Renew downloads",
      ),
    );
  };
  draw(res.data.downloads);
  before.before(line);
}
