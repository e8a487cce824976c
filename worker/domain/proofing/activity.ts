// The gallery's activity feed, newest first, from the D1 mirror of applied intents.

import { and, eq } from "drizzle-orm";
import type { ActivityPage } from "../../contract/proofing";
import { inChunks } from "../../db/chunks";
import { encodeCursor, keyset, type PageQuery, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { photos, proofActivity } from "../../db/tenant-schema";
import { galleryRow } from "../galleries/view";

export const activityQuery = pageQuery.strict();

export async function galleryActivity(tdb: TenantDb, galleryId: string, q: PageQuery): Promise<ActivityPage> {
  await galleryRow(tdb, galleryId);
  const { after, orderBy } = keyset([proofActivity.at, proofActivity.id], "desc", q.cursor);
  const rows = await tdb
    .select(proofActivity, and(eq(proofActivity.galleryId, galleryId), after))
    .orderBy(...orderBy)
    .limit(pageSize(q));
  const page = rows.slice(0, q.limit);
  const photoIds = [...new Set(page.map((r) => r.photoId).filter((id): id is string => id !== null))];
  const files = await inChunks(photos.id, photoIds, (inChunk) =>
    tdb.selectFields({ id: photos.id, filename: photos.filename }, photos, { where: and(eq(photos.galleryId, galleryId), inChunk) }),
  );
  const filename = new Map(files.map((f) => [f.id, f.filename]));
  return {
    activity: page.map((r) => ({
      id: r.id,
      type: r.type,
      at: r.at,
      actor: { id: r.actorId, name: r.actorName, role: r.actorRole },
      listId: r.listId,
      commentId: r.commentId,
      photo: r.photoId ? { id: r.photoId, filename: filename.get(r.photoId) ?? null } : null,
      detail: r.detail,
    })),
    next: rows.length > q.limit ? encodeCursor([page.at(-1)!.at, page.at(-1)!.id]) : null,
  };
}
