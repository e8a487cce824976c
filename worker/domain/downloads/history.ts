// The studio's download history: each download a client asked for, one photo or a zip in parts,
// with who asked. Written before the first byte is sent, so a download that fails half-way still
// shows; read newest first, a page at a time.
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import type { DownloadRecordView, DownloadScope } from "../../contract/visitors";
import { keyset, type PageQuery, pageOf, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { galleryDownloads } from "../../db/tenant-schema";
import { newId } from "../../lib/bytes";
import type { VisitorClaims } from "../galleries/access";
import { galleryRow } from "../galleries/view";
import type { DownloadSize } from "./rights";

export interface DownloadRecord {
  scope: DownloadScope;
  label: string;
  size: DownloadSize;
  bytes: number;
  parts: string[][];
}

export async function recordDownload(tdb: TenantDb, galleryId: string, visitor: VisitorClaims | null, d: DownloadRecord): Promise<string> {
  const id = newId("dl");
  await tdb.insert(galleryDownloads, {
    galleryId,
    id,
    visitorId: visitor?.visitorId ?? null,
    visitorName: visitor?.name ?? null,
    visitorEmail: visitor?.email ?? null,
    scope: d.scope,
    label: d.label,
    size: d.size,
    photoCount: d.parts.reduce((n, p) => n + p.length, 0),
    bytes: d.bytes,
    parts: d.parts,
    createdAt: Date.now(),
  });
  return id;
}

export async function downloadRecord(tdb: TenantDb, galleryId: string, id: string) {
  return tdb.first(galleryDownloads, and(eq(galleryDownloads.galleryId, galleryId), eq(galleryDownloads.id, id)));
}

/** The gallery's downloads, newest first: the dashboard's history. */
export async function downloadHistory(tdb: TenantDb, galleryId: string, q: PageQuery) {
  await galleryRow(tdb, galleryId);
  return listDownloads(tdb, galleryId, q);
}

async function listDownloads(tdb: TenantDb, galleryId: string, q: PageQuery): Promise<{ downloads: DownloadRecordView[]; next: string | null }> {
  const { after, orderBy } = keyset([galleryDownloads.createdAt, galleryDownloads.id], "desc", q.cursor);
  // The parts' photo ids can be thousands: the list reads only how many parts there are.
  const { parts: _ids, tenantId: _t, ...columns } = getTableColumns(galleryDownloads);
  const rows = await tdb.selectFields({ ...columns, partCount: sql<number>`json_array_length(${galleryDownloads.parts})` }, galleryDownloads, {
    where: and(eq(galleryDownloads.galleryId, galleryId), after),
    orderBy,
    limit: pageSize(q),
  });
  const page = pageOf(
    rows,
    q,
    (r) => [r.createdAt, r.id],
    (r): DownloadRecordView => ({
      id: r.id,
      visitor: { id: r.visitorId, name: r.visitorName, email: r.visitorEmail },
      scope: r.scope,
      label: r.label,
      size: r.size,
      photos: r.photoCount,
      bytes: r.bytes,
      parts: r.partCount,
      at: r.createdAt,
    }),
  );
  return { downloads: page.items, next: page.next };
}
