// The dashboard's notification centre: alerts a page at a time, newest first, with how many are
// unread (counted up to a cap, like messages), marking read, and which kinds also come by mail.
import { and, isNull } from "drizzle-orm";
import { z } from "zod";
import { type AlertMailPrefs, alertKinds, type NotificationsResponse } from "../../contract/alerts";
import { IN_CHUNK, oneOf } from "../../db/chunks";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { notifications, studioProfiles } from "../../db/tenant-schema";
import { mailPrefs } from "./alerts";

export const notificationListQuery = pageQuery.strict();
export const markAlertsReadSchema = z.union([
  z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(IN_CHUNK, `must list at most ${IN_CHUNK} alerts`) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export const alertMailSchema = z.object(Object.fromEntries(alertKinds.map((k) => [k, z.boolean().optional()]))).strict();

const UNREAD_CAP = 100;

export async function listNotifications(tdb: TenantDb, query: PageQuery): Promise<NotificationsResponse> {
  const { after, orderBy } = keyset([notifications.createdAt, notifications.id], "desc", query.cursor);
  const [rows, unread] = await Promise.all([
    tdb.selectFields(
      {
        id: notifications.id,
        kind: notifications.kind,
        title: notifications.title,
        body: notifications.body,
        link: notifications.link,
        count: notifications.count,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
      },
      notifications,
      { where: after, orderBy, limit: pageSize(query) },
    ),
    tdb.selectFields({ id: notifications.id }, notifications, { where: isNull(notifications.readAt), limit: UNREAD_CAP }),
  ]);
  const page = pageOf(
    rows,
    query,
    (n) => [n.createdAt, n.id],
    (n) => n,
  );
  return { notifications: page.items, next: page.next, unread: unread.length };
}

export async function markAlertsRead(tdb: TenantDb, input: z.infer<typeof markAlertsReadSchema>): Promise<void> {
  const unread = isNull(notifications.readAt);
  await tdb.update(notifications, { readAt: Date.now() }, "all" in input ? unread : and(unread, oneOf(notifications.id, input.ids)));
}

export async function alertMailSettings(tdb: TenantDb): Promise<AlertMailPrefs> {
  const studio = await tdb.first(studioProfiles);
  return mailPrefs(studio ?? { alertMail: {} });
}

export async function setAlertMail(tdb: TenantDb, input: z.infer<typeof alertMailSchema>): Promise<AlertMailPrefs> {
  const current = await alertMailSettings(tdb);
  const next = { ...current, ...input } as AlertMailPrefs;
  await tdb.update(studioProfiles, { alertMail: next, updatedAt: Date.now() });
  return next;
}
