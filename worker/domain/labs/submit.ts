// Sends one lab order to the lab, as the queue consumer's single step. The row is claimed for the
// generation the message names, the order is sent under a key derived from that generation (the
// lab makes it once however often it arrives), and the outcome is written only if the row is
// still the one claimed: a studio who re-sent meanwhile is not overwritten.
import { and, eq } from "drizzle-orm";
import type { ShippingAddress } from "../../contract/store";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { labOrders, orders, photos } from "../../db/tenant-schema";
import type { LabAddress, PrintLab } from "../../labs/lab";
import { AppError } from "../../lib/errors";
import { labCallbackUrl } from "./callbacks";
import { type LabDeps, studioLab } from "./connection";
import { labImageUrl } from "./images";
import type { LabJob } from "./routing";

export type SubmitOutcome = "sent" | "skipped" | "refused" | { retry: string };

const recipientOf = (a: ShippingAddress, email: string): LabAddress => ({
  name: a.name,
  line1: a.line1,
  line2: a.line2 ?? null,
  city: a.city,
  state: a.region ?? null,
  postalCode: a.postalCode,
  countryCode: a.country.toUpperCase(),
  email,
});

/** The studio cancelled while the order was on its way: it is taken back from the lab at once. */
async function takeBack(tdb: TenantDb, lab: PrintLab, orderId: string, labOrderId: string) {
  const outcome = await lab.cancel(labOrderId).catch(() => "too_late" as const);
  const problem =
    outcome === "cancelled"
      ? `Cancelled at the lab (${labOrderId}) as it arrived there.`
      : `Cancelled while on its way, but the lab kept ${labOrderId}: cancel it in the lab's dashboard.`;
  await tdb.update(labOrders, { labOrderId, problem, updatedAt: Date.now() }, and(eq(labOrders.orderId, orderId), eq(labOrders.status, "cancelled")));
}

export async function submitLabOrder(deps: LabDeps & { secret: string; appOrigin: string }, job: LabJob, lastAttempt: boolean): Promise<SubmitOutcome> {
  const { tdb } = deps;
  const current = and(eq(labOrders.orderId, job.orderId), eq(labOrders.generation, job.generation), eq(labOrders.status, "queued"));
  const row = await tdb.first(labOrders, current);
  if (!row) return "skipped";
  const stop = async (status: "refused" | "unreachable", problem: string) => {
    await tdb.update(labOrders, { status, problem, attempts: row.attempts + 1, updatedAt: Date.now() }, current);
    return status === "refused" ? "refused" : "skipped";
  };
  const order = await tdb.first(orders, eq(orders.id, job.orderId));
  if (order?.status === "refunded" || order?.status === "cancelled") {
    await tdb.update(
      labOrders,
      { status: "cancelled", problem: `The order was ${order.status} before it went to the lab; nothing was sent.`, updatedAt: Date.now() },
      current,
    );
    return "skipped";
  }
  if (!order?.shippingAddress) return stop("refused", "The order has no shipping address; add one and send it again.");
  const found = await studioLab(deps);
  if (!found) return stop("unreachable", "No print lab is connected; connect one and send the order again.");

  // Galleries can be proofed before their originals are in: the lab waits for them.
  const photoIds = row.lines.map((l) => l.photoId);
  const stored = await inChunks(photos.id, photoIds, (inChunk) => tdb.selectFields({ id: photos.id, state: photos.originalState }, photos, { where: inChunk }));
  const missing = photoIds.filter((id) => stored.find((p) => p.id === id)?.state !== "stored");
  const wait = async (problem: string): Promise<SubmitOutcome> => {
    if (lastAttempt) return stop("unreachable", problem);
    await tdb.update(labOrders, { attempts: row.attempts + 1, problem, updatedAt: Date.now() }, current);
    return { retry: problem };
  };
  if (missing.length > 0) return wait(`Waiting for ${missing.length} original${missing.length === 1 ? "" : "s"} to finish uploading.`);

  const claims = { tid: tdb.tenantId, oid: order.id, gen: job.generation };
  try {
    const { order: sent } = await found.lab.submit({
      idempotencyKey: `loupe-${tdb.tenantId}-${order.id}-${job.generation}`,
      reference: `Order #${order.number}`,
      recipient: recipientOf(order.shippingAddress, order.customerEmail),
      tier: found.connection.tier,
      callbackUrl: await labCallbackUrl(deps.secret, deps.appOrigin, found.connection.lab, claims),
      lines: await Promise.all(
        row.lines.map(async (l) => ({
          ref: l.ref,
          product: { sku: l.sku, attributes: l.attributes },
          copies: l.copies,
          imageUrl: await labImageUrl(deps.secret, deps.appOrigin, { ...claims, ref: l.ref }),
        })),
      ),
    });
    const now = Date.now();
    const [recorded] = await tdb
      .update(
        labOrders,
        {
          status: "submitted",
          ...found.account,
          labOrderId: sent.labOrderId,
          labStage: sent.labStage,
          problem: null,
          attempts: row.attempts + 1,
          submittedAt: now,
          updatedAt: now,
        },
        current,
      )
      .returning({ orderId: labOrders.orderId });
    // Another delivery of this message may have recorded the same lab order first: only a studio's
    // cancel meanwhile means taking it back.
    if (!recorded && (await tdb.first(labOrders, eq(labOrders.orderId, job.orderId)))?.status === "cancelled")
      await takeBack(tdb, found.lab, job.orderId, sent.labOrderId);
    return "sent";
  } catch (err) {
    if (err instanceof AppError && err.code === "lab_refused") return stop("refused", err.message);
    const why = err instanceof AppError ? err.message : "the lab could not be reached";
    return wait(why);
  }
}
