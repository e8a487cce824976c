// A paid order's prints that the studio maps to lab products go to the lab; everything else stays
// with the studio. The lab row is written in the same batch as the payment's other effects, under
// the order's id, so a payment reported twice routes once; the queue hears of it after the commit.
import { and, eq, lt } from "drizzle-orm";
import { z } from "zod";
import type { LabLineView, LabOrderView } from "../../contract/labs";
import { type OrderLine, physicalKinds } from "../../contract/store";
import { inChunks, oneOf } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { labConnections, labOrders, labProducts, orders } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";

export interface LabJob {
  tenantId: string;
  orderId: string;
  generation: number;
  /** "cancel": the order was refunded in full after it reached the lab. */
  action?: "cancel";
}

type LabOrderRow = typeof labOrders.$inferSelect;
const isPhysical = (l: OrderLine) => (physicalKinds as readonly string[]).includes(l.kind);

/** The order's lab lines: one per photo of each mapped print line, with the mapping as it is now. */
async function labLines(tdb: TenantDb, lines: OrderLine[]): Promise<LabLineView[]> {
  const physical = lines.map((l, i) => ({ l, i })).filter(({ l }) => isPhysical(l));
  if (physical.length === 0) return [];
  const mapped = await inChunks(
    labProducts.itemId,
    physical.map(({ l }) => l.itemId),
    (inChunk) => tdb.select(labProducts, inChunk),
  );
  const byItem = new Map(mapped.map((m) => [m.itemId, m]));
  return physical.flatMap(({ l, i }) => {
    const m = byItem.get(l.itemId);
    if (!m) return [];
    return l.photoIds.map((photoId, k) => ({
      ref: `L${i + 1}-${k + 1}`,
      itemId: l.itemId,
      photoId,
      sku: m.sku,
      attributes: m.attributes,
      copies: l.quantity,
      crop: l.crop ?? null,
    }));
  });
}

/**
 * The statement that hands a paid order's lab lines to the lab (held for review if the studio asks),
 * or null when nothing in it is the lab's. Announce it with announceLabOrder once committed.
 */
export async function labRouting(tdb: TenantDb, order: { id: string; lines: OrderLine[] }) {
  if (!order.lines.some(isPhysical)) return null;
  const connection = await tdb.first(labConnections);
  if (!connection) return null;
  const lines = await labLines(tdb, order.lines);
  if (lines.length === 0) return null;
  const status = connection.holdForReview ? "held" : "queued";
  return { status, statement: tdb.insert(labOrders, { orderId: order.id, lab: connection.lab, status, lines }).onConflictDoNothing() } as const;
}

export async function announceLabOrder(tdb: TenantDb, orderId: string, generation = 0): Promise<void> {
  if (!tdb.labQueue) return;
  // If this fails the row stays queued: the studio's "Send to lab" sends it again.
  await tdb.labQueue.send({ tenantId: tdb.tenantId, orderId, generation } satisfies LabJob).catch((err) => {
    console.error(JSON.stringify({ level: "error", msg: "lab queue send failed", tenantId: tdb.tenantId, orderId, error: String(err) }));
  });
}

/**
 * A refunded order's prints are not made: one not yet at the lab stops here; one at the lab is
 * cancelled there by the queue's consumer (it needs the lab's answer, and may retry).
 */
export async function labRefunded(tdb: TenantDb, orderId: string): Promise<void> {
  const [[stopped], [atLab]] = await tdb.batch([
    tdb
      .update(
        labOrders,
        { status: "cancelled", problem: "The order was refunded before it went to the lab; nothing was sent.", updatedAt: Date.now() },
        and(eq(labOrders.orderId, orderId), oneOf(labOrders.status, ["held", "queued", "refused", "unreachable"])),
      )
      .returning({ orderId: labOrders.orderId }),
    tdb.select(labOrders, and(eq(labOrders.orderId, orderId), oneOf(labOrders.status, ["submitted", "in_production"]))).limit(1),
  ]);
  if (stopped || !atLab || !tdb.labQueue) return;
  await tdb.labQueue.send({ tenantId: tdb.tenantId, orderId, generation: atLab.generation, action: "cancel" } satisfies LabJob);
}

export function labOrderView({ tenantId: _t, generation: _g, createdAt: _c, ...o }: LabOrderRow): LabOrderView {
  return o;
}

/** The order's lab share, or null when the lab makes none of it; not_found for an order that is not the studio's. */
export async function labOrderOf(tdb: TenantDb, orderId: string): Promise<LabOrderView | null> {
  const [[order], [row]] = await tdb.batch([
    tdb.select(orders, eq(orders.id, orderId)).limit(1),
    tdb.select(labOrders, eq(labOrders.orderId, orderId)).limit(1),
  ]);
  if (!order) throw new AppError("not_found", "No such order.");
  return row ? labOrderView(row) : null;
}

const addressSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(120),
    postalCode: z.string().trim().min(1).max(20),
    region: z.string().trim().max(120).optional(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, "must be a two-letter country code")
      .transform((c) => c.toUpperCase()),
  })
  .strict();
export const sendSchema = z.object({ shippingAddress: addressSchema.optional() }).strict();

/** A queued order whose message went missing can be sent again after this long: past the queue's longest backoff (an hour). */
export const STALLED_MS = 2 * 3_600_000;

/**
 * The studio sends an order to the lab: one held for review, one the lab refused (after fixing the
 * address, say), one that could not reach the lab, or one whose queue message was lost. A refused
 * order gets a new idempotency key (the lab made nothing); one that went unanswered keeps its key,
 * in case the lab made it and its answer was lost.
 */
export async function sendToLab(tdb: TenantDb, orderId: string, input: z.infer<typeof sendSchema>, now = Date.now()): Promise<LabOrderView> {
  const row = await tdb.first(labOrders, eq(labOrders.orderId, orderId));
  if (!row) throw new AppError("not_found", "This order has nothing for the lab.");
  const stalled = row.status === "queued" && row.updatedAt < now - STALLED_MS;
  if (!["held", "refused", "unreachable"].includes(row.status) && !stalled)
    throw new AppError("order_conflict", `The lab order is ${row.status.replace("_", " ")}; only a held, refused or unreachable one can be sent again.`);
  if (!(await tdb.first(labConnections))) throw new AppError("lab_not_connected", "No print lab is connected: connect one under Store › Print lab.");
  const order = await tdb.first(orders, eq(orders.id, orderId));
  if (order?.status === "refunded" || order?.status === "cancelled")
    throw new AppError("order_conflict", `Order #${order.number} is ${order.status}; its prints are not sent to the lab.`);
  const generation = row.status === "refused" ? row.generation + 1 : row.generation;
  const [[moved]] = await tdb.batch([
    tdb
      .update(
        labOrders,
        { status: "queued", generation, attempts: 0, problem: null, updatedAt: now },
        and(eq(labOrders.orderId, orderId), eq(labOrders.status, row.status), stalled ? lt(labOrders.updatedAt, now - STALLED_MS) : undefined),
      )
      .returning(),
    ...(input.shippingAddress ? [tdb.update(orders, { shippingAddress: input.shippingAddress, updatedAt: now }, eq(orders.id, orderId))] : []),
  ]);
  if (!moved) throw new AppError("order_conflict", "The lab order changed meanwhile; reload it.");
  await announceLabOrder(tdb, orderId, generation);
  return labOrderView(moved);
}
