// The lab's status callbacks. Prodigi does not sign them, so the callback address carries a token
// naming the studio and the order, and nothing in the body is believed: the order is read back
// from the lab with the studio's key. States only move forward (a late "in production" after
// "shipped" changes nothing), and each shipment's mail is keyed by the shipment, so a callback
// sent twice mails once.
import { and, eq } from "drizzle-orm";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { LabName, LabOrderStatus } from "../../contract/labs";
import { physicalKinds } from "../../contract/store";
import { oneOf } from "../../db/chunks";
import { labOrders, orders } from "../../db/tenant-schema";
import type { LabStage } from "../../labs/lab";
import { AppError } from "../../lib/errors";
import { orderShipped } from "../mail/messages";
import { commitWithMail, queueMail } from "../mail/outbox";
import { moveOrder } from "../store/order-status";
import { getProfile } from "../studios/profile";
import { accountLab, type LabDeps } from "./connection";

const AUDIENCE = "loupe:lab-callback";
const key = (secret: string) => new TextEncoder().encode(secret);

export interface LabCallbackClaims {
  tid: string;
  oid: string;
  gen: number;
}

/** No expiry: a lab reports a reprint's shipment months later. */
export async function labCallbackUrl(secret: string, appOrigin: string, lab: LabName, claims: LabCallbackClaims): Promise<string> {
  const token = await new SignJWT({ ...claims }).setProtectedHeader({ alg: "HS256" }).setIssuer("loupe").setAudience(AUDIENCE).sign(key(secret));
  return `${appOrigin}/webhooks/labs/${lab}/${token}`;
}

export async function labCallbackClaims(secret: string, token: string): Promise<LabCallbackClaims> {
  const invalid = () => new AppError("signature_invalid", "This callback address is not one Loupe gave a lab.");
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE });
    const { tid, oid, gen } = payload as Partial<LabCallbackClaims>;
    if (typeof tid !== "string" || typeof oid !== "string" || typeof gen !== "number") throw invalid();
    return { tid, oid, gen };
  } catch (err) {
    if (err instanceof AppError || err instanceof joseErrors.JOSEError) throw invalid();
    throw err;
  }
}

/** A CloudEvent as Prodigi posts it; only the order's id is read, to check it is this order. */
export const callbackSchema = z.object({ type: z.string().max(200), data: z.object({ order: z.object({ id: z.string().max(100) }) }) });

const NEXT: Partial<Record<LabStage, { to: LabOrderStatus; from: LabOrderStatus[] }>> = {
  in_production: { to: "in_production", from: ["submitted"] },
  shipped: { to: "shipped", from: ["submitted", "in_production", "shipped"] },
  cancelled: { to: "cancelled", from: ["submitted", "in_production"] },
};

export async function applyLabCallback(
  deps: LabDeps & { site: string },
  claims: LabCallbackClaims,
  event: z.infer<typeof callbackSchema>,
): Promise<{ status: LabOrderStatus }> {
  const { tdb } = deps;
  const row = await tdb.first(labOrders, and(eq(labOrders.orderId, claims.oid), eq(labOrders.generation, claims.gen)));
  if (!row?.labOrderId || event.data.order.id !== row.labOrderId)
    throw new AppError("not_found", `No order ${event.data.order.id} was sent to the lab from this address.`);
  // The account the order went to, even if the studio has since disconnected or switched.
  const lab = await accountLab(deps, row);
  if (!lab) return { status: row.status };
  const actual = await lab.order(row.labOrderId);
  if (!actual) throw new AppError("not_found", `The lab has no order ${row.labOrderId}.`);

  const move = NEXT[actual.stage];
  const issues = actual.issues.map((i) => i.message).join("; ") || null;
  // Without a move, only a live order takes the lab's news: an ended one keeps what it says.
  const [updated] = await tdb
    .update(
      labOrders,
      { ...(move && { status: move.to }), labStage: actual.labStage, shipments: actual.shipments, problem: issues, updatedAt: Date.now() },
      and(eq(labOrders.orderId, row.orderId), eq(labOrders.generation, claims.gen), oneOf(labOrders.status, move?.from ?? ["submitted", "in_production"])),
    )
    .returning({ status: labOrders.status });
  if (!updated || move?.to !== "shipped") return { status: updated?.status ?? row.status };

  const order = await tdb.first(orders, eq(orders.id, row.orderId));
  if (!order) throw new AppError("not_found", "No such order.");
  const studio = (await getProfile(tdb)).name;
  const nameOf = new Map(row.lines.map((l) => [l.ref, `${l.copies} × ${order.lines.find((o) => o.itemId === l.itemId)?.name ?? l.sku}`]));
  const orderUrl = `${deps.site}/g/${order.galleryId}`;
  // Keyed by the shipment: a callback sent twice, or a crash after the update, mails once.
  await commitWithMail(
    tdb,
    actual.shipments
      .filter((sh) => sh.shippedAt)
      .map((sh) => queueMail(tdb, orderShipped(order, studio, sh, [...new Set(sh.lineRefs.map((r) => nameOf.get(r) ?? r))], orderUrl))),
  );

  // When the lab made everything physical in the order, the order itself has shipped.
  const physical = order.lines.filter((l) => (physicalKinds as readonly string[]).includes(l.kind));
  const allAtLab = physical.every((l) => row.lines.some((r) => r.itemId === l.itemId));
  const tracking = actual.shipments.find((s) => s.trackingNumber)?.trackingNumber;
  if (allAtLab) await moveOrder(tdb, order.id, ["paid", "fulfilled"], { status: "shipped", trackingNumber: tracking ?? null });
  return { status: updated.status };
}
