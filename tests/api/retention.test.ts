// The activity feed keeps a year: the daily run forgets older rows on every shard, and leaves the
// picks and comments themselves (their own tables) and the recent feed alone.
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAILY } from "../../worker/cron";
import { tenantDbById } from "../../worker/db/shards";
import { attemptCounters, proofActivity } from "../../worker/db/tenant-schema";
import { ACTIVITY_RETENTION_MS } from "../../worker/domain/proofing/retention";
import worker from "../../worker/index";
import { galleriesPath, newGallery } from "../helpers/galleries";
import { call, json, signUp } from "../helpers/http";

describe("activity retention", () => {
  it("forgets feed rows older than a year in the daily run, and keeps the rest", async () => {
    const owner = await signUp("retention");
    const galleryId = (await newGallery(owner)).id;
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const now = Date.now();
    const row = (id: string, at: number) => ({ galleryId, id, type: "pick", actorId: "v1", actorName: "Mia", actorRole: "client" as const, detail: {}, at });
    const rows = tdb.insertRows(proofActivity, [
      row("a_ancient", now - ACTIVITY_RETENTION_MS - 86_400_000),
      row("a_last_season", now - ACTIVITY_RETENTION_MS + 86_400_000),
      row("a_today", now),
    ]);
    await tdb.batch(rows as [(typeof rows)[number], ...typeof rows]);

    await worker.scheduled(createScheduledController({ cron: DAILY, scheduledTime: now }), env);
    const feed = await json(await call("GET", `${galleriesPath(owner)}/${galleryId}/activity`, { jar: owner.jar }));
    expect(feed.activity.map((a: { id: string }) => a.id)).toEqual(["a_today", "a_last_season"]);
  });

  it("forgets counters of what strangers tried once their window is long over", async () => {
    const owner = await signUp("retention-attempts");
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const now = Date.now();
    const day = 86_400_000;
    const rows = tdb.insertRows(attemptCounters, [
      { scope: "mailTo", subject: "once@example.test", windowStart: now - 3 * day, count: 1 },
      { scope: "mailTo", subject: "today@example.test", windowStart: now - (now % day), count: 2 },
    ]);
    await tdb.batch(rows as [(typeof rows)[number], ...typeof rows]);
    await worker.scheduled(createScheduledController({ cron: DAILY, scheduledTime: now }), env);
    const left = await tdb.selectFields({ subject: attemptCounters.subject }, attemptCounters);
    expect(left.map((r) => r.subject)).toEqual(["today@example.test"]);
  });
});
