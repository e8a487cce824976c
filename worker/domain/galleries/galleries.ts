// Galleries on a tenant shard: create, read, list, change, delete.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { GalleriesResponse, GalleryView } from "../../contract/galleries";
import { statementsInChunks } from "../../db/chunks";
import { containing, keyset, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, gallerySets, photos, proofActivity, proofComments, proofLists, proofPicks, uploadParts } from "../../db/tenant-schema";
import type { ImageJobs } from "../../images/jobs";
import { newId } from "../../lib/bytes";
import { AppError } from "../../lib/errors";
import type { RoomSignals } from "../../rooms/signals";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";
import { hashPassword } from "../accounts/password";
import { assertSheetExists } from "../store/sheets";
import { getProfile } from "../studios/profile";
import { defaultExpiry, galleryDefaults } from "./defaults";
import type { CreateGalleryInput, UpdateGalleryInput } from "./schemas";
import { checkSelection, DEFAULT_DOWNLOADS, DEFAULT_SELECTION, defaultWatermark } from "./settings";
import { galleryRow, galleryView, galleryViews } from "./view";
import { rerenderPreviews } from "./watermark-changes";

export async function createGallery(tdb: TenantDb, pepper: string, input: CreateGalleryInput): Promise<GalleryView> {
  const profile = await getProfile(tdb);
  // The studio's defaults first, then what the form says.
  const defaults = await galleryDefaults(tdb);
  const selection = { ...DEFAULT_SELECTION, ...defaults.selection, ...input.selection };
  const bad = checkSelection(selection);
  if (bad) throw new AppError("invalid_input", bad);
  const id = newId("g");
  const top = await tdb.select(galleries).orderBy(desc(galleries.position)).limit(1);
  const insert = tdb.insert(galleries, {
    id,
    title: input.title,
    description: input.description ?? "",
    clientName: input.clientName ?? "",
    clientEmail: input.clientEmail ?? "",
    visibility: input.visibility ?? defaults.visibility,
    passwordHash: input.password ? await hashPassword(input.password, pepper) : null,
    expiresAt: input.expiresAt !== undefined ? input.expiresAt : defaultExpiry(defaults),
    downloads: {
      ...DEFAULT_DOWNLOADS,
      mode: input.downloads?.mode ?? defaults.downloadMode,
      pinRequired: !!input.downloads?.pin,
      who: input.downloads?.who ?? "everyone",
      limit: input.downloads?.limit ?? null,
    },
    requireEmail: input.requireEmail ?? false,
    showExif: input.showExif ?? true,
    downloadPinHash: input.downloads?.pin ? await hashPassword(input.downloads.pin, pepper) : null,
    watermark: { ...defaultWatermark(profile.name), ...defaults.watermark, ...input.watermark },
    priceSheetId: defaults.priceSheetId,
    selection,
    dueAt: selection.dueAt ?? null,
    position: (top[0]?.position ?? 0) + 1,
  });
  const sets = (input.sets ?? []).map((name, i) => tdb.insert(gallerySets, { id: newId("set"), galleryId: id, name, position: i + 1 }));
  await tdb.batch([insert, ...sets]);
  return galleryView(tdb, id);
}

export const galleryListQuery = pageQuery.extend({ q: z.string().trim().max(100, "must be at most 100 characters").optional() }).strict();

/** The dashboard's galleries, newest first, one page; `q` finds a title, client name or client email. */
export async function listGalleries(tdb: TenantDb, query: z.infer<typeof galleryListQuery>): Promise<GalleriesResponse> {
  const { after, orderBy } = keyset([galleries.position, galleries.id], "desc", query.cursor);
  const match = query.q ? containing([galleries.title, galleries.clientName, galleries.clientEmail], query.q) : undefined;
  const rows = await tdb
    .select(galleries, and(after, match))
    .orderBy(...orderBy)
    .limit(pageSize(query));
  const page = pageOf(
    rows,
    query,
    (g) => [g.position, g.id],
    (g) => g,
  );
  return { galleries: await galleryViews(tdb, page.items), next: page.next };
}

