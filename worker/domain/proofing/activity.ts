// The gallery's activity feed, newest first, from the D1 mirror of applied intents.

import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { ActivityPage } from "../../contract/proofing";
import type { TenantDb } from "../../db/tenant-db";
import { photos, proofActivity } from "../../db/tenant-schema";
import { galleryRow } from "../galleries/view";

export const activityQuery = z
  .object({
    // "<at>.<id>" of the last row seen: intent ids never contain a dot.
    before: z
      .string()
      .regex(/^\d{1,15}\.[\w-]{1,64}$/, "must be the next cursor of an earlier page")
      .optional(),
    limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  })
  .strict();

export async function galleryActivity(tdb: TenantDb, galleryId: string, q: z.infer<typeof activityQuery>): Promise<ActivityPage> {
  await galleryRow(tdb, galleryId);
  const [at, id] = q.before ? [Number(q.before.split(".")[0]), q.before.split(".")[1]!] : [null, null];
  const after = at !== null && id !== null ? or(lt(proofActivity.at, at), and(eq(proofActivity.at, at), lt(proofActivity.id, id))) : undefined;
  const where = and(eq(proofActivity.galleryId, galleryId), after);
  const rows = await tdb
    .select(proofActivity, where)
    .orderBy(desc(proofActivity.at), desc(proofActivity.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const photoIds = [...new Set(page.map((r) => r.photoId).filter((id): id is string => id !== null))];
  const files = photoIds.length
    ? await tdb.selectFields({ id: photos.id, filename: photos.filename }, photos, {
        where: and(eq(photos.galleryId, galleryId), inArray(photos.id, photoIds)),
      })
    : [];
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
    next: rows.length > q.limit ? `${page.at(-1)!.at}.${page.at(-1)!.id}` : null,
  };
}
