// The room's outbox, written into the tenant's D1. Each entry carries the state after its intent,
// and every statement is an upsert or a delete keyed by gallery and client id, so delivering the
// same entries twice (the alarm retried after a partial failure) leaves the same rows.

import { and, eq, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { MirrorEntry } from "../../party/outbox";
import type { TenantDb } from "../db/tenant-db";
import { galleries, galleryVisitors, proofActivity, proofComments, proofLists, proofPicks, studioProfiles } from "../db/tenant-schema";
import { commentAlert, mailPrefs, notificationRow } from "../domain/alerts/alerts";
import { replyNotices } from "../domain/alerts/replies";
import { tryAttempt } from "../domain/limits/attempts";
import { listReopened } from "../domain/mail/client-reminders";
import { selectionSubmitted } from "../domain/mail/messages";
import { commitWithMail, queueMail } from "../domain/mail/outbox";

function statementsFor(tdb: TenantDb, galleryId: string, e: MirrorEntry) {
  const inGallery = (t: { galleryId: SQLiteColumn }) => eq(t.galleryId, galleryId);
  const out = [];
  if (e.list) {
    const { id, name, ownerId, ownerName, createdAt, submittedAt } = e.list;
    const row = { galleryId, id, name, ownerId, ownerName, createdAt, submittedAt };
    out.push(
      tdb.insert(proofLists, row).onConflictDoUpdate({
        target: [proofLists.tenantId, proofLists.galleryId, proofLists.id],
        set: { name, ownerName, submittedAt },
      }),
    );
  }
  if (e.type === "list.delete" && e.listId) {
    out.push(tdb.delete(proofPicks, and(inGallery(proofPicks), eq(proofPicks.listId, e.listId))));
    out.push(tdb.delete(proofLists, and(inGallery(proofLists), eq(proofLists.id, e.listId))));
  }
  if (e.type === "pick" && e.pick) {
    const { listId, photoId, by, at } = e.pick;
    out.push(tdb.insert(proofPicks, { galleryId, listId, photoId, pickedBy: by, pickedAt: at }).onConflictDoNothing());
  }
  if (e.type === "unpick" && e.listId && e.photoId) {
    out.push(tdb.delete(proofPicks, and(inGallery(proofPicks), eq(proofPicks.listId, e.listId), eq(proofPicks.photoId, e.photoId))));
  }
  if (e.comment) {
    const c = e.comment;
    const row = {
      galleryId,
      id: c.id,
      photoId: c.photoId,
      authorId: c.authorId,
      authorName: c.authorName,
      body: c.text,
      resolved: c.resolved,
      replyTo: c.replyTo ?? null,
      createdAt: c.at,
      editedAt: c.editedAt,
    };
    out.push(
      tdb.insert(proofComments, row).onConflictDoUpdate({
        target: [proofComments.tenantId, proofComments.galleryId, proofComments.id],
        set: { body: row.body, resolved: row.resolved, editedAt: row.editedAt },
      }),
    );
  }
  if (e.type === "comment.delete" && e.commentId) {
    out.push(tdb.delete(proofComments, and(inGallery(proofComments), eq(proofComments.id, e.commentId))));
  }
  if (e.type === "limits.set" && e.settings) {
    // The room's limits become the gallery's, so the dashboard's settings form shows them.
    const { minPerList, maxPerList } = e.settings;
    out.push(
      tdb.update(
        galleries,
        {
          selection: sql`json_set(${galleries.selection}, '$.minPerList', json(${JSON.stringify(minPerList)}), '$.maxPerList', json(${JSON.stringify(maxPerList)}))`,
        },
        eq(galleries.id, galleryId),
      ),
    );
  }
  if (e.feed === false) return out;
  out.push(
    tdb
      .insert(proofActivity, {
        galleryId,
        id: e.intentId,
        type: e.type,
        actorId: e.actor.id,
        actorName: e.actor.name,
        actorRole: e.actor.role,
        listId: e.listId,
        photoId: e.photoId,
        commentId: e.commentId,
        detail: detailOf(e),
        at: e.at,
      })
      .onConflictDoNothing(),
  );
  return out;
}

/** What the activity feed shows beyond who, what and where. */
function detailOf(e: MirrorEntry): Record<string, unknown> {
  if (e.type === "list.submit" && e.list) return { listName: e.list.name, count: e.list.count };
  if (e.list) return { listName: e.list.name };
  if (e.type === "comment.add" || e.type === "comment.edit") return { text: e.comment?.text.slice(0, 200) ?? "" };
  if (e.type === "comment.resolve") return { resolved: e.comment?.resolved ?? false };
  if (e.settings) return { locked: e.settings.locked, minPerList: e.settings.minPerList, maxPerList: e.settings.maxPerList };
  return {};
}

/**
 * Writes the entries in one D1 transaction, in the order they were applied. The transaction ends
 * by removing the gallery's proof rows if the gallery is gone, so a batch that commits after the
 * gallery was deleted leaves nothing behind.
 */
export async function mirrorEntries(
  tdb: TenantDb,
  galleryId: string,
  entries: MirrorEntry[],
  origins: { dashboard: string; site: () => Promise<string> },
): Promise<void> {
  const statements = [
    ...entries.flatMap((e) => statementsFor(tdb, galleryId, e)),
    ...(await submissionMails(tdb, galleryId, entries, origins.dashboard)),
    ...(await reopenMails(tdb, galleryId, entries, origins.site)),
    ...(await replyNotices(tdb, galleryId, entries, origins.site)),
    ...(await commentAlerts(tdb, galleryId, entries)),
  ];
  if (statements.length === 0) return;
  const gone = sql`NOT EXISTS (SELECT 1 FROM galleries WHERE tenant_id = ${tdb.tenantId} AND id = ${galleryId})`;
  const sweep = [proofPicks, proofLists, proofComments, proofActivity].map((t) => tdb.delete(t, and(eq(t.galleryId, galleryId), gone)));
  await commitWithMail(tdb, [...statements, ...sweep]);
}

/** A submitted selection is mailed to the studio, in the same transaction as its mirror. */
async function submissionMails(tdb: TenantDb, galleryId: string, entries: MirrorEntry[], dashboard: string) {
  const submits = entries.flatMap((e) => (e.type === "list.submit" && e.list?.submittedAt ? [e.list] : []));
  if (submits.length === 0) return [];
  const [studio, gallery] = await Promise.all([tdb.first(studioProfiles), tdb.first(galleries, eq(galleries.id, galleryId))]);
  if (!gallery) return [];
  const to = studio?.notifyEmail || studio?.contactEmail;
  const mail = !!studio && !!to && mailPrefs(studio).selection_submitted;
  // Every selection is in the dashboard; the mails are budgeted per gallery, since each client
  // identity (cheap for a stranger) can submit lists of its own.
  const mailed = new Set<string>();
  if (mail) for (const l of submits) if (await tryAttempt(tdb, "submitMails", galleryId)) mailed.add(l.id);
  return submits.flatMap((l) => {
    const alert = {
      key: `submit:${gallery.id}:${l.id}:${l.submittedAt}`,
      kind: "selection_submitted" as const,
      title: `${l.ownerName} sent their selection in ${gallery.title}`,
      body: `${l.ownerName} submitted "${l.name}" with ${l.count} photo${l.count === 1 ? "" : "s"}.`,
      link: `#/g/${gallery.id}/proofing`,
    };
    const row = notificationRow(tdb, alert) as never;
    return mailed.has(l.id) ? [row, queueMail(tdb, selectionSubmitted(to!, gallery, { ...l, submittedAt: l.submittedAt! }, dashboard))] : [row];
  });
}

/** A reopened list is mailed to its owner, if they gave the gallery an email. */
async function reopenMails(tdb: TenantDb, galleryId: string, entries: MirrorEntry[], site: () => Promise<string>) {
  const reopened = entries.flatMap((e) => (e.type === "list.reopen" && e.list ? [e.list] : []));
  if (reopened.length === 0) return [];
  const [studio, gallery] = await Promise.all([tdb.first(studioProfiles), tdb.first(galleries, eq(galleries.id, galleryId))]);
  if (!gallery) return [];
  const out = [];
  for (const l of reopened) {
    const owner = await tdb.first(galleryVisitors, and(eq(galleryVisitors.galleryId, galleryId), eq(galleryVisitors.id, l.ownerId)));
    if (!owner?.email) continue;
    const list = { id: l.id, name: l.name, reopenedAt: l.reopenedAt ?? Date.now() };
    out.push(queueMail(tdb, listReopened(owner.email, owner.name, studio?.name ?? "Your photographer", gallery, list, `${await site()}/g/${gallery.id}`)));
  }
  return out;
}

/** Clients' new comments count toward the gallery's hourly alert, mailed later as one digest. */
async function commentAlerts(tdb: TenantDb, galleryId: string, entries: MirrorEntry[]) {
  const added = entries.filter((e) => e.type === "comment.add" && e.actor.role === "client");
  if (added.length === 0) return [];
  const gallery = await tdb.first(galleries, eq(galleries.id, galleryId));
  // Counted in the hour Loupe writes them down, not the hour they were made: a mirror retried after
  // a D1 outage would otherwise add to an hour whose digest went out already, and never be mailed.
  const now = Date.now();
  return gallery ? added.map(() => commentAlert(tdb, gallery, now)) : [];
}
