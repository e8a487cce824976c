// Taking an order's prints back from the lab: one not yet sent is simply not sent; one at the lab
// is cancelled there if the lab has not started making it, and otherwise the studio is told it is
// too late (Prodigi allows cancelling only before production).
import { and, eq } from "drizzle-orm";
import type { LabOrderStatus, LabOrderView } from "../../contract/labs";
import { oneOf } from "../../db/chunks";
import { labOrders } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { accountLab, type LabDeps, notConnected } from "./connection";
import { labOrderView } from "./routing";

const NOT_SENT: LabOrderStatus[] = ["held", "queued", "refused", "unreachable"];

export async function cancelAtLab(deps: LabDeps, orderId: string, why = "by the studio"): Promise<LabOrderView> {
  const { tdb } = deps;
  const row = await tdb.first(labOrders, eq(labOrders.orderId, orderId));
  if (!row) throw new AppError("not_found", "This order has nothing for the lab.");
  const cancel = async (patch: { labStage?: string; problem: string }, from: LabOrderStatus[]) => {
    const [moved] = await tdb
      .update(labOrders, { status: "cancelled", ...patch, updatedAt: Date.now() }, and(eq(labOrders.orderId, orderId), oneOf(labOrders.status, from)))
      .returning();
    if (moved) return labOrderView(moved);
    // A callback may have said "cancelled" first: the studio's wish is done all the same.
    const now = await tdb.first(labOrders, eq(labOrders.orderId, orderId));
    if (now?.status === "cancelled") return labOrderView(now);
    throw new AppError("order_conflict", "The lab order changed meanwhile; reload it.");
  };
  // One that went unanswered may exist at the lab all the same: the studio is told where to look.
  if (NOT_SENT.includes(row.status))
    return cancel(
      {
        problem:
          row.attempts > 0 && row.status !== "refused"
            ? "Cancelled by the studio; the lab never answered, so check its dashboard for this order."
            : "Cancelled by the studio before it went to the lab.",
      },
      [row.status],
    );
  if ((row.status === "submitted" || row.status === "in_production") && row.labOrderId) {
    const lab = await accountLab(deps, row);
    if (!lab) throw notConnected();
    if ((await lab.cancel(row.labOrderId)) === "too_late")
      throw new AppError("order_conflict", `The lab has started making ${row.labOrderId}; it can no longer be cancelled there.`);
    return cancel({ labStage: "Cancelled", problem: `Cancelled at the lab ${why}.` }, ["submitted", "in_production"]);
  }
  throw new AppError("order_conflict", `The lab order is ${row.status.replace("_", " ")}; it can no longer be cancelled.`);
}

/** The queue's step for an order refunded at the lab: cancelled there if the lab has not started it. */
export async function cancelRefunded(deps: LabDeps, orderId: string): Promise<void> {
  try {
    await cancelAtLab(deps, orderId, "because the order was refunded");
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "order_conflict") throw err;
    const problem = "The order was refunded after the lab started making it: it will still be made and shipped.";
    await deps.tdb.update(
      labOrders,
      { problem, updatedAt: Date.now() },
      and(eq(labOrders.orderId, orderId), oneOf(labOrders.status, ["submitted", "in_production", "shipped"])),
    );
  }
}
