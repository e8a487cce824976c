// What the cron does with mail (worker/cron.ts), shard by shard, scaling with the work found and
// not with the number of studios. Every ten minutes, mail whose queue message was lost (the
// producer failed after the commit) is announced again. Once a day, galleries closing within
// three days are announced once to the studio, their buyers and their registered visitors, and
// clients who have not sent a selection due within three days are reminded (three days and one day
// before).

import { and, eq, isNotNull } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { closingGalleries, dueGalleries, type StudioWork, stalledMail } from "../../db/platform-work";
import { shardBinding, tenantDb } from "../../db/shards";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, orders, proofLists, studioProfiles } from "../../db/tenant-schema";
import { siteOrigin } from "../../lib/origins";
import { mailPrefs, notificationRow } from "../alerts/alerts";
import { servingOrigin } from "../domains/domains";
import { visitorsWithEmail } from "../galleries/visitors";
import { studiosByIds } from "../studios/directory";
import { selectionDue } from "./client-reminders";
import { galleryExpiring } from "./messages";
import { announceMail, commitWithMail, queueMail } from "./outbox";

export const EXPIRY_NOTICE_MS = 3 * 86_400_000;
// A queue message normally arrives in seconds; older queued mail lost its message.
const STALLED_AFTER_MS = 5 * 60_000;
// Per shard and run: a backlog larger than this is worked off over the next runs.
const PER_RUN = 500;

/** The found work, studio by studio, each with its TenantDb. */
/** Runs `each` once per studio named in `work`, with that studio's ids; one studio's failure stops no other. */
export async function byStudio(env: Env, dir: DirectoryDb, work: StudioWork[], each: (tdb: TenantDb, ids: string[]) => Promise<void>): Promise<void> {
  const ids = new Map<string, string[]>();
  for (const w of work) ids.set(w.tenantId, [...(ids.get(w.tenantId) ?? []), w.id]);
  for (const studio of await studiosByIds(dir, [...ids.keys()])) {
    try {
      await each(tenantDb(env, studio), ids.get(studio.id)!);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "scheduled work failed for a studio", tenantId: studio.id, error: String(err) }));
    }
  }
}

export async function resendStalledMail(env: Env, dir: DirectoryDb, shard: number, now = Date.now()): Promise<number> {
  if (!env.EMAIL_API_URL) return 0;
  const work = await stalledMail(shardBinding(env, shard), now - STALLED_AFTER_MS, now, PER_RUN);
  await byStudio(env, dir, work, (tdb, ids) => announceMail(tdb, ids));
  return work.length;
}

/** Each found gallery with its studio's profile and the origin its links go to; returns how many mails were queued. */
async function eachGallery(
  env: Env,
  dir: DirectoryDb,
  work: StudioWork[],
  each: (
    tdb: TenantDb,
    g: typeof galleries.$inferSelect,
    studio: { name: string; profile: typeof studioProfiles.$inferSelect | undefined; site: string },
  ) => Promise<number>,
): Promise<number> {
  let queued = 0;
  await byStudio(env, dir, work, async (tdb, galleryIds) => {
    const profile = await tdb.first(studioProfiles);
    const site = (await servingOrigin(dir, tdb.tenantId)) ?? siteOrigin(env, tdb.tenant.slug);
    for (const id of galleryIds) {
      const g = await tdb.first(galleries, eq(galleries.id, id));
      if (g) queued += await each(tdb, g, { name: profile?.name ?? "Your photographer", profile, site });
    }
  });
  return queued;
}

/** Queues mails a batch at a time: a gallery's visitors can be many more than one batch should hold. */
async function commitInBatches(tdb: TenantDb, statements: Parameters<typeof commitWithMail>[1]): Promise<void> {
  for (let i = 0; i < statements.length; i += 50) await commitWithMail(tdb, statements.slice(i, i + 50));
}

/** Galleries closing within three days: the studio, the gallery's buyers and its registered visitors are told once. */
export async function queueExpiryNotices(env: Env, dir: DirectoryDb, shard: number, now = Date.now()): Promise<number> {
  const work = await closingGalleries(shardBinding(env, shard), now, now + EXPIRY_NOTICE_MS, PER_RUN);
  return eachGallery(env, dir, work, async (tdb, g, studio) => {
    if (!g.expiresAt) return 0;
    const buyers = await tdb.selectFields({ email: orders.customerEmail }, orders, { where: eq(orders.galleryId, g.id), groupBy: [orders.customerEmail] });
    const studioTo = studio.profile && mailPrefs(studio.profile).gallery_closing ? studio.profile.notifyEmail || studio.profile.contactEmail : "";
    const visitors = await registeredEmails(tdb, g.id);
    const to = new Set([studioTo, ...buyers.map((b) => b.email), ...visitors.map((v) => v.email)].filter((e): e is string => !!e));
    const gallery = { id: g.id, title: g.title, expiresAt: g.expiresAt };
    const mails = [...to].map((email) => queueMail(tdb, galleryExpiring(email, studio.name, gallery, `${studio.site}/g/${g.id}`)));
    // Every mail and the alert are keyed by gallery and closing date (mails by address too): the
    // daily runs of the three days, and a run cut short between batches, add only what is missing.
    const alert = notificationRow(tdb, {
      key: `expiring:${g.id}:${g.expiresAt}`,
      kind: "gallery_closing",
      title: `${g.title} closes on ${new Date(g.expiresAt).toUTCString().slice(0, 16)}`,
      body: `${g.title} closes in less than three days; its clients were reminded.`,
      link: `#/g/${g.id}/settings`,
    });
    await commitInBatches(tdb, [...mails, alert as never]);
    return mails.length;
  });
}

// A gallery's visitors with an email, read a page at a time; new identities are budgeted per gallery.
const MAX_REMINDED = 2_000;
async function registeredEmails(tdb: TenantDb, galleryId: string) {
  const out: { id: string; name: string | null; email: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await visitorsWithEmail(tdb, galleryId, cursor);
    out.push(...page.items.map((v) => ({ id: v.id, name: v.name, email: v.email! })));
    cursor = page.next ?? undefined;
  } while (cursor && out.length < MAX_REMINDED);
  return out;
}

/** Selections due within three days: each client with an email who has not sent one is reminded. */
export async function queueDueReminders(env: Env, dir: DirectoryDb, shard: number, now = Date.now()): Promise<number> {
  const work = await dueGalleries(shardBinding(env, shard), now, now + EXPIRY_NOTICE_MS, PER_RUN);
  return eachGallery(env, dir, work, async (tdb, g, studio) => {
    if (!g.dueAt) return 0;
    const sent = await tdb.selectFields({ ownerId: proofLists.ownerId }, proofLists, {
      where: and(eq(proofLists.galleryId, g.id), isNotNull(proofLists.submittedAt)),
    });
    const done = new Set(sent.map((l) => l.ownerId));
    const gallery = { id: g.id, title: g.title, dueAt: g.dueAt, locks: !!g.selection.lockAtDue };
    const mails = (await registeredEmails(tdb, g.id))
      .filter((v) => !done.has(v.id))
      .map((v) => queueMail(tdb, selectionDue(v.email, v.name, studio.name, gallery, `${studio.site}/g/${g.id}`, now)));
    await commitInBatches(tdb, mails);
    return mails.length;
  });
}
