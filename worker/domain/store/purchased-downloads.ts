// What an order's download link serves: the page of files bought, each file, and all of them as
// one zip when they fit in one (order-zip.ts serves the parts of a bigger one). Each file or zip
// taken counts one download by a conditional UPDATE, so parallel requests cannot pass the limit;
// and what is taken is opened first, so a file that cannot be read does not use one up. The zip is
// streamed file by file (client-zip): only the file being copied is in flight, never the archive.
import { makeZip } from "client-zip";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { downloadGrants } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import type { TenantMedia } from "../../storage/tenant-media";
import { namer, zipEntry } from "../downloads/zip-entries";
import { type PhotoFile, photoFile, photoFileExists } from "../photos/serve";
import { getProfile } from "../studios/profile";
import { GRANT_DOWNLOADS, openGrant } from "./deliveries";
import { type PurchasedFile, partBounds, present, purchasedSlots } from "./purchased-files";

export interface DownloadDeps {
  tdb: TenantDb;
  media: TenantMedia;
  images: ImagesBinding;
  secret: string;
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

/** Opens what was asked for, then counts one download: what cannot be read uses none up. */
async function deliver<T>(tdb: TenantDb, grantId: string, open: () => Promise<T>): Promise<T> {
  const out = await open();
  await spendDownload(tdb, grantId);
  return out;
}

/** The downloads page of a link: the order, what is left of the link, the files and the studio. */
export async function orderDownloads(deps: DownloadDeps, token: string) {
  const { grant, order } = await openGrant(deps.tdb, deps.secret, token);
  const [slots, studio] = await Promise.all([purchasedSlots(deps.tdb, order), getProfile(deps.tdb)]);
  return { grant, order, files: present(slots), studio, parts: partBounds(slots).length - 1 };
}

/** File `n` of the order's list, counted as one download. */
export async function downloadPurchasedFile(deps: DownloadDeps, token: string, n: number): Promise<PhotoFile> {
  const { grant, order } = await openGrant(deps.tdb, deps.secret, token);
  const file = present(await purchasedSlots(deps.tdb, order))[n];
  if (!file) throw new AppError("not_found", "This order has no such file.");
  return deliver(deps.tdb, grant.id, () => photoFile(deps.media, deps.images, file.photo, file.variant));
}

/** Every file of an order small enough for one zip, counted as one download (bigger ones: order-zip.ts). */
export async function downloadPurchasedZip(deps: DownloadDeps, token: string): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { grant, order } = await openGrant(deps.tdb, deps.secret, token);
  const slots = await purchasedSlots(deps.tdb, order);
  const files = present(slots);
  if (partBounds(slots).length - 1 > 1) {
    throw new AppError("order_conflict", `Order #${order.number} is too big for one zip; download it in parts from the order's page.`);
  }
  return deliver(deps.tdb, grant.id, async () => {
    // The zip is written as it is sent: a file found missing half-way would leave a broken archive.
    for (let i = 0; i < files.length; i += 20) {
      const batch = files.slice(i, i + 20);
      const there = await Promise.all(batch.map((f) => photoFileExists(deps.media, f.photo, f.variant)));
      const missing = batch.find((_, j) => !there[j]);
      if (missing) throw new AppError("not_found", `"${missing.photo.filename}" is no longer available; ask the studio.`);
    }
    return { filename: `order-${order.number}.zip`, body: zipOf(deps, files) };
  });
}

/** Each file is opened only when the zip reaches it; names that repeat get " (2)", " (3)". */
function zipOf(deps: DownloadDeps, files: PurchasedFile[]): ReadableStream<Uint8Array> {
  const name = namer();
  async function* entries() {
    for (const f of files) {
      const out = await photoFile(deps.media, deps.images, f.photo, f.variant);
      yield zipEntry(name(out.filename), out, new Date(f.photo.createdAt));
    }
  }
  return makeZip(entries());
}
