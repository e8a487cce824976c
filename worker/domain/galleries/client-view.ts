// What a client sees of a gallery on the studio's website: its sets with how many photos each
// holds, and the photos a page at a time, set by set in page order. The page itself ships the
// first screenful; the rest comes as the client scrolls or jumps to a set, so a 5,000-photo
// wedding opens as fast as a 100-photo one.
import { and, asc, count, eq, gt, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { GalleryPagePhoto, GalleryPageSet } from "../../contract/galleries";
import { inChunks } from "../../db/chunks";
import { idList, keyset, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, gallerySets, photos } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { myDownloads } from "../downloads/rights";
import { type PhotoRow, photoView } from "../photos/photos";
import { galleryAndVisitor, galleryForVisitor } from "./access";
import { findPhotos, shownToClients } from "./find";
import { type GalleryRow, NO_SET } from "./view";
import { touchVisitor } from "./visitors";

/** What the page ships at once: about two screenfuls of tiles on a laptop. */
export const FIRST_PAGE = 60;

const shown = shownToClients;

export function pagePhoto(p: PhotoRow, showExif = false, stackSizes?: Map<string, number>): GalleryPagePhoto {
  const urls = photoView(p).urls;
  const size = p.stackId ? (stackSizes?.get(p.stackId) ?? 0) : 0;
  const base = {
    id: p.id,
    filename: p.filename,
    thumb: urls?.thumb ?? "",
    preview: urls?.preview ?? "",
    width: p.width,
    height: p.height,
    setId: p.setId,
    ...(size > 1 && { stack: { id: p.stackId!, size } }),
  };
  if (!showExif || !p.exif) return base;
  // The orientation is Loupe's business; what a client reads is the camera and the exposure.
  const { orientation: _o, ...exif } = p.exif;
  return { ...base, exif };
}

/** The gallery's sets in page order, each with its count of photos clients can see; "" holds the photos in no set. */
export async function pageSets(tdb: TenantDb, galleryId: string): Promise<GalleryPageSet[]> {
  const [sets, counts] = await Promise.all([
    tdb.select(gallerySets, eq(gallerySets.galleryId, galleryId)).orderBy(asc(gallerySets.position)),
    tdb.selectFields({ setId: photos.setId, n: count() }, photos, { where: and(eq(photos.galleryId, galleryId), shown), groupBy: [photos.setId] }),
  ]);
  const n = new Map(counts.map((c) => [c.setId, c.n]));
  const known = new Set(sets.map((s) => s.id));
  // A photo whose set is gone counts with the photos in no set, where the page shows it.
  const loose = counts.filter((c) => c.setId === null || !known.has(c.setId)).reduce((sum, c) => sum + c.n, 0);
  return [...sets.map((s) => ({ id: s.id, name: s.name, count: n.get(s.id) ?? 0 })), { id: "", name: sets.length ? "More" : "", count: loose }].filter(
    (s) => s.count > 0,
  );
}

export const clientPhotosQuery = pageQuery
  .extend({
    set: z.string().max(64).optional(),
    // The client's favourites: photos by id, a page's worth at most.
    ids: idList(100).optional(),
    // The frames of one burst of similar shots, to compare side by side.
    stack: z.string().min(1).max(64).optional(),
    // File numbers or names a client quotes ("4107, 4109"): the matching photos of every set.
    q: z.string().trim().min(1, "name a file number, such as 4107").max(2000, "must be at most 2000 characters").optional(),
  })
  .strict();

// A burst longer than this shows its first frames when compared; every frame stays in the grid.
const STACK_FRAMES = 100;

/** How many frames each burst on this page has: "5 similar" counts the ones not loaded yet too. */
async function stackSizes(tdb: TenantDb, galleryId: string, rows: PhotoRow[]): Promise<Map<string, number>> {
  const ids = [...new Set(rows.flatMap((p) => (p.stackId ? [p.stackId] : [])))];
  if (ids.length === 0) return new Map();
  const counts = await inChunks(photos.stackId, ids, (inChunk) =>
    tdb.selectFields({ stackId: photos.stackId, n: count() }, photos, {
      where: and(eq(photos.galleryId, galleryId), shown, inChunk),
      groupBy: [photos.stackId],
    }),
  );
  return new Map(counts.map((c) => [c.stackId!, c.n]));
}

/** One page of a set's photos (or, with `ids`, those photos), as clients see them. */
export async function clientPhotos(tdb: TenantDb, gallery: GalleryRow, q: z.infer<typeof clientPhotosQuery>) {
  const viewAll = async (rows: PhotoRow[]) => {
    const sizes = await stackSizes(tdb, gallery.id, rows);
    return rows.map((p) => pagePhoto(p, gallery.showExif, sizes));
  };
  if (q.q) {
    const found = await findPhotos(tdb, gallery.id, { ...q, q: q.q }, (p) => p);
    return { ...found, photos: await viewAll(found.photos) };
  }
  if (q.ids) {
    const rows = await inChunks(photos.id, q.ids, (inChunk) => tdb.select(photos, and(eq(photos.galleryId, gallery.id), shown, inChunk)));
    const order = new Map(q.ids.map((id, i) => [id, i]));
    return { photos: await viewAll(rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!)), next: null };
  }
  if (q.stack) {
    const rows = await tdb
      .select(photos, and(eq(photos.galleryId, gallery.id), shown, eq(photos.stackId, q.stack)))
      .orderBy(asc(photos.position), asc(photos.id))
      .limit(STACK_FRAMES);
    return { photos: await viewAll(rows), next: null };
  }
  const sets = await tdb.selectFields({ id: gallerySets.id }, gallerySets, { where: eq(gallerySets.galleryId, gallery.id) });
  const set = q.set && q.set !== NO_SET ? q.set : null;
  if (set && !sets.some((s) => s.id === set)) throw new AppError("invalid_input", "set: is not a set of this gallery");
  const { after, orderBy } = keyset([photos.position, photos.id], "asc", q.cursor);
  // Photos of a deleted set show with the loose ones; deleting a set clears them, this is a safety net.
  const inSet = set ? eq(photos.setId, set) : isNull(photos.setId);
  const rows = await tdb
    .select(photos, and(eq(photos.galleryId, gallery.id), shown, inSet, after))
    .orderBy(...orderBy)
    .limit(pageSize(q));
  const page = pageOf(
    rows,
    q,
    (p) => [p.position, p.id],
    (p) => p,
  );
  return { photos: await viewAll(page.items), next: page.next };
}

