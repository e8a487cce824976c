// Comment digests: once the hour a gallery's comment alert counts is over, the scheduled run mails
// it (if the studio wants comment mail) and marks it done, one statement batch per studio.
import { and, eq } from "drizzle-orm";
import { chunked, oneOf } from "../../db/chunks";
import type { DirectoryDb } from "../../db/directory-db";
import { dueDigests, settleDigests } from "../../db/platform-work";
import { shardBinding, tenantDb } from "../../db/shards";
import { notifications, studioProfiles } from "../../db/tenant-schema";
import { dashboardOrigin } from "../../lib/origins";
import { commitWithMail, queueMail } from "../mail/outbox";
import { studiosByIds } from "../studios/directory";
import { alertMail, mailPrefs } from "./alerts";

const HOUR = 3_600_000;
const PER_RUN = 200;

export async function mailCommentDigests(env: Env, dir: DirectoryDb, shard: number, now = Date.now()): Promise<number> {
  const work = await dueDigests(shardBinding(env, shard), Math.floor(now / HOUR) * HOUR, PER_RUN);
  const byStudio = new Map<string, string[]>();
  for (const w of work) byStudio.set(w.tenantId, [...(byStudio.get(w.tenantId) ?? []), w.id]);
  const studios = await studiosByIds(dir, [...byStudio.keys()]);
  const gone = [...byStudio.keys()].filter((id) => !studios.some((s) => s.id === id));
  for (const ids of chunked(gone)) await settleDigests(shardBinding(env, shard), ids);
  for (const studio of studios) {
    try {
      const tdb = tenantDb(env, studio);
      const profile = await tdb.first(studioProfiles);
      const to = profile?.notifyEmail || profile?.contactEmail;
      const mail = profile && to && mailPrefs(profile).comments;
      for (const ids of chunked(byStudio.get(studio.id)!)) {
        const rows = await tdb.select(notifications, oneOf(notifications.id, ids));
        await commitWithMail(tdb, [
          ...(mail
            ? rows.map((r) =>
                queueMail(tdb, alertMail({ key: r.id, kind: "comments", title: r.title, body: r.body, link: r.link }, to, profile, dashboardOrigin(env))),
              )
            : []),
          tdb.update(notifications, { mailState: "done" }, and(oneOf(notifications.id, ids), eq(notifications.mailState, "digest"))),
        ] as never[]);
      }
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "comment digest failed", tenantId: studio.id, error: String(err) }));
    }
  }
  return work.length;
}
