// Platform work on one shard, across its studios on purpose: what the cron must do next, found
// with one query per shard on a partial index made for it (so it holds only pending work), never
// by visiting every studio. Each row names its studio; the work itself goes through a TenantDb.
import { and, asc, gt, isNotNull, isNull, type Logger, lt, lte, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { oneOf } from "./chunks";
import { attemptCounters, emailOutbox, galleries, labOrders, notifications, proofActivity } from "./tenant-schema";

export interface StudioWork {
  tenantId: string;
  id: string;
}

/** Queued mail whose queue message was lost (older than `olderThan`, not being sent): email_outbox_pending_idx. */
export async function stalledMail(d1: D1Database, olderThan: number, now: number, limit: number, logger?: Logger): Promise<StudioWork[]> {
  return (
    drizzle(d1, { logger })
      .select({ tenantId: emailOutbox.tenantId, id: emailOutbox.id })
      .from(emailOutbox)
      // The literal, not a parameter: SQLite uses a partial index only for the term it was made with.
      .where(
        and(sql`${emailOutbox.status} = 'queued'`, lt(emailOutbox.createdAt, olderThan), or(isNull(emailOutbox.leasedUntil), lt(emailOutbox.leasedUntil, now))),
      )
      .orderBy(asc(emailOutbox.createdAt))
      .limit(limit)
  );
}

/** Galleries closing in (from, to]: galleries_expiry_idx. */
export async function closingGalleries(d1: D1Database, from: number, to: number, limit: number, logger?: Logger): Promise<StudioWork[]> {
  return drizzle(d1, { logger })
    .select({ tenantId: galleries.tenantId, id: galleries.id })
    .from(galleries)
    .where(and(isNotNull(galleries.expiresAt), gt(galleries.expiresAt, from), lte(galleries.expiresAt, to)))
    .orderBy(asc(galleries.expiresAt))
    .limit(limit);
}

/** Galleries whose selection is due in (from, to]: galleries_due_idx. */
export async function dueGalleries(d1: D1Database, from: number, to: number, limit: number, logger?: Logger): Promise<StudioWork[]> {
  return drizzle(d1, { logger })
    .select({ tenantId: galleries.tenantId, id: galleries.id })
    .from(galleries)
    .where(and(isNotNull(galleries.dueAt), gt(galleries.dueAt, from), lte(galleries.dueAt, to)))
    .orderBy(asc(galleries.dueAt))
    .limit(limit);
}

/** Deletes up to `limit` activity rows older than `before`, oldest first: proof_activity_age_idx. */
export async function forgetActivity(d1: D1Database, before: number, limit: number, logger?: Logger): Promise<number> {
  const res = await drizzle(d1, { logger })
    .delete(proofActivity)
    .where(sql`rowid IN (SELECT rowid FROM ${proofActivity} WHERE ${proofActivity.at} < ${before} ORDER BY ${proofActivity.at} LIMIT ${limit})`);
  return res.meta.changes;
}

/** Counters of windows that ended before `before`, at most `limit` of them; how many went. */
export async function forgetAttempts(d1: D1Database, before: number, limit: number): Promise<number> {
  const res = await drizzle(d1)
    .delete(attemptCounters)
    .where(sql`rowid IN (SELECT rowid FROM ${attemptCounters} WHERE ${attemptCounters.windowStart} < ${before} LIMIT ${limit})`);
  return res.meta.changes;
}

/** Marks the digests of studios that no longer exist as done, so they do not hold the queue. */
export async function settleDigests(d1: D1Database, tenantIds: string[], logger?: Logger): Promise<void> {
  if (tenantIds.length === 0) return;
  await drizzle(d1, { logger })
    .update(notifications)
    .set({ mailState: "done" })
    .where(and(sql`${notifications.mailState} = 'digest'`, oneOf(notifications.tenantId, tenantIds)));
}

/** Comment alerts of an hour that has ended, still to mail as a digest: notifications_digest_idx. */
export async function dueDigests(d1: D1Database, before: number, limit: number, logger?: Logger): Promise<StudioWork[]> {
  return drizzle(d1, { logger })
    .select({ tenantId: notifications.tenantId, id: notifications.id })
    .from(notifications)
    .where(and(sql`${notifications.mailState} = 'digest'`, lt(notifications.createdAt, before)))
    .orderBy(asc(notifications.createdAt))
    .limit(limit);
}

/** Lab orders queued before `olderThan` (their queue message lost, or its retries spent): lab_orders_queued_idx. */
export async function stalledLabOrders(d1: D1Database, olderThan: number, limit: number, logger?: Logger): Promise<StudioWork[]> {
  return drizzle(d1, { logger })
    .select({ tenantId: labOrders.tenantId, id: labOrders.orderId })
    .from(labOrders)
    .where(and(sql`${labOrders.status} = 'queued'`, lt(labOrders.updatedAt, olderThan)))
    .orderBy(asc(labOrders.updatedAt))
    .limit(limit);
}
