// "Gallery closes soon": galleries closing within three days are announced once to the studio
// and to the gallery's buyers (the daily cron).
import { and, eq, gt, isNotNull, lte } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { galleries, orders, studioProfiles } from "../../db/tenant-schema";
import { galleryExpiring } from "./messages";
import { queueMail } from "./outbox";

export const EXPIRY_NOTICE_MS = 3 * 86_400_000;

/** Galleries closing within three days: the studio and the gallery's buyers are told once. */
export async function queueExpiryNotices(tdb: TenantDb, origin: string, now = Date.now()): Promise<number> {
  const closing = await tdb.select(
    galleries,
    and(isNotNull(galleries.expiresAt), gt(galleries.expiresAt, now), lte(galleries.expiresAt, now + EXPIRY_NOTICE_MS)),
  );
  if (closing.length === 0) return 0;
  const studio = await tdb.first(studioProfiles);
  let queued = 0;
  for (const g of closing) {
    const buyers = await tdb.selectFields({ email: orders.customerEmail }, orders, { where: eq(orders.galleryId, g.id), groupBy: [orders.customerEmail] });
    const to = new Set([studio?.contactEmail, ...buyers.map((b) => b.email)].filter((e): e is string => !!e));
    for (const email of to) {
      await queueMail(
        tdb,
        galleryExpiring(email, studio?.name ?? "Your photographer", { id: g.id, title: g.title, expiresAt: g.expiresAt! }, `${origin}/g/${g.id}`),
      );
      queued++;
    }
  }
  return queued;
}
