// "Download all": which photos a zip holds (a gallery, one set, or a favourites list), under the
// gallery's download rules, split into numbered parts that each finish within a Worker's limits.
// The plan is written to the history first; each part's link then streams exactly its photos.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { ZipPlan } from "../../contract/visitors";
import { inChunks } from "../../db/chunks";
import type { TenantDb } from "../../db/tenant-db";
import { gallerySets, photos, proofLists, proofPicks } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import type { VisitorClaims } from "../galleries/access";
import { shownToClients } from "../galleries/find";
import type { GalleryRow } from "../galleries/view";
import { countAttempt } from "../limits/attempts";
import { HIGH_RES_EDGE } from "../photos/serve";
import { recordDownload } from "./history";
import { checkDownload, type DownloadSize, spendPhotos } from "./rights";
import { partFilename, zipPartLink } from "./zip-stream";

// bench:zip measures about 28 s of workerd CPU per GB zipped locally, as much as sending the same
// files one by one: nearly all of it is the local R2 simulator's, which a deployed Worker is not
// charged for (zipping's own share, CRC-32 over 1 MiB reads, is a few s per GB). Even that upper
// bound keeps a part of PART_BYTES inside a Worker's default 30 s of CPU; and a part a dropped
// connection makes the client fetch again stays under a gigabyte. PART_PHOTOS keeps a part's R2
// reads and image transforms (one or two each per photo) inside the 1,000 subrequests a request may make.
export const PART_BYTES = 960 * 1024 ** 2;
export const PART_PHOTOS = 400;

export const zipSchema = z
  .object({
    scope: z.enum(["gallery", "set", "list"]),
    setId: z.string().min(1).max(64).optional(),
    listId: z.string().min(1).max(64).optional(),
    size: z.enum(["web", "high_res", "original"]),
    pin: z.string().max(8, "must be at most 8 digits").optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.scope === "set" && !v.setId) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["setId"], message: "is required for a set's zip" });
    if (v.scope === "list" && !v.listId) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["listId"], message: "is required for a list's zip" });
  });
export type ZipInput = z.infer<typeof zipSchema>;

const zipColumns = {
  id: photos.id,
  setId: photos.setId,
  size: photos.size,
  width: photos.width,
  height: photos.height,
  hasMaster: photos.hasMaster,
  masterBytes: photos.masterBytes,
  originalState: photos.originalState,
  position: photos.position,
};
type ZipPhoto = { [K in keyof typeof zipColumns]: (typeof photos.$inferSelect)[K] };

/** The photos a zip of this scope holds, in the order the gallery shows them, and what to call it. */
async function scopePhotos(tdb: TenantDb, gallery: GalleryRow, input: ZipInput): Promise<{ label: string; rows: ZipPhoto[] }> {
  const mine = and(eq(photos.galleryId, gallery.id), shownToClients);
  const sets = await tdb.select(gallerySets, eq(gallerySets.galleryId, gallery.id)).orderBy(asc(gallerySets.position));
  const setRank = new Map(sets.map((s, i) => [s.id, i]));
  const pageOrder = (a: ZipPhoto, b: ZipPhoto) =>
    (setRank.get(a.setId ?? "") ?? sets.length) - (setRank.get(b.setId ?? "") ?? sets.length) || a.position - b.position || (a.id < b.id ? -1 : 1);
  if (input.scope === "gallery") {
    const rows = await tdb.selectFields(zipColumns, photos, { where: mine });
    return { label: gallery.title, rows: rows.sort(pageOrder) };
  }
  if (input.scope === "set") {
    const set = sets.find((s) => s.id === input.setId);
    if (!set) throw new AppError("invalid_input", "setId: is not a set of this gallery");
    const rows = await tdb.selectFields(zipColumns, photos, { where: and(mine, eq(photos.setId, set.id)) });
    return { label: `${gallery.title} - ${set.name}`, rows: rows.sort(pageOrder) };
  }
  const list = await tdb.first(proofLists, and(eq(proofLists.galleryId, gallery.id), eq(proofLists.id, input.listId!)));
  if (!list) throw new AppError("invalid_input", "listId: is not a list of this gallery");
  const picks = await tdb.selectFields({ photoId: proofPicks.photoId }, proofPicks, {
    where: and(eq(proofPicks.galleryId, gallery.id), eq(proofPicks.listId, list.id)),
  });
  const rows = await inChunks(
    photos.id,
    picks.map((p) => p.photoId),
    (inChunk) => tdb.selectFields(zipColumns, photos, { where: and(mine, inChunk) }),
  );
  return { label: `${gallery.title} - ${list.name}`, rows: rows.sort(pageOrder) };
}

