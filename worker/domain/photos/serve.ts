// Derivatives to look at, and downloads by signed, expiring links (jose). Originals are never
// public: a download needs the gallery's rule to allow that size (and its PIN, if it has one).
import { eq } from "drizzle-orm";
import { type JWTPayload, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { DownloadLink } from "../../contract/galleries";
import type { TenantDb } from "../../db/tenant-db";
import { photos } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";
import { recordDownload } from "../downloads/history";
import { checkDownload, spendPhotos } from "../downloads/rights";
import type { VisitorClaims } from "../galleries/access";
import type { GalleryRow } from "../galleries/view";
import { type PhotoRow, requirePhoto } from "./photos";

export const HIGH_RES_EDGE = 3600;
const DOWNLOAD_TTL_SECONDS = 10 * 60;
const AUDIENCE = "loupe:download";

export const downloadSchema = z
  .object({ size: z.enum(["web", "high_res", "original"]), pin: z.string().max(8, "must be at most 8 digits").optional() })
  .strict();

/** A thumbnail straight from R2: its key names gallery and photo, so no row needs reading. */
export async function thumbnail(media: TenantMedia, galleryId: string, photoId: string) {
  const obj = await media.get(mediaKeys.thumb(galleryId, photoId));
  if (!obj) throw new AppError("not_found", "No such photo here, or it is still being processed.");
  return obj;
}

export async function derivative(tdb: TenantDb, media: TenantMedia, galleryId: string, photoId: string, variant: "thumb" | "preview") {
  const photo = await requirePhoto(tdb, galleryId, photoId);
  if (photo.previewVersion === 0) throw new AppError("not_found", `"${photo.filename}" is still being processed.`);
  const key = variant === "thumb" ? mediaKeys.thumb(galleryId, photoId) : mediaKeys.preview(galleryId, photoId, photo.previewVersion);
  const obj = await media.get(key);
  if (!obj) throw new AppError("not_found", `"${photo.filename}" has no ${variant} yet.`);
  return obj;
}

const key = (secret: string) => new TextEncoder().encode(secret);

export async function downloadLink(
  tdb: TenantDb,
  secret: string,
  pepper: string,
  gallery: GalleryRow,
  visitor: VisitorClaims | null,
  photoId: string,
  input: z.infer<typeof downloadSchema>,
): Promise<DownloadLink> {
  const photo = await requirePhoto(tdb, gallery.id, photoId);
  await checkDownload(tdb, pepper, gallery, visitor, input.size, input.pin);
  // A small original is its own master, so "web" is served from it.
  const ready = input.size === "web" ? photo.hasMaster || photo.originalState === "stored" : photo.originalState === "stored";
  if (!ready) throw new AppError("not_found", `"${photo.filename}" is not available at that size yet.`);
  await spendPhotos(tdb, gallery, visitor, 1);
  await recordDownload(tdb, gallery.id, visitor, {
    scope: "photo",
    label: photo.filename,
    size: input.size,
    bytes: input.size === "web" && photo.hasMaster ? photo.masterBytes : photo.size,
    parts: [[photo.id]],
  });
  const token = await new SignJWT({ tid: tdb.tenantId, gid: gallery.id, pid: photo.id, size: input.size })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${DOWNLOAD_TTL_SECONDS}s`)
    .sign(key(secret));
  return { url: `/dl/${token}`, expiresAt: Date.now() + DOWNLOAD_TTL_SECONDS * 1000 };
}

/** The file a download link names, on the studio that issued it. */
export async function openDownload(tdb: TenantDb, media: TenantMedia, images: ImagesBinding, secret: string, token: string) {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE }));
  } catch {
    throw new AppError("not_found", "This download link is invalid or has expired; ask for a new one.");
  }
  if (claims.tid !== tdb.tenantId || typeof claims.pid !== "string" || typeof claims.gid !== "string") {
    throw new AppError("not_found", "This download link is invalid or has expired; ask for a new one.");
  }
  const photo = await tdb.first(photos, eq(photos.id, claims.pid));
  if (!photo || photo.galleryId !== claims.gid) throw new AppError("not_found", "This photo is no longer available.");
  return photoFile(media, images, photo, claims.size as "web" | "high_res" | "original");
}

export interface PhotoFile {
  body: ReadableStream;
  filename: string;
  contentType: string;
  size: number | null;
}

/** Whether photoFile can open this photo at this size: the objects it reads are there. */
export async function photoFileExists(media: TenantMedia, photo: PhotoRow, size: "web" | "high_res" | "original"): Promise<boolean> {
  if (size === "web" && photo.hasMaster && (await media.head(mediaKeys.master(photo.galleryId, photo.id)))) return true;
  return (await media.head(mediaKeys.original(photo.galleryId, photo.id))) !== null;
}

/** One photo's file at a download size: gallery downloads and purchased downloads alike. */
export async function photoFile(media: TenantMedia, images: ImagesBinding, photo: PhotoRow, size: "web" | "high_res" | "original"): Promise<PhotoFile> {
  const base = photo.filename.replace(/\.[^.]+$/, "");
  if (size === "web") {
    const master = photo.hasMaster ? await media.get(mediaKeys.master(photo.galleryId, photo.id)) : null;
    if (master) return { body: master.body, filename: `${base}-web.jpg`, contentType: "image/jpeg", size: master.size as number | null };
    // Small originals are their own master: the web size is the file itself.
    const small = await media.get(mediaKeys.original(photo.galleryId, photo.id));
    if (!small) throw new AppError("not_found", "This photo is no longer available.");
    return { body: small.body, filename: photo.filename, contentType: photo.contentType, size: small.size as number | null };
  }
  const original = await media.get(mediaKeys.original(photo.galleryId, photo.id));
  if (!original) throw new AppError("not_found", "This photo is no longer available.");
  const big = photo.width !== null && photo.height !== null && Math.max(photo.width, photo.height) > HIGH_RES_EDGE;
  // A resized copy loses the EXIF orientation tag, so a rotated photo is sent as its original
  // (which keeps the tag every viewer honours) rather than risk a sideways download.
  if (size === "high_res" && big && (photo.exif?.orientation ?? 1) === 1) {
    const s = HIGH_RES_EDGE / Math.max(photo.width!, photo.height!);
    const out = await images
      .input(original.body)
      .transform({ width: Math.round(photo.width! * s), height: Math.round(photo.height! * s), fit: "scale-down" })
      .output({ format: "image/jpeg", quality: 92 });
    return { body: out.image(), filename: `${base}-high-res.jpg`, contentType: "image/jpeg", size: null };
  }
  return { body: original.body, filename: photo.filename, contentType: photo.contentType, size: original.size as number | null };
}
