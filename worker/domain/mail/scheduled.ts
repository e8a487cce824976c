// What the cron does with mail (worker/cron.ts). Every two minutes, queued mail goes out through
// the provider's HTTP API (EMAIL_API_URL, a JSON POST with a bearer key, as Resend and
// Postmark-style APIs take it), each with its outbox id as the idempotency key so a retried run
// does not send twice; without a provider nothing is sent and the mailbox shows it. Once a day,
// galleries closing within three days are announced once to the studio and to their buyers.
import { and, asc, eq, gt, isNotNull, lte } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { emailOutbox, galleries, orders, studioProfiles } from "../../db/tenant-schema";
import { galleryExpiring } from "./messages";
import { markMail, queueMail } from "./outbox";

const BATCH = 50;

export async function deliverQueuedMail(env: Env, tdb: TenantDb): Promise<{ sent: number; failed: number }> {
  const out = { sent: 0, failed: 0 };
  if (!env.EMAIL_API_URL) return out;
  const queued = await tdb.select(emailOutbox, eq(emailOutbox.status, "queued")).orderBy(asc(emailOutbox.createdAt)).limit(BATCH);
  for (const m of queued) {
    try {
      const res = await fetch(env.EMAIL_API_URL, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${env.EMAIL_API_KEY ?? ""}`, "idempotency-key": m.id },
        body: JSON.stringify({ from: env.EMAIL_FROM, to: [m.to], subject: m.subject, text: m.text }),
      });
      if (!res.ok) throw new Error(`the provider answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      await markMail(tdb, m.id, { sent: true });
      out.sent++;
    } catch (err) {
      await markMail(tdb, m.id, { sent: false, error: String(err), attempts: m.attempts + 1 });
      out.failed++;
    }
  }
  return out;
}

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
