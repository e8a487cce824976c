// Finding photos by the file number a client quotes from a message: "4107", "IMG_4107" or a pasted
// list ("4107, 4109, 4112"). A number matches it as a whole number in the file name, leading zeros
// aside (4107 finds IMG_4107.jpg and DSC04107.NEF, not IMG_14107.jpg); other words match anywhere.

import type { SQL } from "drizzle-orm";
import { and, eq, gt, or } from "drizzle-orm";
import { containing, encodeCursor, keyset, type PageQuery, pageOf, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { photos } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";

export const MAX_TERMS = 50;
// Rows read per statement while looking for a page of matches (LIKE finds candidates, the number
// rule then keeps the real ones); a page is found within a few statements even in a 5,000-photo gallery.
const SCAN = 500;
const ROUNDS = 12;

/** Photos clients see: those with a preview made. */
export const shownToClients = gt(photos.previewVersion, 0);

interface Term {
  like: string;
  test: (filename: string) => boolean;
}

export function searchTerms(q: string): Term[] {
  const words = [
    ...new Set(
      q
        .toLowerCase()
        .split(/[\s,;]+/)
        .filter(Boolean),
    ),
  ];
  if (words.length === 0) throw new AppError("invalid_input", "q: name a file number, such as 4107");
  if (words.length > MAX_TERMS) throw new AppError("invalid_input", `q: at most ${MAX_TERMS} numbers or names at once (got ${words.length})`);
  return words.map((w) => {
    if (!/^\d+$/.test(w)) return { like: w, test: (f: string) => f.toLowerCase().includes(w) };
    const digits = w.replace(/^0+(?=\d)/, "");
    const whole = new RegExp(`(^|\\D)0*${digits}(\\D|$)`);
    return { like: digits, test: (f: string) => whole.test(f) };
  });
}

/** A page of the gallery's shown photos whose file names match `q`, in gallery order. */
export async function findPhotos<T>(
  tdb: TenantDb,
  galleryId: string,
  query: PageQuery & { q: string },
  view: (p: typeof photos.$inferSelect) => T,
): Promise<{ photos: T[]; next: string | null }> {
  const terms = searchTerms(query.q);
  const candidates = or(...terms.map((t) => containing([photos.filename], t.like))) as SQL;
  const found: (typeof photos.$inferSelect)[] = [];
  let cursor = query.cursor;
  let scannedAll = false;
  for (let round = 0; round < ROUNDS && found.length < pageSize(query); round++) {
    const { after, orderBy } = keyset([photos.position, photos.id], "asc", cursor);
    const rows = await tdb
      .select(photos, and(eq(photos.galleryId, galleryId), shownToClients, candidates, after))
      .orderBy(...orderBy)
      .limit(SCAN);
    for (const r of rows) if (terms.some((t) => t.test(r.filename))) found.push(r);
    if (rows.length < SCAN) {
      scannedAll = true;
      break;
    }
    const last = rows.at(-1)!;
    cursor = encodeCursor([last.position, last.id]);
  }
  const page = pageOf(found.slice(0, pageSize(query)), query, (p) => [p.position, p.id], view);
  // Out of rounds with a short page: the next page goes on from the last row read, not from
  // nothing, so a search through a very large gallery still reaches its end.
  const next = page.next ?? (scannedAll || found.length > query.limit ? null : (cursor ?? null));
  return { photos: page.items, next };
}