/** The gallery page for the visitor the token names (password and expiry are checked first). */
export async function clientGalleryView(tdb: TenantDb, secret: string, galleryId: string, visitorToken: string | undefined) {
  const { gallery, visitor } = await galleryAndVisitor(tdb, secret, galleryId, visitorToken);
  const [page, mine] = await Promise.all([
    clientGalleryPage(tdb, gallery),
    myDownloads(tdb, gallery, visitor),
    visitor && touchVisitor(tdb, gallery.id, visitor),
  ]);
  return { ...page, myDownloads: mine };
}

/** A page of the gallery's photos for the visitor the token names. */
export async function visitorPhotos(tdb: TenantDb, secret: string, galleryId: string, visitorToken: string | undefined, q: z.infer<typeof clientPhotosQuery>) {
  return clientPhotos(tdb, await galleryForVisitor(tdb, secret, galleryId, visitorToken), q);
}

/** The gallery page: the gallery, its sets with counts, and the first page of the first set. */
export async function clientGalleryPage(tdb: TenantDb, gallery: GalleryRow) {
  const sets = await pageSets(tdb, gallery.id);
  const first = sets[0];
  const firstPage = first
    ? await clientPhotos(tdb, gallery, { set: first.id || NO_SET, limit: FIRST_PAGE })
    : { photos: [] as GalleryPagePhoto[], next: null as string | null };
  return {
    id: gallery.id,
    title: gallery.title,
    description: gallery.description,
    coverPhotoId: gallery.coverPhotoId,
    downloads: gallery.downloads,
    selection: gallery.selection,
    sets,
    total: sets.reduce((n, s) => n + s.count, 0),
    first: { setId: first?.id ?? "", photos: firstPage.photos, next: firstPage.next },
  };
}

/** Public galleries that have not expired, newest first, for the studio's home page: a page of
 * LISTED_ON_HOME at a time, each with its cover's thumbnail, or its first photo's when none was chosen. */
export const LISTED_ON_HOME = 48;
// Not strict: links to the home page carry campaign parameters (utm_*) that must not break it.
export const listedQuery = z.object({ more: pageQuery.shape.cursor });

export async function listedGalleries(tdb: TenantDb, cursor?: string) {
  const { after, orderBy } = keyset([galleries.position, galleries.id], "desc", cursor);
  const q = { limit: LISTED_ON_HOME, cursor };
  const rows = await tdb
    // Written out, not bound: SQLite picks the partial index only for the very same condition.
    .select(galleries, and(sql`${galleries.visibility} = 'public'`, or(isNull(galleries.expiresAt), gt(galleries.expiresAt, Date.now())), after))
    .orderBy(...orderBy)
    .limit(pageSize(q));
  const page = pageOf(
    rows,
    q,
    (g) => [g.position, g.id],
    (g) => g,
  );
  const listed = await Promise.all(
    page.items.map(async (g) => {
      const cover =
        (g.coverPhotoId && (await tdb.first(photos, and(eq(photos.galleryId, g.id), eq(photos.id, g.coverPhotoId), shown)))) ||
        (
          await tdb
            .select(photos, and(eq(photos.galleryId, g.id), shown))
            .orderBy(asc(photos.position))
            .limit(1)
        )[0];
      return { id: g.id, title: g.title, coverUrl: cover ? (photoView(cover).urls?.thumb ?? null) : null };
    }),
  );
  return { galleries: listed, next: page.next };
}
