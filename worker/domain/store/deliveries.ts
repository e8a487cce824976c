// Digital delivery: a paid order with downloads gets one grant (30 days, 10 downloads) and a
// signed link to it. Each file or zip taken counts one download, by a conditional UPDATE, so
// parallel requests cannot pass the limit. The zip is streamed file by file (client-zip): only
// the file being copied is in flight, never the archive.

import { makeZip } from "client-zip";
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { TenantDb } from "../../db/tenant-db";
import { downloadGrants, orders, photos } from "../../db/tenant-schema";
import { AppError } from "../../http/errors";
import type { TenantMedia } from "../../storage/tenant-media";
import { type PhotoFile, photoFile } from "../photos/serve";
import { getProfile } from "../studios/profile";
import { downloadsReady, queueMail } from "./emails";
import type { OrderDeps } from "./order-status";
import { type OrderRow, requireOrder } from "./orders";

const AUDIENCE = "loupe:order-download";
export const GRANT_DAYS = 30;
export const GRANT_DOWNLOADS = 10;
const PAID = ["paid", "fulfilled", "shipped", "completed"] as const;
const key = (secret: string) => new TextEncoder().encode(secret);

export const grantIdOf = (orderId: string) => `dg_${orderId}`;
export const hasDownloads = (o: Pick<OrderRow, "lines">) => o.lines.some((l) => l.variant !== null);

/** The grant row for a paid order; inserted once, whoever asks again. */
export function grantFor(tdb: TenantDb, order: OrderRow, paidAt: number) {
  return tdb
    .insert(downloadGrants, { id: grantIdOf(order.id), orderId: order.id, expiresAt: paidAt + GRANT_DAYS * 86_400_000, maxDownloads: GRANT_DOWNLOADS })
    .onConflictDoNothing();
}

export async function downloadLinkFor(tdb: TenantDb, secret: string, origin: string, orderId: string, expiresAt: number): Promise<string> {
  const token = await new SignJWT({ tid: tdb.tenantId, oid: orderId })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("loupe")
    .setAudience(AUDIENCE)
    .setSubject(grantIdOf(orderId))
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(key(secret));
  return `${origin}/o/${token}`;
}

const invalid = () => new AppError("not_found", "This download link is invalid; use the link in your order email.");

/** The grant and order a link names, if it is genuine, this studio's, unexpired and paid for. */
export async function openGrant(tdb: TenantDb, secret: string, token: string) {
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new AppError("download_expired", "This download link has expired; ask the studio for a new one.");
    throw invalid();
  }
  if (claims.tid !== tdb.tenantId || typeof claims.oid !== "string" || claims.sub !== grantIdOf(claims.oid)) throw invalid();
  const [grant, order] = await Promise.all([tdb.first(downloadGrants, eq(downloadGrants.id, claims.sub)), tdb.first(orders, eq(orders.id, claims.oid))]);
  if (!grant || !order) throw invalid();
  if (!(PAID as readonly string[]).includes(order.status))
    throw new AppError("forbidden", `Order #${order.number} is ${order.status}; its downloads are closed.`);
  if (grant.expiresAt <= Date.now()) throw new AppError("download_expired", "This download link has expired; ask the studio for a new one.");
  return { grant, order };
}

/** Counts one download, or says why there is none left. */
export async function spendDownload(tdb: TenantDb, grantId: string): Promise<void> {
  const now = Date.now();
  const res = await tdb.update(
    downloadGrants,
    { downloads: sql`${downloadGrants.downloads} + 1` },
    and(eq(downloadGrants.id, grantId), lt(downloadGrants.downloads, downloadGrants.maxDownloads), gt(downloadGrants.expiresAt, now)),
  );
  if (res.meta.changes === 1) return;
  const grant = await tdb.first(downloadGrants, eq(downloadGrants.id, grantId));
  if (grant && grant.expiresAt <= now) throw new AppError("download_expired", "This download link has expired; ask the studio for a new one.");
  throw new AppError(
    "download_limit_reached",
    `This link has been used ${grant?.maxDownloads ?? GRANT_DOWNLOADS} times, its limit; ask the studio to reset it.`,
  );
}

