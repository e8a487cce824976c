// The mail outbox: mail is written to D1 with the change that causes it, under an id derived from
// that change, so a replayed webhook or a retried request never sends the same mail twice. The
// cron sends it through the provider (delivery.ts); without one, the dashboard's mailbox shows it.
import { eq, getTableColumns, sql } from "drizzle-orm";
import type { EmailKind, MailResponse } from "../../contract/store";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
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

export const mailListQuery = pageQuery.strict();

/** One page of what the studio's mail said, newest first; rowid orders mails of the same millisecond. */
export async function listMail(tdb: TenantDb, query: PageQuery): Promise<MailResponse> {
  const { after, orderBy } = keyset([emailOutbox.createdAt, sql`rowid`], "desc", query.cursor);
  const rows = await tdb.selectFields({ row: sql<number>`rowid`, ...getTableColumns(emailOutbox) }, emailOutbox, {
    where: after,
    orderBy,
    limit: pageSize(query),
  });
  const page = pageOf(
    rows,
    query,
    (m) => [m.createdAt, m.row],
    ({ tenantId: _t, row: _r, ...m }) => m,
  );
  return { mail: page.items, next: page.next };
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
