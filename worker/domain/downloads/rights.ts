// Who may download what from a gallery: the size the studio allows, its PIN, whether only invited
// clients may, and how many photos each visitor may take in all. One photo or a zip of 500 pass the
// same checks; the count is spent by a conditional UPDATE, so parallel requests cannot pass it.
import { and, eq, lte, sql } from "drizzle-orm";
import type { DownloadMode } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { galleryVisitors } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { verifyPassword } from "../accounts/password";
import type { VisitorClaims } from "../galleries/access";
import type { GalleryRow } from "../galleries/view";
import { touchVisitor } from "../galleries/visitors";
import { checkAttempts, countAttempt } from "../limits/attempts";

export type DownloadSize = Exclude<DownloadMode, "off">;
const RANK: Record<DownloadMode, number> = { off: 0, web: 1, high_res: 2, original: 3 };

/** What the gallery page tells this visitor about downloading, before they try. */
export async function myDownloads(tdb: TenantDb, gallery: GalleryRow, visitor: VisitorClaims | null) {
  const why = refusal(gallery, visitor);
  // Someone who has not said who they are yet is asked when they download: the button stays.
  if (why && why.code !== "name_required") return { allowed: false, why: why.message, left: null };
  const limit = gallery.downloads.limit ?? null;
  if (limit === null || !visitor) return { allowed: true, why: null, left: limit };
  const row = await tdb.first(galleryVisitors, and(eq(galleryVisitors.galleryId, gallery.id), eq(galleryVisitors.id, visitor.visitorId)));
  const left = Math.max(0, limit - (row?.downloads ?? 0));
  return { allowed: left > 0, why: left > 0 ? null : limitMessage(limit), left };
}

function refusal(gallery: GalleryRow, visitor: VisitorClaims | null): AppError | null {
  const rules = gallery.downloads;
  if (rules.mode === "off") return new AppError("download_not_allowed", "Downloads are off for this gallery.");
  if (rules.who === "invited" && !visitor?.invited) {
    return new AppError("download_not_allowed", "Downloads here are for the clients the studio invited; open the gallery from your invite link.");
  }
  // A limit is counted per visitor: someone the gallery does not know yet gives their name first.
  if ((rules.limit ?? null) !== null && !visitor) return new AppError("name_required", "name: tell the gallery who you are before downloading.");
  return null;
}

const limitMessage = (limit: number) => `This gallery allows ${limit} downloads per person, and you have used them; ask the studio for more.`;

/** Throws unless this visitor may download at this size (with the PIN, where there is one). */
export async function checkDownload(
  tdb: TenantDb,
  pepper: string,
  gallery: GalleryRow,
  visitor: VisitorClaims | null,
  size: DownloadSize,
  pin: string | undefined,
): Promise<void> {
  const refused = refusal(gallery, visitor);
  if (refused) throw refused;
  if (RANK[size] > RANK[gallery.downloads.mode]) {
    throw new AppError("download_not_allowed", `size: this gallery allows downloads up to ${gallery.downloads.mode.replace("_", "-")} size.`);
  }
  if (gallery.downloadPinHash) {
    // Four digits are 10,000 guesses: per IP they are budgeted at the route, per gallery here.
    await checkAttempts(tdb, "pin", gallery.id);
    if (!(pin && (await verifyPassword(pin, gallery.downloadPinHash, pepper)))) {
      await countAttempt(tdb, "pin", gallery.id);
      throw new AppError("pin_required", "pin: enter the download PIN the studio gave you");
    }
  }
}

/** Counts `n` photos against the visitor's limit, or refuses with what is left; nothing is counted on a refusal. */
export async function spendPhotos(tdb: TenantDb, gallery: GalleryRow, visitor: VisitorClaims | null, n: number): Promise<void> {
  if (!visitor) return;
  // Visitors from before the visitor list have no row yet: the count needs one.
  await touchVisitor(tdb, gallery.id, visitor);
  const limit = gallery.downloads.limit ?? null;
  const where = and(eq(galleryVisitors.galleryId, gallery.id), eq(galleryVisitors.id, visitor.visitorId));
  if (limit === null) {
    await tdb.update(galleryVisitors, { downloads: sql`${galleryVisitors.downloads} + ${n}` }, where);
    return;
  }
  const res = await tdb.update(galleryVisitors, { downloads: sql`${galleryVisitors.downloads} + ${n}` }, and(where, lte(galleryVisitors.downloads, limit - n)));
  if (res.meta.changes === 1) return;
  const row = await tdb.first(galleryVisitors, where);
  const left = Math.max(0, limit - (row?.downloads ?? 0));
  if (left === 0) throw new AppError("download_limit_reached", limitMessage(limit));
  throw new AppError("download_limit_reached", `This is ${n} photos, and you have ${left} of this gallery's ${limit} downloads left; choose fewer.`);
}
