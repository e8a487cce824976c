// Scheduled work (wrangler.toml [triggers]): every two minutes the mail outbox is sent; once a day
// galleries about to close are announced. Studios are visited one by one through their TenantDb.
import { directoryDb } from "./db/directory-db";
import { tenants } from "./db/directory-schema";
import { tenantDb } from "./db/shards";
import { deliverQueuedMail, queueExpiryNotices } from "./domain/mail/scheduled";
import { siteOrigin } from "./lib/origins";

export const DAILY = "0 9 * * *";

export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const studios = await directoryDb(env).select({ id: tenants.id, slug: tenants.slug, shard: tenants.shard }).from(tenants);
  for (const studio of studios) {
    const tdb = tenantDb(env, studio);
    try {
      if (controller.cron === DAILY) await queueExpiryNotices(tdb, siteOrigin(env, studio.slug));
      await deliverQueuedMail(env, tdb);
    } catch (err) {
      // One studio's failure must not stop the others' mail.
      console.error(JSON.stringify({ level: "error", msg: "scheduled mail failed", tenantId: studio.id, error: String(err) }));
    }
  }
}