/** How much of an order's download link is used, for the studio; null without downloads. */
export async function downloadsOf(tdb: TenantDb, orderId: string) {
  const grant = await tdb.first(downloadGrants, eq(downloadGrants.id, grantIdOf(orderId)));
  return grant ? { used: grant.downloads, max: grant.maxDownloads, expiresAt: grant.expiresAt } : null;
}

/**
 * The studio renews a client's downloads: the count starts again and the link works 30 more
 * days. A link's expiry is signed into it, so the client is mailed a new one.
 */
export async function renewDownloads(deps: OrderDeps, orderId: string, now = Date.now()) {
  const { tdb } = deps;
  const order = await requireOrder(tdb, orderId);
  if (!(PAID as readonly string[]).includes(order.status))
    throw new AppError("order_conflict", `Order #${order.number} is ${order.status}; only a paid order's downloads can be renewed.`);
  if (!hasDownloads(order)) throw new AppError("order_conflict", `Order #${order.number} has no downloads to renew.`);
  const expiresAt = now + GRANT_DAYS * 86_400_000;
  const [studio, link] = await Promise.all([getProfile(tdb), downloadLinkFor(tdb, deps.secret, deps.origin, order.id, expiresAt)]);
  const mail = downloadsReady(order, studio.name, link, expiresAt, GRANT_DOWNLOADS);
  await tdb.batch([
    tdb
      .insert(downloadGrants, { id: grantIdOf(order.id), orderId: order.id, expiresAt, maxDownloads: GRANT_DOWNLOADS })
      .onConflictDoUpdate({ target: [downloadGrants.tenantId, downloadGrants.id], set: { downloads: 0, expiresAt, maxDownloads: GRANT_DOWNLOADS } }),
    queueMail(tdb, { ...mail, key: `${mail.key}:renewed:${now}` }),
  ]);
  return { used: 0, max: GRANT_DOWNLOADS, expiresAt };
}

/** Every file the order bought: one entry per photo and size. */
export async function purchasedFiles(tdb: TenantDb, order: OrderRow) {
  const wanted = order.lines.flatMap((l) => (l.variant ? l.photoIds.map((photoId) => ({ photoId, variant: l.variant! })) : []));
  const ids = [...new Set(wanted.map((w) => w.photoId))];
  const rows = [];
  for (let i = 0; i < ids.length; i += 90)
    rows.push(...(await tdb.select(photos, and(eq(photos.galleryId, order.galleryId), inArray(photos.id, ids.slice(i, i + 90))))));
  const byId = new Map(rows.map((p) => [p.id, p]));
  const seen = new Set<string>();
  return wanted.flatMap((w) => {
    const photo = byId.get(w.photoId);
    const key = `${w.photoId}:${w.variant}`;
    if (!photo || seen.has(key)) return [];
    seen.add(key);
    return [{ photo, variant: w.variant }];
  });
}

export type PurchasedFile = Awaited<ReturnType<typeof purchasedFiles>>[number];

export function purchasedFile(media: TenantMedia, images: ImagesBinding, file: PurchasedFile): Promise<PhotoFile> {
  return photoFile(media, images, file.photo, file.variant);
}

/** A zip of the files, made as it is sent: each file is opened only when the zip reaches it. */
export function zipOf(media: TenantMedia, images: ImagesBinding, files: PurchasedFile[]): ReadableStream<Uint8Array> {
  const names = new Map<string, number>();
  async function* entries() {
    for (const f of files) {
      const out = await purchasedFile(media, images, f);
      const n = (names.get(out.filename) ?? 0) + 1;
      names.set(out.filename, n);
      const name = n === 1 ? out.filename : out.filename.replace(/(\.[^.]+)?$/, ` (${n})$1`);
      yield { name, input: out.body, lastModified: new Date(f.photo.createdAt), ...(out.size !== null && { size: out.size }) };
    }
  }
  return makeZip(entries());
}
