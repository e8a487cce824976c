// The email outbox: mail is written to D1 with the change that causes it, under an id derived from
// that change, so a replayed webhook or a retried request never sends the same mail twice. A
// provider delivers it over HTTP in production (mail/deliver.ts); locally the dev mailbox shows it.
import { desc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { type EmailKind, emailOutbox, type OrderLine } from "../../db/tenant-schema";
import { formatMoney } from "./pricing";

export interface Mail {
  /** Stable for the event the mail is about, e.g. `order:<id>:confirmation`. */
  key: string;
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
}

export function queueMail(tdb: TenantDb, mail: Mail) {
  return tdb.insert(emailOutbox, { id: `em:${mail.key}`, kind: mail.kind, to: mail.to, subject: mail.subject, text: mail.text }).onConflictDoNothing();
}

export async function listMail(tdb: TenantDb, limit = 200) {
  const rows = await tdb.select(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
  return rows.map(({ tenantId: _t, ...m }) => m);
}

export function markMail(tdb: TenantDb, id: string, outcome: { sent: true } | { sent: false; error: string; attempts: number }) {
  return outcome.sent
    ? tdb.update(emailOutbox, { status: "sent", sentAt: Date.now(), lastError: null }, eq(emailOutbox.id, id))
    : tdb.update(
        emailOutbox,
        { status: outcome.attempts >= 5 ? "failed" : "queued", attempts: outcome.attempts, lastError: outcome.error.slice(0, 500) },
        eq(emailOutbox.id, id),
      );
}

interface OrderForMail {
  id: string;
  number: number;
  customerName: string;
  customerEmail: string;
  currency: string;
  lines: OrderLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  paymentMethod: "stripe" | "offline";
}

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
