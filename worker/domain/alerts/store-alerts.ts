// What the store tells the studio: a paid order, an offline order waiting for its payment, a
// payment that failed, a refund. Each is keyed by the order (and the refunded total), so a
// redelivered webhook or a repeated fulfilment raises it once.
import type { TenantDb } from "../../db/tenant-db";
import type { orders } from "../../db/tenant-schema";
import { formatMoney } from "../../lib/money";
import { type Alert, alertStatements } from "./alerts";

type Order = Pick<typeof orders.$inferSelect, "id" | "number" | "customerName" | "total" | "refunded" | "currency">;

const link = "#/store/orders";
const money = (o: Order, n: number) => formatMoney(n, o.currency);

export const orderPaidAlert = (o: Order): Alert => ({
  key: `order:${o.id}:paid`,
  kind: "order_paid",
  title: `Order #${o.number} paid: ${money(o, o.total)}`,
  body: `${o.customerName} paid ${money(o, o.total)} for order #${o.number}.`,
  link,
});

export const orderWaitingAlert = (o: Order): Alert => ({
  key: `order:${o.id}:waiting`,
  kind: "order_waiting",
  title: `Order #${o.number} waits for payment`,
  body: `${o.customerName} placed order #${o.number} for ${money(o, o.total)} and chose to pay you directly. Mark it paid once the money is in.`,
  link,
});

export const paymentFailedAlert = (o: Order): Alert => ({
  key: `order:${o.id}:failed`,
  kind: "payment_failed",
  title: `Order #${o.number}: the payment failed`,
  body: `The card payment of ${money(o, o.total)} by ${o.customerName} for order #${o.number} failed, and the order was cancelled.`,
  link,
});

export const refundAlert = (o: Order): Alert => ({
  key: `order:${o.id}:refunded:${o.refunded}`,
  kind: "refund",
  title: `Order #${o.number}: ${money(o, o.refunded)} refunded`,
  body: `${money(o, o.refunded)} of ${money(o, o.total)} for order #${o.number} (${o.customerName}) has been refunded.`,
  link,
});

export const storeAlert = (tdb: TenantDb, alert: Alert, dashboard?: string) => alertStatements(tdb, alert, { dashboard });
