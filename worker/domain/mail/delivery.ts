// The mail queue's consumer. A message names one outbox row; the row is the record. The consumer
// leases the row before it calls the provider (so two deliveries of one message cannot both send),
// sends it with the row id as the provider's idempotency key (so a crash between the provider's
// yes and our "sent" does not send twice), and marks it sent; a failure is retried with backoff
// until the outbox gives up on it and says why in the mailbox.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { tenantDb } from "../../db/shards";
import { emailOutbox } from "../../db/tenant-schema";
import { type MailJob, mailJobSchema } from "./jobs";
import { MAIL_ATTEMPTS, markMail } from "./outbox";

// Longer than a provider call can take: a lease still held means another delivery is sending.
const LEASE_MS = 60_000;

export const mailBackoffSeconds = (attempt: number) => Math.min(600, 2 ** attempt);

type Outcome = "sent" | "skipped" | "retry" | "failed";

async function deliverOne(env: Env, job: MailJob, now = Date.now()): Promise<Outcome> {
  // Without a provider (a local run) mail waits in the mailbox, readable in the dashboard.
  if (!env.EMAIL_API_URL) return "skipped";
  const tdb = tenantDb(env, { id: job.tenantId, slug: job.slug, shard: job.shard });
  const [mail] = await tdb
    .update(
      emailOutbox,
      { leasedUntil: now + LEASE_MS, attempts: sql`${emailOutbox.attempts} + 1` },
      and(eq(emailOutbox.id, job.mailId), eq(emailOutbox.status, "queued"), or(isNull(emailOutbox.leasedUntil), lt(emailOutbox.leasedUntil, now))),
    )
    .returning();
  // Sent already, given up on, gone with its studio, or being sent by another delivery.
  if (!mail) return "skipped";
  try {
    const res = await fetch(env.EMAIL_API_URL, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.EMAIL_API_KEY ?? ""}`, "idempotency-key": mail.id },
      body: JSON.stringify({ from: env.EMAIL_FROM, to: [mail.to], subject: mail.subject, text: mail.text }),
    });
    if (!res.ok) throw new Error(`the mail provider answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await markMail(tdb, mail.id, { sent: true });
    return "sent";
  } catch (err) {
    await markMail(tdb, mail.id, { sent: false, error: String(err), attempts: mail.attempts });
    return mail.attempts >= MAIL_ATTEMPTS ? "failed" : "retry";
  }
}

export async function handleMailBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const job = mailJobSchema.safeParse(message.body);
    if (!job.success) {
      console.error(JSON.stringify({ level: "error", msg: "dropping malformed mail message", id: message.id }));
      message.ack();
      continue;
    }
    try {
      const outcome = await deliverOne(env, job.data);
      if (outcome === "retry") message.retry({ delaySeconds: mailBackoffSeconds(message.attempts) });
      else message.ack();
      if (outcome === "failed") console.error(JSON.stringify({ level: "error", msg: "mail failed", mailId: job.data.mailId }));
    } catch (err) {
      // D1 itself failed: the row is as it was (or leased, and the lease runs out); try again.
      console.warn(JSON.stringify({ level: "warn", msg: "mail delivery will retry", mailId: job.data.mailId, error: String(err) }));
      message.retry({ delaySeconds: mailBackoffSeconds(message.attempts) });
    }
  }
}