/** The bytes a photo adds at this size; high-res copies are made on the way, so theirs is an estimate. */
export function bytesAt(p: ZipPhoto, size: DownloadSize): number | null {
  if (size === "web") return p.hasMaster ? p.masterBytes : p.originalState === "stored" ? p.size : null;
  if (p.originalState !== "stored") return null;
  const edge = Math.max(p.width ?? 0, p.height ?? 0);
  if (size === "high_res" && edge > HIGH_RES_EDGE) return Math.round(p.size * (HIGH_RES_EDGE / edge) ** 2);
  return p.size;
}

/** Photos in order, cut wherever the next one would pass PART_BYTES or PART_PHOTOS. */
export function splitParts(items: { id: string; bytes: number }[], maxBytes = PART_BYTES, maxPhotos = PART_PHOTOS): { ids: string[]; bytes: number }[] {
  const parts: { ids: string[]; bytes: number }[] = [];
  let cur: { ids: string[]; bytes: number } | null = null;
  for (const it of items) {
    if (!cur || (cur.ids.length > 0 && (cur.bytes + it.bytes > maxBytes || cur.ids.length >= maxPhotos))) {
      cur = { ids: [], bytes: 0 };
      parts.push(cur);
    }
    cur.ids.push(it.id);
    cur.bytes += it.bytes;
  }
  return parts;
}

export interface ZipDeps {
  tdb: TenantDb;
  secret: string;
  pepper: string;
}

/** Checks the rights, spends the visitor's count, records the download and answers its part links. */
export async function planZip(deps: ZipDeps, gallery: GalleryRow, visitor: VisitorClaims | null, input: ZipInput): Promise<ZipPlan> {
  const { tdb } = deps;
  // A zip is in the history under a name, and its budget is per person.
  if (!visitor) throw new AppError("name_required", "name: tell the gallery who you are before downloading everything.");
  await checkDownload(tdb, deps.pepper, gallery, visitor, input.size, input.pin);
  const { label, rows } = await scopePhotos(tdb, gallery, input);
  const sized = rows.map((p) => ({ id: p.id, bytes: bytesAt(p, input.size) }));
  const ready = sized.filter((p): p is { id: string; bytes: number } => p.bytes !== null);
  if (ready.length === 0) {
    throw new AppError(
      "not_found",
      rows.length ? "None of these photos is available at that size yet; try again later." : "There are no photos here to download.",
    );
  }
  await countAttempt(tdb, "zipsBy", visitor.visitorId);
  await countAttempt(tdb, "zips", gallery.id);
  await spendPhotos(tdb, gallery, visitor, ready.length);
  const parts = splitParts(ready);
  const id = await recordDownload(tdb, gallery.id, visitor, {
    scope: input.scope,
    label,
    size: input.size,
    bytes: ready.reduce((n, p) => n + p.bytes, 0),
    parts: parts.map((p) => p.ids),
  });
  const links = await Promise.all(parts.map((_, i) => zipPartLink(deps.secret, tdb.tenantId, gallery.id, id, i + 1)));
  return {
    id,
    label,
    photos: ready.length,
    skipped: rows.length - ready.length,
    bytes: ready.reduce((n, p) => n + p.bytes, 0),
    parts: parts.map((p, i) => ({ n: i + 1, url: links[i]!.url, filename: partFilename(label, i + 1, parts.length), photos: p.ids.length, bytes: p.bytes })),
    expiresAt: links[0]!.expiresAt,
  };
}
