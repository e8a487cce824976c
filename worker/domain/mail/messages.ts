// What Loupe writes to clients and studios: one function per kind of mail, each with the key
// that makes it once-only in the outbox (outbox.ts).
import type { OrderView } from "../../contract/store";
import { formatMoney } from "../../lib/money";
import type { Mail } from "./outbox";

/** What order mail reads of an order. */
type OrderForMail = Pick<
  OrderView,
  "id" | "number" | "customerName" | "customerEmail" | "currency" | "lines" | "subtotal" | "discount" | "shipping" | "tax" | "total" | "paymentMethod"
>;

const money = (o: OrderForMail, n: number) => formatMoney(n, o.currency);

export function orderConfirmation(o: OrderForMail, studioName: string, paid: boolean): Mail {
  const rows = o.lines.map((l) => `  ${l.quantity} × ${l.name}${l.photoIds.length > 1 ? ` (${l.photoIds.length} photos)` : ""} — ${money(o, l.amount)}`);
  const totals = [
    `Subtotal ${money(o, o.subtotal)}`,
    o.discount ? `Discount −${money(o, o.discount)}` : "",
    o.shipping ? `Shipping ${money(o, o.shipping)}` : "",
    o.tax ? `Tax ${money(o, o.tax)}` : "",
    `Total ${money(o, o.total)}`,
  ].filter(Boolean);
  const how = paid ? "Your payment has been received." : `${studioName} will contact you about payment; your order is reserved until then.`;
  return {
    key: `order:${o.id}:${paid ? "paid" : "placed"}`,
    kind: "order_confirmation",
    to: o.customerEmail,
    subject: `${studioName}: order #${o.number} ${paid ? "confirmed" : "received"}`,
    text: `Hello ${o.customerName},\n\nThank you for your order #${o.number}.\n\n${rows.join("\n")}\n\n${totals.join("\n")}\n\n${how}\n`,
  };
}

export function downloadsReady(o: OrderForMail, studioName: string, link: string, expiresAt: number, maxDownloads: number): Mail {
  return {
    key: `order:${o.id}:downloads`,
    kind: "downloads_ready",
    to: o.customerEmail,
    subject: `${studioName}: your downloads for order #${o.number}`,
    text: `Hello ${o.customerName},\n\nYour photos from order #${o.number} are ready:\n${link}\n\nThe link works ${maxDownloads} times, until ${new Date(expiresAt).toUTCString()}.\n`,
  };
}

export function selectionSubmitted(
  to: string,
  gallery: { id: string; title: string },
  list: { id: string; name: string; ownerName: string; count: number; submittedAt: number },
  dashboard: string,
): Mail {
  return {
    key: `submit:${gallery.id}:${list.id}:${list.submittedAt}`,
    kind: "selection_submitted",
    to,
    subject: `${list.ownerName} sent their selection in ${gallery.title}`,
    text: `${list.ownerName} submitted "${list.name}" with ${list.count} photo${list.count === 1 ? "" : "s"} in ${gallery.title}.\n\nSee it, copy it for Lightroom or download the CSV:\n${dashboard}/#/g/${gallery.id}/proofing\n`,
  };
}

export function galleryInvite(to: string, studioName: string, gallery: { title: string }, name: string, url: string, inviteId: string): Mail {
  return {
    key: `invite:${inviteId}`,
    kind: "gallery_invite",
    to,
    subject: `${studioName}: your photos from ${gallery.title}`,
    text: `Hello ${name},\n\n${studioName} has shared ${gallery.title} with you. Open it here — no password needed:\n${url}\n\nPick your favourites and leave comments; the studio sees them as you go.\n`,
  };
}

export function galleryExpiring(to: string, studioName: string, gallery: { id: string; title: string; expiresAt: number }, url: string): Mail {
  return {
    key: `expiring:${gallery.id}:${gallery.expiresAt}:${to}`,
    kind: "gallery_expiring",
    to,
    subject: `${gallery.title} closes on ${new Date(gallery.expiresAt).toUTCString().slice(0, 16)}`,
    text: `Hello,\n\n${gallery.title} from ${studioName} closes on ${new Date(gallery.expiresAt).toUTCString()}. Finish your selection and orders before then:\n${url}\n`,
  };
}

export function paymentFailed(o: Pick<OrderView, "id" | "number" | "customerName" | "customerEmail">): Mail {
  return {
    key: `order:${o.id}:failed`,
    kind: "payment_failed",
    to: o.customerEmail,
    subject: `Order #${o.number}: the payment did not go through`,
    text: `Hello ${o.customerName},\n\nThe payment for order #${o.number} failed, so the order was cancelled. You can order again from the gallery.\n`,
  };
}

/** One per shipment: a lab may send an order's prints in more than one parcel. */
export function orderShipped(
  o: Pick<OrderView, "id" | "number" | "customerName" | "customerEmail">,
  studioName: string,
  shipment: { id: string; carrier: string; trackingNumber: string | null; trackingUrl: string | null },
  items: string[],
  orderUrl: string,
): Mail {
  const tracking = shipment.trackingNumber
    ? `Tracking number: ${shipment.trackingNumber}${shipment.trackingUrl ? `\nTrack it: ${shipment.trackingUrl}` : ""}`
    : "The carrier has not given a tracking number.";
  return {
    key: `order:${o.id}:shipment:${shipment.id}`,
    kind: "order_shipped",
    to: o.customerEmail,
    subject: `${studioName}: order #${o.number} has shipped`,
    text: `Hello ${o.customerName},\n\nPart of your order #${o.number} is on its way with ${shipment.carrier}:\n${items.map((i) => `  ${i}`).join("\n")}\n\n${tracking}\n\nYour order: ${orderUrl}\n`,
  };
}
