// "Download all" for an order too big for one zip (past PART_BYTES or PART_PHOTOS, as a gallery's
// zip): the order's files in numbered parts that each finish within a Worker's limits. Asking for
// the parts counts one download and answers a key good for a day; each part can then be fetched
// again with it (a dropped connection starts the part over) without counting more.
import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { AppError } from "../../lib/errors";
import { zipPart } from "../downloads/zip-entries";
import { partFilename } from "../downloads/zip-stream";
import { photoFile } from "../photos/serve";
import { getProfile } from "../studios/profile";
import { openGrant } from "./deliveries";
import { type DownloadDeps, spendDownload } from "./purchased-downloads";
import { type FileSlot, fileBytes, partBounds, present, purchasedSlots } from "./purchased-files";

const AUDIENCE = "loupe:order-zip";
const KEY_TTL_SECONDS = 24 * 3600;
const key = (secret: string) => new TextEncoder().encode(secret);

const label = (orderNumber: number) => `Order ${orderNumber}`;

/** The links a "download all" in parts answers: one per part, good until `expiresAt`. */
export interface OrderZipParts {
  studio: Awaited<ReturnType<typeof getProfile>>;
  orderNumber: number;
  expiresAt: number;
  /** Downloads the order's link has left after this one. */
  left: number;
  parts: { n: number; href: string; filename: string; files: number; bytes: number }[];
}

/** Counts one download and answers the links to every part. */
export async function planOrderZip(deps: DownloadDeps, token: string, base: string): Promise<OrderZipParts> {
  const { grant, order } = await openGrant(deps.tdb, deps.secret, token);
  const slots = await purchasedSlots(deps.tdb, order);
  const bounds = partBounds(slots);
  const total = bounds.length - 1;
  if (present(slots).length === 0) throw new AppError("not_found", "This order has no files to download.");
  await spendDownload(deps.tdb, grant.id);
  const expiresAt = Math.min(grant.expiresAt, Date.now() + KEY_TTL_SECONDS * 1000);
  // The cuts are signed into the key: each part keeps its files for the key's life, whatever the gallery does meanwhile.
  const partKey = await new SignJWT({ tid: deps.tdb.tenantId, b: bounds })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setSubject(grant.id)
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(key(deps.secret));
  return {
    studio: await getProfile(deps.tdb),
    orderNumber: order.number,
    expiresAt,
    left: Math.max(0, grant.maxDownloads - grant.downloads - 1),
    parts: Array.from({ length: total }, (_, i) => {
      const files = present(slots.slice(bounds[i], bounds[i + 1]));
      return {
        n: i + 1,
        href: `${base}/zip/${partKey}/${i + 1}`,
        filename: partFilename(label(order.number), i + 1, total),
        files: files.length,
        bytes: files.reduce((n, f) => n + fileBytes(f), 0),
      };
    }),
  };
}

const invalidPart = () => new AppError("not_found", "This part link is invalid; open the order's page and download everything again.");

/** The cuts a key names, if they are cuts of these slots. */
function boundsOf(claims: JWTPayload, slots: FileSlot[]): number[] | null {
  const b = claims.b;
  if (!Array.isArray(b) || b.length < 2 || b[0] !== 0 || b.at(-1) !== slots.length) return null;
  return b.every((x, i) => Number.isInteger(x) && (i === 0 || x > b[i - 1])) ? (b as number[]) : null;
}

/** Part `n`, for a key planOrderZip gave out for this link's grant; the link must still be good. */
export async function openOrderZipPart(deps: DownloadDeps, token: string, partKey: string, n: number) {
  const { grant, order } = await openGrant(deps.tdb, deps.secret, token);
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(partKey, key(deps.secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE }));
  } catch (err) {
    if (err instanceof errors.JWTExpired)
      throw new AppError("download_expired", "These part links have expired; open the order's page and download everything again.");
    throw invalidPart();
  }
  if (claims.tid !== deps.tdb.tenantId || claims.sub !== grant.id) throw invalidPart();
  const slots = await purchasedSlots(deps.tdb, order);
  const bounds = boundsOf(claims, slots);
  if (!bounds) throw invalidPart();
  const total = bounds.length - 1;
  if (n < 1 || n > total) throw new AppError("not_found", `This order has ${total} part${total === 1 ? "" : "s"}, not ${n}.`);
  return {
    filename: partFilename(label(order.number), n, total),
    body: zipPart(
      slots.slice(bounds[n - 1], bounds[n]).map((s) => {
        const photo = s.photo;
        return photo
          ? { label: photo.filename, lastModified: new Date(photo.createdAt), open: () => photoFile(deps.media, deps.images, photo, s.variant) }
          : { label: `a photo since removed from the gallery (${s.photoId})`, lastModified: new Date(), open: () => Promise.reject(new Error("removed")) };
      }),
    ),
  };
}
