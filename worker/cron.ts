// Scheduled work (wrangler.toml [triggers]): every ten minutes, mail and lab orders whose queue
// message was lost are sent again and custom domains waiting on DNS are checked; once a day, galleries about to close are announced, and the activity feed past
// its retention and stale sign-in failure counts are forgotten. Each run asks each shard what there is to do: its cost follows the
// work, not the number of studios.
import { directoryDb } from "./db/directory-db";
import { shardIndexes } from "./db/shards";
import { forgetOldLinks } from "./domain/accounts/links";
import { forgetOldLocks } from "./domain/accounts/lockout";
import { mailCommentDigests } from "./domain/alerts/digest";
import { refreshDomains } from "./domain/domains/domains";
import { resendStalledLabOrders } from "./domain/labs/scheduled";
import { resendStalledAccountMail } from "./domain/mail/account-mail";
import { queueDueReminders, queueExpiryNotices, resendStalledMail } from "./domain/mail/scheduled";
import { forgetOldActivity, forgetOldAttempts } from "./domain/proofing/retention";

export const DAILY = "0 9 * * *";

export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const dir = directoryDb(env);
  const logFailure = (what: string) => (err: unknown) => console.error(JSON.stringify({ level: "error", msg: `${what} failed`, error: String(err) }));
  if (controller.cron === DAILY) {
    await forgetOldLocks(dir).catch(logFailure("forgetting old sign-in locks"));
    await forgetOldLinks(dir).catch(logFailure("forgetting old account links"));
  }
  await resendStalledAccountMail(env, dir).catch(logFailure("resending stalled account mail"));
  await refreshDomains(env, dir).catch(logFailure("refreshing custom domains"));
  for (const shard of shardIndexes(env)) {
    try {
      if (controller.cron === DAILY) {
        await queueExpiryNotices(env, dir, shard);
        await queueDueReminders(env, dir, shard);
        await forgetOldActivity(env, shard);
        await forgetOldAttempts(env, shard);
      }
      await resendStalledMail(env, dir, shard);
      await resendStalledLabOrders(env, dir, shard, controller.scheduledTime);
      await mailCommentDigests(env, dir, shard);
    } catch (err) {
      // One shard's failure must not stop the others'.
      console.error(JSON.stringify({ level: "error", msg: "scheduled work failed", shard, error: String(err) }));
    }
  }
}
