// The mail outbox: mail is written to D1 with the change that causes it, under an id derived from
// that change, so a replayed webhook or a retried request never sends the same mail twice. The
// cron sends it through the provider (delivery.ts); without one, the dashboard's mailbox shows it.
import { desc, eq, sql } from "drizzle-orm";
import type { EmailKind, MailView } from "../../contract/store";
import type { TenantDb } from "../../db/tenant-db";
import { emailOutbox } from "../../db/tenant-schema";

export interface Mail {
  /** Stable for the event the mail is about, e.g. `order:<id>:confirmation`. */
  key: string;
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
}

// Written with the millisecond: mail from one request (a payment, then its renewal) keeps its order.
export function queueMail(tdb: TenantDb, mail: Mail) {
  return tdb
    .insert(emailOutbox, { id: `em:${mail.key}`, kind: mail.kind, to: mail.to, subject: mail.subject, text: mail.text, createdAt: Date.now() })
    .onConflictDoNothing();
}

/** Newest first; mail written in the same millisecond in the order it was written. */
export async function listMail(tdb: TenantDb, limit = 200): Promise<MailView[]> {
  const rows = await tdb.select(emailOutbox).orderBy(desc(emailOutbox.createdAt), desc(sql`rowid`)).limit(limit);
  return rows.map(({ tenantId: _t, ...m }) => m);
}

export function markMail(tdb: TenantDb, id: string, outcome: { sent: true } | { sent: false; error: string; attempts: number }) {
  return outcome.sent
    ? tdb.update(emailOutbox, { status: "sent", sentAt: Date.now(), lastError: null }, eq(emailOutbox.id, id))
    : tdb.update(
        emailOutbox,
        { status: outcome.attempts >= 5 ? "failed" : "queued", attempts: outcome.attempts, lastError: outcome.error.slice(0, 500) },
        eq(emailOutbox.id, id),
      );
}
