// The studio's notification centre and which alerts also come by mail.
import type { Page } from "./paging";

export const alertKinds = [
  "order_paid",
  "order_waiting",
  "payment_failed",
  "refund",
  "contact_message",
  "comments",
  "selection_submitted",
  "gallery_closing",
] as const;
export type AlertKind = (typeof alertKinds)[number];

export const ALERT_LABELS: Record<AlertKind, string> = {
  order_paid: "A paid order",
  order_waiting: "An offline order waiting for payment",
  payment_failed: "A failed payment",
  refund: "A refund",
  contact_message: "A message from the website",
  comments: "New client comments (an hourly digest)",
  selection_submitted: "A submitted selection",
  gallery_closing: "A gallery about to close",
};

export interface NotificationView {
  id: string;
  kind: AlertKind;
  title: string;
  body: string;
  /** A dashboard address (#/…) to open. */
  link: string;
  count: number;
  createdAt: number;
  readAt: number | null;
}
export type NotificationsResponse = Page<"notifications", NotificationView> & { unread: number };

/** Per kind, whether it also comes by mail (all do unless turned off). */
export type AlertMailPrefs = Record<AlertKind, boolean>;
