// The cron's part in print labs: an order queued for the lab whose queue message was lost, or
// whose retries were all spent on a failing database, is announced again once it has waited
// longer than the queue's longest backoff. Marked as touched, so one run does not repeat it.
import { and, eq } from "drizzle-orm";
import { statementsInChunks } from "../../db/chunks";
import type { DirectoryDb } from "../../db/directory-db";
import { stalledLabOrders } from "../../db/platform-work";
import { shardBinding } from "../../db/shards";
import { labOrders } from "../../db/tenant-schema";
import { byStudio } from "../mail/scheduled";
import { announceLabOrder, STALLED_MS } from "./routing";

const PER_RUN = 200;

export async function resendStalledLabOrders(env: Env, dir: DirectoryDb, shard: number, now = Date.now()): Promise<number> {
  const work = await stalledLabOrders(shardBinding(env, shard), now - STALLED_MS, PER_RUN);
  await byStudio(env, dir, work, async (tdb, ids) => {
    const touched = statementsInChunks(labOrders.orderId, ids, (inChunk) =>
      tdb
        .update(labOrders, { updatedAt: now }, and(inChunk, eq(labOrders.status, "queued")))
        .returning({ orderId: labOrders.orderId, generation: labOrders.generation }),
    );
    const [first, ...rest] = touched;
    if (!first) return;
    for (const rows of await tdb.batch([first, ...rest])) for (const r of rows) await announceLabOrder(tdb, r.orderId, r.generation);
  });
  return work.length;
}
