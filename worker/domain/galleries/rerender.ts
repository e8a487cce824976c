// Watermark changes re-render previews from the stored masters: no re-upload. Progress is the
// share of photos whose preview carries the gallery's current watermark version (view.ts).
import { and, eq, or } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { photos } from "../../db/tenant-schema";
import type { ImageJobs } from "../../images/jobs";

/** Queues every photo that has something to render from; returns how many. */
export async function rerenderPreviews(tdb: TenantDb, jobs: ImageJobs, galleryId: string): Promise<number> {
  const rows = await tdb.selectFields({ id: photos.id }, photos, {
    where: and(eq(photos.galleryId, galleryId), or(eq(photos.hasMaster, true), eq(photos.originalState, "stored"))),
  });
  await jobs.enqueue(rows.map((r) => r.id));
  return rows.length;
}
