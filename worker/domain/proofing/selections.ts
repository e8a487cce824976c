// Selection export from the D1 mirror: per list the picked photos in gallery order, their
// filenames, a string to paste into Lightroom's filename filter, and a CSV. Paged by list: a
// 300-guest wedding has 300 lists, and each page costs what its lists hold, not the gallery.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { PAGE_LIMIT, type Page } from "../../contract/paging";
import type { SelectionExport } from "../../contract/proofing";
import { inChunks } from "../../db/chunks";
import { keyset, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { photos, proofLists, proofPicks } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { galleryRow } from "../galleries/view";

/**
 * Lightroom's Library filter (Text › Filename › Contains) matches any of comma-separated terms.
 * Extensions are dropped so the proofs' JPEG names also find the RAW files they were made from.
 */
export function lightroomSearch(filenames: string[]): string {
  const stems = filenames
    .map((f) =>
      f
        .replace(/\.[^.]+$/, "")
        .replace(/,/g, " ")
        .trim(),
    )
    .filter(Boolean);
  return [...new Set(stems)].join(", ");
}

export const selectionsQuery = pageQuery.extend({ list: z.string().min(1).max(64).optional() }).strict();
export type SelectionsQuery = z.infer<typeof selectionsQuery>;

/** A page of the gallery's lists, oldest first, each with every photo it holds in gallery order. */
export async function gallerySelections(tdb: TenantDb, galleryId: string, q: SelectionsQuery): Promise<Page<"lists", SelectionExport>> {
  await galleryRow(tdb, galleryId);
  const { after, orderBy } = keyset([proofLists.createdAt, proofLists.id], "asc", q.cursor);
  const lists = await tdb
    .select(proofLists, and(eq(proofLists.galleryId, galleryId), q.list === undefined ? undefined : eq(proofLists.id, q.list), after))
    .orderBy(...orderBy)
    .limit(pageSize(q));
  const page = pageOf(
    lists,
    q,
    (l) => [l.createdAt, l.id],
    (l) => l,
  );
  // A photo deleted after it was picked is no longer in the gallery: the inner join leaves it out.
  const picks = await inChunks(
    proofPicks.listId,
    page.items.map((l) => l.id),
    (inChunk) =>
      tdb.selectFields(
        {
          listId: proofPicks.listId,
          id: proofPicks.photoId,
          pickedAt: proofPicks.pickedAt,
          filename: photos.filename,
          position: photos.position,
        },
        proofPicks,
        {
          where: and(eq(proofPicks.galleryId, galleryId), inChunk),
          join: { table: photos, on: eq(photos.id, proofPicks.photoId) },
        },
      ),
  );
  const byList = new Map<string, typeof picks>();
  for (const p of picks) {
    const list = byList.get(p.listId);
    if (list) list.push(p);
    else byList.set(p.listId, [p]);
  }
  return {
    lists: page.items.map((list) => {
      const picked = (byList.get(list.id) ?? []).sort((a, b) => a.position - b.position || a.filename.localeCompare(b.filename));
      const filenames = picked.map((p) => p.filename);
      return {
        id: list.id,
        name: list.name,
        ownerId: list.ownerId,
        ownerName: list.ownerName,
        createdAt: list.createdAt,
        submittedAt: list.submittedAt,
        count: picked.length,
        photos: picked.map(({ id, filename, pickedAt }) => ({ id, filename, pickedAt })),
        filenames,
        lightroom: lightroomSearch(filenames),
      };
    }),
    next: page.next,
  };
}

// A cell starting with = + - @ (or a control character) is a formula to a spreadsheet: quote it
// so a client's list name cannot run anything on the photographer's machine.
function cell(value: string | number | null): string {
  let s = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

/** Every list (or the one asked for) as CSV rows, read a page of lists at a time. */
export async function selectionsCsv(tdb: TenantDb, galleryId: string, listId?: string): Promise<string> {
  const rows = [["list", "client", "submitted_at", "filename", "photo_id", "picked_at"]];
  let cursor: string | undefined;
  let found = 0;
  do {
    const page = await gallerySelections(tdb, galleryId, { list: listId, cursor, limit: PAGE_LIMIT.max });
    for (const l of page.lists) for (const p of l.photos) rows.push([l.name, l.ownerName, iso(l.submittedAt), p.filename, p.id, iso(p.pickedAt)]);
    found += page.lists.length;
    cursor = page.next ?? undefined;
  } while (cursor);
  if (listId !== undefined && found === 0) throw new AppError("not_found", "list: no such list in this gallery");
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}
