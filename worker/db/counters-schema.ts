// Counters in the tenant shards: what strangers try, and how much storage each studio uses.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * What strangers try, counted per subject in fixed windows: new visitors of a gallery, wrong
 * passwords, PINs and discount codes. A window's row is dropped when the subject is counted in a
 * later one, or by the daily sweep.
 */
export const attemptCounters = sqliteTable(
  "attempt_counters",
  {
    tenantId: text("tenant_id").notNull(),
    scope: text("scope").notNull(),
    subject: text("subject").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  // The age index is the daily sweep's, across studios: a subject tried once is never counted again.
  (t) => [primaryKey({ columns: [t.tenantId, t.scope, t.subject, t.windowStart] }), index("attempt_counters_age_idx").on(t.windowStart)],
);

/**
 * The bytes a studio's photos hold, as domain/photos/quota.ts counts them (original, plus masters
 * and derivatives or the reserve for them), kept by triggers on photos (migration
 * 0020_storage_usage): an upload checks its quota against this row instead of summing every
 * photo the studio has.
 */
export const storageUsage = sqliteTable("storage_usage", {
  tenantId: text("tenant_id").primaryKey(),
  used: integer("used").notNull().default(0),
  // What the dashboard's storage meter shows by kind.
  originals: integer("originals").notNull().default(0),
  masters: integer("masters").notNull().default(0),
  derivatives: integer("derivatives").notNull().default(0),
});
