// Who a gallery's visitors are: everyone who entered it with a name, and every client the studio
// invited, with when they came, what they picked and what they downloaded. New identities are
// budgeted per gallery where they are made (access.ts), so the list a stranger can grow is bounded.
import { and, count, eq, sql } from "drizzle-orm";
import type { VisitorView } from "../../contract/visitors";
import { inChunks } from "../../db/chunks";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { galleryVisitors, proofPicks } from "../../db/tenant-schema";
import { galleryRow } from "./view";

export interface Visitor {
  visitorId: string;
  name: string | null;
  email: string | null;
  invited: boolean;
}

// A page view writes at most once in this long per visitor: "last visit" needs no finer grain.
const SEEN_GRAIN_MS = 10 * 60 * 1000;

/** A visit: the row is made on the first one, and keeps the newest name and email given. */
export async function recordVisit(tdb: TenantDb, galleryId: string, who: Visitor, now = Date.now()): Promise<void> {
  await tdb
    .insert(galleryVisitors, { galleryId, id: who.visitorId, name: who.name, email: who.email, invited: who.invited, firstSeen: now, lastSeen: now })
    .onConflictDoUpdate({
      target: [galleryVisitors.tenantId, galleryVisitors.galleryId, galleryVisitors.id],
      set: {
        name: sql`coalesce(excluded.name, ${galleryVisitors.name})`,
        email: sql`coalesce(excluded.email, ${galleryVisitors.email})`,
        invited: sql`${galleryVisitors.invited} OR excluded.invited`,
        firstSeen: sql`coalesce(${galleryVisitors.firstSeen}, excluded.first_seen)`,
        lastSeen: sql`excluded.last_seen`,
      },
    });
}

/** A page view by a known visitor: "last visit" moves, at most one write per SEEN_GRAIN_MS. */
export async function touchVisitor(tdb: TenantDb, galleryId: string, who: Visitor, now = Date.now()): Promise<void> {
  await tdb
    .insert(galleryVisitors, { galleryId, id: who.visitorId, name: who.name, email: who.email, invited: who.invited, firstSeen: now, lastSeen: now })
    .onConflictDoUpdate({
      target: [galleryVisitors.tenantId, galleryVisitors.galleryId, galleryVisitors.id],
      set: { lastSeen: sql`excluded.last_seen`, firstSeen: sql`coalesce(${galleryVisitors.firstSeen}, excluded.first_seen)` },
      setWhere: sql`${galleryVisitors.lastSeen} IS NULL OR ${galleryVisitors.lastSeen} < ${now - SEEN_GRAIN_MS}`,
    });
}

/** An invited client is on the list before they open the gallery, so reminders can reach them. */
export async function recordInvite(tdb: TenantDb, galleryId: string, who: Omit<Visitor, "invited">): Promise<void> {
  await tdb.insert(galleryVisitors, { galleryId, id: who.visitorId, name: who.name, email: who.email, invited: true }).onConflictDoNothing();
}

export const listQuery = pageQuery.strict();

/** The gallery's visitors, newest first: the dashboard's list. */
export async function visitorList(tdb: TenantDb, galleryId: string, q: PageQuery) {
  await galleryRow(tdb, galleryId);
  return listVisitors(tdb, galleryId, q);
}

/** Newest first; each with the favourites they picked across their lists. */
async function listVisitors(tdb: TenantDb, galleryId: string, q: PageQuery): Promise<{ visitors: VisitorView[]; next: string | null }> {
  const { after, orderBy } = keyset([galleryVisitors.createdAt, galleryVisitors.id], "desc", q.cursor);
  const rows = await tdb
    .select(galleryVisitors, and(eq(galleryVisitors.galleryId, galleryId), after))
    .orderBy(...orderBy)
    .limit(pageSize(q));
  const page = pageOf(
    rows,
    q,
    (r) => [r.createdAt, r.id],
    (r) => r,
  );
  const picks = await inChunks(
    proofPicks.pickedBy,
    page.items.map((r) => r.id),
    (inChunk) =>
      tdb.selectFields({ by: proofPicks.pickedBy, n: count() }, proofPicks, {
        where: and(eq(proofPicks.galleryId, galleryId), inChunk),
        groupBy: [proofPicks.pickedBy],
      }),
  );
  const favourites = new Map(picks.map((p) => [p.by, p.n]));
  return {
    visitors: page.items.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      invited: r.invited,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      favourites: favourites.get(r.id) ?? 0,
      downloads: r.downloads,
    })),
    next: page.next,
  };
}

/** Visitors with an email, for reminders: a page at a time, oldest first. */
export async function visitorsWithEmail(tdb: TenantDb, galleryId: string, cursor?: string) {
  const { after, orderBy } = keyset([galleryVisitors.createdAt, galleryVisitors.id], "asc", cursor);
  const q = { limit: 100, cursor };
  const rows = await tdb
    .select(galleryVisitors, and(eq(galleryVisitors.galleryId, galleryId), sql`${galleryVisitors.email} IS NOT NULL`, after))
    .orderBy(...orderBy)
    .limit(pageSize(q));
  return pageOf(
    rows,
    q,
    (r) => [r.createdAt, r.id],
    (r) => r,
  );
}