export async function updateGallery(
  deps: { tdb: TenantDb; jobs: ImageJobs; rooms: RoomSignals },
  pepper: string,
  galleryId: string,
  patch: UpdateGalleryInput,
): Promise<GalleryView> {
  const { tdb } = deps;
  const current = await galleryRow(tdb, galleryId);
  const visibility = patch.visibility ?? current.visibility;
  const passwordHash = patch.password === undefined ? current.passwordHash : patch.password === null ? null : await hashPassword(patch.password, pepper);
  if (visibility === "password" && !passwordHash) {
    throw new AppError("invalid_input", "password: is required when visibility is password");
  }
  const selection = { ...current.selection, ...patch.selection };
  const bad = checkSelection(selection);
  if (bad) throw new AppError("invalid_input", bad);
  if (patch.coverPhotoId) {
    const cover = await tdb.first(photos, and(eq(photos.id, patch.coverPhotoId), eq(photos.galleryId, galleryId)));
    if (!cover) throw new AppError("invalid_input", "coverPhotoId: is not a photo of this gallery");
  }
  await assertSheetExists(tdb, patch.priceSheetId);
  if (patch.watermark?.kind === "logo" && !current.watermark.logoKey) {
    throw new AppError("invalid_input", "watermark.kind: upload a logo (PNG) before choosing the logo watermark");
  }
  const pin = patch.downloads?.pin;
  const downloads = {
    mode: patch.downloads?.mode ?? current.downloads.mode,
    pinRequired: pin === undefined ? current.downloads.pinRequired : pin !== null,
    who: patch.downloads?.who ?? current.downloads.who ?? "everyone",
    limit: patch.downloads?.limit === undefined ? (current.downloads.limit ?? null) : patch.downloads.limit,
  };
  const watermarkChanged =
    patch.watermark !== undefined && Object.entries(patch.watermark).some(([k, v]) => current.watermark[k as keyof typeof current.watermark] !== v);
  await tdb.update(
    galleries,
    {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.clientName !== undefined && { clientName: patch.clientName }),
      ...(patch.clientEmail !== undefined && { clientEmail: patch.clientEmail }),
      ...(patch.expiresAt !== undefined && { expiresAt: patch.expiresAt }),
      ...(patch.requireEmail !== undefined && { requireEmail: patch.requireEmail }),
      ...(patch.showExif !== undefined && { showExif: patch.showExif }),
      ...(patch.coverPhotoId !== undefined && { coverPhotoId: patch.coverPhotoId }),
      ...(patch.priceSheetId !== undefined && { priceSheetId: patch.priceSheetId }),
      visibility,
      passwordHash,
      ...((visibility !== current.visibility || patch.password !== undefined) && { accessVersion: sql`${galleries.accessVersion} + 1` }),
      selection,
      dueAt: selection.dueAt ?? null,
      downloads,
      ...(pin !== undefined && { downloadPinHash: pin === null ? null : await hashPassword(pin, pepper) }),
      ...(watermarkChanged && {
        watermark: { ...current.watermark, ...patch.watermark },
        watermarkVersion: sql`${galleries.watermarkVersion} + 1`,
      }),
      updatedAt: Date.now(),
    },
    eq(galleries.id, galleryId),
  );
  if (watermarkChanged) await rerenderPreviews(tdb, deps.jobs, galleryId);
  // The open room re-reads its rules and closes clients whose access this change ended.
  if (patch.selection || patch.visibility || patch.password !== undefined || patch.expiresAt !== undefined) await deps.rooms.galleryChanged(galleryId);
  return galleryView(tdb, galleryId);
}

/** Deletes the gallery, its sets and photos, and every object it has in R2. */
export async function deleteGallery(deps: { tdb: TenantDb; media: TenantMedia; rooms: RoomSignals }, galleryId: string): Promise<void> {
  const { tdb, media } = deps;
  await galleryRow(tdb, galleryId);
  const pending = await tdb.select(photos, and(eq(photos.galleryId, galleryId), eq(photos.originalState, "uploading")));
  for (const p of pending) {
    if (p.originalUploadId) {
      await media
        .resumeMultipart(mediaKeys.original(galleryId, p.id), p.originalUploadId)
        .abort()
        .catch(() => undefined);
    }
  }
  // Rows first: once they are gone nothing serves the objects, so a failure below leaves only
  // unreachable bytes (swept by deletePrefix on retry), never a gallery pointing at nothing.
  const ids = (await tdb.select(photos, eq(photos.galleryId, galleryId))).map((p) => p.id);
  const partDeletes = statementsInChunks(uploadParts.photoId, ids, (inChunk) => tdb.delete(uploadParts, inChunk));
  await tdb.batch([
    tdb.delete(photos, eq(photos.galleryId, galleryId)),
    tdb.delete(gallerySets, eq(gallerySets.galleryId, galleryId)),
    tdb.delete(galleries, eq(galleries.id, galleryId)),
    tdb.delete(proofPicks, eq(proofPicks.galleryId, galleryId)),
    tdb.delete(proofLists, eq(proofLists.galleryId, galleryId)),
    tdb.delete(proofComments, eq(proofComments.galleryId, galleryId)),
    tdb.delete(proofActivity, eq(proofActivity.galleryId, galleryId)),
    ...partDeletes,
  ]);
  // The room finds its gallery gone, closes its sockets and deletes its storage.
  await deps.rooms.galleryChanged(galleryId);
  await media.deletePrefix(mediaKeys.gallery(galleryId));
}
