// The lab fetches each print's image from a link only that lab order can use: a token naming the
// studio, the order, the line and the order's send generation, valid for 30 days (labs download at
// once, and again for a reprint). The link stops working when the order is cancelled or sent anew.
import { eq } from "drizzle-orm";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { TenantDb } from "../../db/tenant-db";
import { labOrders, photos } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";

const AUDIENCE = "loupe:lab-image";
const LINK_DAYS = 30;
const key = (secret: string) => new TextEncoder().encode(secret);

export interface LabImageClaims {
  tid: string;
  oid: string;
  ref: string;
  gen: number;
}

export async function labImageUrl(secret: string, appOrigin: string, claims: LabImageClaims): Promise<string> {
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setExpirationTime(`${LINK_DAYS}d`)
    .sign(key(secret));
  return `${appOrigin}/lab/images/${token}.jpg`;
}

const gone = () => new AppError("link_invalid", "This image link is not valid, or has expired.");

/** The studio the link is for, read before any database is touched. */
export async function labImageClaims(secret: string, token: string): Promise<LabImageClaims> {
  try {
    const { payload } = await jwtVerify(token.replace(/\.jpg$/, ""), key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE });
    const { tid, oid, ref, gen } = payload as Partial<LabImageClaims>;
    if (typeof tid !== "string" || typeof oid !== "string" || typeof ref !== "string" || typeof gen !== "number") throw gone();
    return { tid, oid, ref, gen };
  } catch (err) {
    if (err instanceof AppError || err instanceof joseErrors.JOSEError) throw gone();
    throw err;
  }
}

const SERVABLE = new Set(["queued", "submitted", "in_production", "shipped"]);

/**
 * The full-resolution original for one line of a lab order that is still live, cut to the client's
 * crop by the IMAGES binding (outside the isolate: a 24-megapixel original is 96 MB of pixels).
 */
export async function labImage(
  tdb: TenantDb,
  media: TenantMedia,
  images: ImagesBinding,
  claims: LabImageClaims,
): Promise<{ body: ReadableStream; type: string; size: number | null }> {
  const order = await tdb.first(labOrders, eq(labOrders.orderId, claims.oid));
  if (!order || order.generation !== claims.gen || !SERVABLE.has(order.status)) throw gone();
  const line = order.lines.find((l) => l.ref === claims.ref);
  if (!line) throw gone();
  const photo = await tdb.first(photos, eq(photos.id, line.photoId));
  if (photo?.originalState !== "stored") throw new AppError("not_found", "The original of this photo is not available yet.");
  const object = await media.get(mediaKeys.original(photo.galleryId, photo.id));
  if (!object) throw new AppError("not_found", "The original of this photo is not available yet.");
  const { crop } = line;
  if (!crop || !photo.width || !photo.height) return { body: object.body, type: photo.contentType, size: object.size };
  // Edges rounded on their own, so the trim never reaches past the photo.
  const edge = (f: number, size: number) => Math.min(size, Math.max(0, Math.round(f * size)));
  const [left, top] = [edge(crop.x, photo.width), edge(crop.y, photo.height)];
  const trim = { left, top, width: edge(crop.x + crop.width, photo.width) - left, height: edge(crop.y + crop.height, photo.height) - top };
  const out = await images.input(object.body).transform({ trim }).output({ format: "image/jpeg", quality: 95 });
  return { body: out.image(), type: "image/jpeg", size: null };
}
