// An order's prints at the lab, under the order: where they are, the lab's reason when it refused
// them (with the address to correct and send again), and each parcel's tracking.
import type { LabOrderResponse, LabOrderView } from "../../../worker/contract/labs";
import type { OrderView } from "../../../worker/contract/store";
import { h, toast } from "../../lib/dom";
import { api, errorOf } from "../api";

const SAY: Record<LabOrderView["status"], string> = {
  held: "Waiting for your review",
  queued: "Going to the lab",
  submitted: "At the lab",
  in_production: "Being made",
  shipped: "Shipped",
  cancelled: "Cancelled at the lab",
  refused: "Refused by the lab",
  unreachable: "The lab could not be reached",
};

function sendForm(base: string, o: OrderView, lab: LabOrderView, again: () => void): HTMLElement {
  const a = o.shippingAddress;
  const field = (name: string, value: string | undefined, label: string) => h("input", { name, value: value ?? "", placeholder: label, "aria-label": label });
  const fields =
    a && lab.status === "refused"
      ? [
          field("name", a.name, "Name"),
          field("line1", a.line1, "Address"),
          field("city", a.city, "City"),
          field("postalCode", a.postalCode, "Postal code"),
          field("region", a.region, "State or region"),
          field("country", a.country, "Country code"),
        ]
      : [];
  const send = async () => {
    const address = Object.fromEntries(fields.flatMap((f) => (f.value.trim() ? [[f.name, f.value.trim()]] : [])));
    const res = await api<LabOrderResponse>(
      "POST",
      `${base}/orders/${o.id}/lab/send`,
      fields.length ? { shippingAddress: { ...address, ...(a?.line2 && { line2: a.line2 }) } } : {},
    );
    if (!res.ok) return void toast(errorOf(res), "error");
    toast(`Order #${o.number} is on its way to the lab.`);
    again();
  };
  return h(
    "div",
    { class: "lab-send" },
    fields.length ? h("div", { class: "inline-form address-fix" }, ...fields) : "",
    h("button", { type: "button", class: "primary", onclick: () => void send() }, lab.status === "held" ? "Send to lab" : "Send to lab again"),
  );
}

export async function showLabOrder(after: Element, base: string, o: OrderView): Promise<void> {
  const res = await api<LabOrderResponse>("GET", `${base}/orders/${o.id}/lab`);
  if (!res.ok || !res.data.labOrder) return;
  const lab = res.data.labOrder;
  const again = () => void showLabOrder(after, base, o).then(() => box.remove());
  const cancel = async () => {
    if (!confirm(`Cancel the prints of order #${o.number} at the lab? This does not refund the client.`)) return;
    const res = await api<LabOrderResponse>("POST", `${base}/orders/${o.id}/lab/cancel`);
    if (!res.ok) return void toast(errorOf(res), "error");
    toast(`The prints of order #${o.number} are cancelled at the lab.`);
    again();
  };
  const box = h(
    "div",
    { class: "lab-order" },
    h("h4", {}, `Prodigi · ${SAY[lab.status]}${lab.labOrderId ? ` · ${lab.labOrderId}` : ""}`),
    h("p", { class: "muted" }, lab.lines.map((l) => `${l.copies} × ${l.sku}${l.crop ? " (cropped)" : ""}`).join(" · ")),
    lab.problem ? h("p", { class: "error" }, lab.problem) : "",
    ...lab.shipments.map((s) =>
      h(
        "p",
        {},
        `${s.carrier}${s.service ? ` (${s.service})` : ""}: `,
        s.trackingUrl
          ? h("a", { href: s.trackingUrl, target: "_blank", rel: "noopener" }, s.trackingNumber ?? "track")
          : (s.trackingNumber ?? "no tracking yet"),
      ),
    ),
    // A queued order untouched for two hours lost its queue message: it can be sent by hand.
    ["held", "refused", "unreachable"].includes(lab.status) || (lab.status === "queued" && Date.now() - lab.updatedAt > 2 * 3_600_000)
      ? sendForm(base, o, lab, again)
      : "",
    ["held", "queued", "submitted", "refused", "unreachable"].includes(lab.status)
      ? h("button", { type: "button", class: "danger", onclick: () => void cancel() }, "Cancel at the lab")
      : "",
  );
  after.after(box);
}
