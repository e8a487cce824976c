// Replies in a photo's thread, as the room mirrors them: the photographer's reply is mailed to the
// client who started the thread (if they gave the gallery an email), and a client's reply is named
// in the studio's hourly comment digest ("Mia replied on IMG_4107.jpg"), beside the comment count.
import { and, eq, sql } from "drizzle-orm";
import type { MirrorEntry } from "../../../party/outbox";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, galleryVisitors, notifications, photos, proofComments, studioProfiles } from "../../db/tenant-schema";
import { commentReply } from "../mail/client-reminders";
import { queueMail } from "../mail/outbox";

const HOUR = 3_600_000;
// A digest line per reply, up to this: an hour of a busy thread still reads as one mail.
const DIGEST_CHARS = 1000;

export async function replyNotices(tdb: TenantDb, galleryId: string, entries: MirrorEntry[], site: () => Promise<string>) {
  const replies = entries.flatMap((e) => (e.type === "comment.add" && e.comment?.replyTo ? [{ actor: e.actor, comment: e.comment }] : []));
  if (replies.length === 0) return [];
  const gallery = await tdb.first(galleries, eq(galleries.id, galleryId));
  if (!gallery) return [];
  const studio = await tdb.first(studioProfiles);
  const out = [];
  for (const { actor, comment } of replies) {
    const photo = await tdb.first(photos, and(eq(photos.galleryId, galleryId), eq(photos.id, comment.photoId)));
    const filename = photo?.filename ?? "a photo";
    if (actor.role === "client") {
      const line = `${actor.name} replied on ${filename}.`;
      const hour = Math.floor(comment.at / HOUR);
      out.push(
        tdb
          .insert(notifications, {
            id: `replies:${galleryId}:${hour}`,
            kind: "comments",
            title: `Replies in ${gallery.title}`,
            body: line,
            link: `#/g/${galleryId}/proofing`,
            createdAt: comment.at,
            mailState: "digest",
          })
          .onConflictDoUpdate({
            target: [notifications.tenantId, notifications.id],
            set: { count: sql`${notifications.count} + 1`, body: sql`substr(${notifications.body} || ' ' || ${line}, 1, ${DIGEST_CHARS})`, readAt: null },
          }),
      );
      continue;
    }
    // The thread's first comment is in D1 already, or in this same batch.
    const parent =
      entries.find((e) => e.comment?.id === comment.replyTo)?.comment ??
      (await tdb.first(proofComments, and(eq(proofComments.galleryId, galleryId), eq(proofComments.id, comment.replyTo!))));
    if (!parent) continue;
    const client = await tdb.first(galleryVisitors, and(eq(galleryVisitors.galleryId, galleryId), eq(galleryVisitors.id, parent.authorId)));
    if (!client?.email) continue;
    const reply = { id: comment.id, authorName: actor.name, text: comment.text, filename };
    const url = `${await site()}/g/${galleryId}#photo=${comment.photoId}`;
    out.push(queueMail(tdb, commentReply(client.email, client.name, studio?.name ?? "Your photographer", gallery, reply, url)));
  }
  return out;
}
