// The studio's defaults for new galleries: set once, applied when a gallery is made; whatever the
// new-gallery form sends wins over them. Stored whole on the studio's profile.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { downloadModes, type GalleryDefaults, type GalleryDefaultsPatch } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { priceSheets, studioProfiles } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { assertSheetExists } from "../store/sheets";
import { checkSelection, DEFAULT_SELECTION, defaultWatermark, selectionSchema, watermarkSchema } from "./settings";

export const galleryDefaultsSchema = z
  .object({
    visibility: z.enum(["public", "unlisted"]),
    expiresInDays: z.number().int("must be whole days").min(1, "must be at least 1").max(3650, "must be at most 3650").nullable(),
    downloadMode: z.enum(downloadModes),
    watermark: watermarkSchema.omit({ kind: true }).partial().strict(),
    selection: selectionSchema.omit({ dueAt: true }).partial().strict(),
    priceSheetId: z.string().min(1).max(64).nullable(),
  })
  .partial()
  .strict() satisfies z.ZodType<GalleryDefaultsPatch>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The defaults as a new gallery gets them: what the studio set over Loupe's own. */
async function studioRow(tdb: TenantDb) {
  const row = await tdb.first(studioProfiles);
  if (!row) throw new AppError("studio_not_found", "This studio has no profile.");
  return row;
}

export async function galleryDefaults(tdb: TenantDb): Promise<GalleryDefaults> {
  const profile = await studioRow(tdb);
  const set = profile.galleryDefaults;
  const { kind: _text, logoKey: _none, ...watermark } = defaultWatermark(profile.name);
  const { dueAt: _due, ...selection } = DEFAULT_SELECTION;
  const defaults: GalleryDefaults = {
    visibility: set.visibility ?? "unlisted",
    expiresInDays: set.expiresInDays ?? null,
    downloadMode: set.downloadMode ?? "off",
    // An empty text is the studio's name, whatever the name is by then.
    watermark: { ...watermark, ...set.watermark, text: set.watermark?.text || watermark.text },
    selection: { ...selection, ...set.selection },
    priceSheetId: set.priceSheetId ?? null,
  };
  // A sheet deleted since it was chosen is no longer a default.
  if (defaults.priceSheetId && !(await tdb.first(priceSheets, eq(priceSheets.id, defaults.priceSheetId)))) defaults.priceSheetId = null;
  return defaults;
}

export async function setGalleryDefaults(tdb: TenantDb, patch: GalleryDefaultsPatch): Promise<GalleryDefaults> {
  const current = (await studioRow(tdb)).galleryDefaults;
  const next: GalleryDefaultsPatch = {
    ...current,
    ...patch,
    ...(patch.watermark && { watermark: { ...current.watermark, ...patch.watermark } }),
    ...(patch.selection && { selection: { ...current.selection, ...patch.selection } }),
  };
  const bad = checkSelection({ ...DEFAULT_SELECTION, ...next.selection });
  if (bad) throw new AppError("invalid_input", bad);
  await assertSheetExists(tdb, patch.priceSheetId);
  await tdb.update(studioProfiles, { galleryDefaults: next, updatedAt: Date.now() });
  return galleryDefaults(tdb);
}

/** A new gallery's expiry from the defaults, when its form named none. */
export const defaultExpiry = (d: GalleryDefaults, now = Date.now()) => (d.expiresInDays ? now + d.expiresInDays * DAY_MS : null);
