// How long the activity feed remembers, and the counters of what strangers tried (a day or two).
// Picks, comments and lists live in their own tables for as long as the gallery does; the feed is
// their history, and a year of it covers a studio's season and the album that follows. Swept
// daily, shard by shard, oldest first, a bounded amount a run.
import { forgetActivity, forgetAttempts } from "../../db/platform-work";
import { shardBinding } from "../../db/shards";

export const ACTIVITY_RETENTION_MS = 365 * 86_400_000;
const PER_STATEMENT = 5_000;
const STATEMENTS_PER_RUN = 20;

/** Deletes feed rows past retention on one shard; what is left over goes on the next run. */
export async function forgetOldActivity(env: Env, shard: number, now = Date.now()): Promise<number> {
  const d1 = shardBinding(env, shard);
  let forgotten = 0;
  for (let i = 0; i < STATEMENTS_PER_RUN; i++) {
    const n = await forgetActivity(d1, now - ACTIVITY_RETENTION_MS, PER_STATEMENT);
    forgotten += n;
    if (n < PER_STATEMENT) break;
  }
  return forgotten;
}

/** Attempt counters whose windows ended more than a day ago (the longest window is a day). */
export async function forgetOldAttempts(env: Env, shard: number, now = Date.now()): Promise<number> {
  const d1 = shardBinding(env, shard);
  let forgotten = 0;
  for (let i = 0; i < STATEMENTS_PER_RUN; i++) {
    const n = await forgetAttempts(d1, now - 2 * 86_400_000, PER_STATEMENT);
    forgotten += n;
    if (n < PER_STATEMENT) break;
  }
  return forgotten;
}
