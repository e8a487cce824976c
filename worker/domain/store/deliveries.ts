// Digital delivery: a paid order with downloads gets one grant (30 days, 10 downloads) and a
// signed link to it, mailed to the client; the studio can renew it. What the link then serves is
// in purchased-downloads.ts.
import { eq } from "drizzle-orm";
import { type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { DownloadsView, OrderDetailResponse } from "../../contract/store";
import type { TenantDb } from "../../db/tenant-db";
import { downloadGrants, orders } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { downloadsReady } from "../mail/messages";
import { commitWithMail, queueMail } from "../mail/outbox";
import { getProfile } from "../studios/profile";
import { isPaid, type OrderDeps, type OrderRow, orderView, requireOrder } from "./orders";

const AUDIENCE = "loupe:order-download";
export const GRANT_DAYS = 30;
export const GRANT_DOWNLOADS = 10;
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
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "loupe", audience: AUDIENCE }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new AppError("download_expired", "This download link has expired; ask the studio for a new one.");
    throw invalid();
  }
  if (claims.tid !== tdb.tenantId || typeof claims.oid !== "string" || claims.sub !== grantIdOf(claims.oid)) throw invalid();
  const [grant, order] = await Promise.all([tdb.first(downloadGrants, eq(downloadGrants.id, claims.sub)), tdb.first(orders, eq(orders.id, claims.oid))]);
  if (!grant || !order) throw invalid();
  if (!isPaid(order.status)) throw new AppError("forbidden", `Order #${order.number} is ${order.status}; its downloads are closed.`);
  if (grant.expiresAt <= Date.now()) throw new AppError("download_expired", "This download link has expired; ask the studio for a new one.");
  return { grant, order };
}

/** How much of an order's download link is used, for the studio; null without downloads. */
export async function downloadsOf(tdb: TenantDb, orderId: string): Promise<DownloadsView | null> {
  const grant = await tdb.first(downloadGrants, eq(downloadGrants.id, grantIdOf(orderId)));
  return grant ? { used: grant.downloads, max: grant.maxDownloads, expiresAt: grant.expiresAt } : null;
}

/** An order for the studio, with how much of its download link is used. */
export async function orderWithDownloads(tdb: TenantDb, orderId: string): Promise<OrderDetailResponse> {
  const order = await requireOrder(tdb, orderId);
  return { order: orderView(order), downloads: await downloadsOf(tdb, order.id) };
}

/**
 * The studio renews a client's downloads: the count starts again and the link works 30 more
 * days. A link's expiry is signed into it, so the client is mailed a new one.
 */
export async function renewDownloads(deps: OrderDeps, orderId: string, now = Date.now()): Promise<DownloadsView> {
  const { tdb } = deps;
  const order = await requireOrder(tdb, orderId);
  if (!isPaid(order.status)) throw new AppError("order_conflict", `Order #${order.number} is ${order.status}; only a paid order's downloads can be renewed.`);
  if (!hasDownloads(order)) throw new AppError("order_conflict", `Order #${order.number} has no downloads to renew.`);
  const expiresAt = now + GRANT_DAYS * 86_400_000;
  const [studio, link] = await Promise.all([getProfile(tdb), downloadLinkFor(tdb, deps.secret, deps.origin, order.id, expiresAt)]);
  const mail = downloadsReady(order, studio.name, link, expiresAt, GRANT_DOWNLOADS);
  await commitWithMail(tdb, [
    tdb
      .insert(downloadGrants, { id: grantIdOf(order.id), orderId: order.id, expiresAt, maxDownloads: GRANT_DOWNLOADS })
      .onConflictDoUpdate({ target: [downloadGrants.tenantId, downloadGrants.id], set: { downloads: 0, expiresAt, maxDownloads: GRANT_DOWNLOADS } }),
    queueMail(tdb, { ...mail, key: `${mail.key}:renewed:${now}` }),
  ]);
  return { used: 0, max: GRANT_DOWNLOADS, expiresAt };
}
