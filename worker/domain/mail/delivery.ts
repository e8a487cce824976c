// Sends queued mail through the provider's HTTP API (EMAIL_API_URL, a JSON POST with a bearer
// key, as Resend and Postmark-style APIs take it), each with its outbox id as the idempotency key
// so a retried run does not send twice. Without a provider nothing is sent: the mailbox shows it.
import { asc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { emailOutbox } from "../../db/tenant-schema";
import { markMail } from "./outbox";

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
