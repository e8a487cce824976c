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
import { fileBytes, orderParts, purchasedFiles } from "./purchased-files";

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
  const parts = orderParts(await purchasedFiles(deps.tdb, order));
  if (parts.length === 0) throw new AppError("not_found", "This order has no files to download.");
  await spendDownload(deps.tdb, grant.id);
  const expiresAt = Math.min(grant.expiresAt, Date.now() + KEY_TTL_SECONDS * 1000);
  const partKey = await new SignJWT({ tid: deps.tdb.tenantId })
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
    parts: parts.map((files, i) => ({
      n: i + 1,
      href: `${base}/zip/${partKey}/${i + 1}`,
      filename: partFilename(label(order.number), i + 1, parts.length),
      files: files.length,
      bytes: files.reduce((n, f) => n + fileBytes(f), 0),
    })),
  };
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
    throw new AppError("not_found", "This part link is invalid; open the order's page and download everything again.");
  }
  if (claims.tid !== deps.tdb.tenantId || claims.sub !== grant.id) {
    throw new AppError("not_found", "This part link is invalid; open the order's page and download everything again.");
  }
  const parts = orderParts(await purchasedFiles(deps.tdb, order));
  const files = parts[n - 1];
  if (!files) throw new AppError("not_found", `This order has ${parts.length} part${parts.length === 1 ? "" : "s"}, not ${n}.`);
  return {
    filename: partFilename(label(order.number), n, parts.length),
    body: zipPart(
      files.map((f) => ({
        label: f.photo.filename,
        lastModified: new Date(f.photo.createdAt),
        open: () => photoFile(deps.media, deps.images, f.photo, f.variant),
      })),
    ),
  };
}
