// Selection export from the D1 mirror: per list the picked photos in gallery order, their
// filenames, a string to paste into Lightroom's filename filter, and a CSV.
import { eq } from "drizzle-orm";
import type { SelectionExport } from "../../contract/proofing";
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

export async function gallerySelections(tdb: TenantDb, galleryId: string): Promise<SelectionExport[]> {
  await galleryRow(tdb, galleryId);
  const [lists, picks, files] = await Promise.all([
    tdb.select(proofLists, eq(proofLists.galleryId, galleryId)).orderBy(proofLists.createdAt),
    tdb.select(proofPicks, eq(proofPicks.galleryId, galleryId)),
    tdb.selectFields({ id: photos.id, filename: photos.filename, position: photos.position }, photos, { where: eq(photos.galleryId, galleryId) }),
  ]);
  const photoById = new Map(files.map((p) => [p.id, p]));
  return lists.map((list) => {
    // A photo deleted after it was picked is no longer in the gallery, so it is not exported.
    const picked = picks
      .filter((p) => p.listId === list.id && photoById.has(p.photoId))
      .map((p) => ({ ...photoById.get(p.photoId)!, pickedAt: p.pickedAt }))
      .sort((a, b) => a.position - b.position || a.filename.localeCompare(b.filename));
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
  });
}

// A cell starting with = + - @ (or a control character) is a formula to a spreadsheet: quote it
// so a client's list name cannot run anything on the photographer's machine.
function cell(value: string | number | null): string {
  let s = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

export async function selectionsCsv(tdb: TenantDb, galleryId: string, listId?: string): Promise<string> {
  let lists = await gallerySelections(tdb, galleryId);
  if (listId !== undefined) {
    lists = lists.filter((l) => l.id === listId);
    if (lists.length === 0) throw new AppError("not_found", "list: no such list in this gallery");
  }
  const rows = [["list", "client", "submitted_at", "filename", "photo_id", "picked_at"]];
  for (const l of lists) {
    for (const p of l.photos) rows.push([l.name, l.ownerName, iso(l.submittedAt), p.filename, p.id, iso(p.pickedAt)]);
  }
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}
