// The mail outbox: mail is written to D1 with the change that causes it, under an id derived from
// that change, so a replayed webhook or a retried request never sends the same mail twice. Once
// the change has committed, the row's id goes to the mail queue and the consumer (delivery.ts)
// sends it; without a provider, the dashboard's mailbox shows it.
import { eq, getTableColumns, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { EmailKind, MailResponse } from "../../contract/store";
import { keyset, type PageQuery, pageOf, pageQuery, pageSize } from "../../db/paging";
import type { TenantDb } from "../../db/tenant-db";
import { emailOutbox } from "../../db/tenant-schema";
import { sendAll } from "../../lib/queues";
import type { StudioMailJob } from "./jobs";

export interface Mail {
  /** Stable for the event the mail is about, e.g. `order:<id>:confirmation`. */
  key: string;
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export const MAIL_ATTEMPTS = 8;

// The outbox rows a statement writes, so commitWithMail can announce them once they are in.
const outboxIds = new WeakMap<object, string>();

/**
 * The outbox row for `mail`, as a statement for the batch that makes the change the mail is about.
 * Commit that batch with commitWithMail, or the mail waits for the sweep (up to ten minutes).
 * Written with the millisecond: mail from one request (a payment, then its renewal) keeps its order.
 */
export function queueMail(tdb: TenantDb, mail: Mail) {
  const id = `em:${mail.key}`;
  const statement = tdb
    .insert(emailOutbox, { id, kind: mail.kind, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, createdAt: Date.now() })
    .onConflictDoNothing();
  outboxIds.set(statement, id);
  return statement;
}

/** Commits the statements in one transaction, then sends the outbox rows among them to the mail queue. */
export async function commitWithMail<T extends BatchItem<"sqlite">>(tdb: TenantDb, statements: T[]): Promise<void> {
  const [first, ...rest] = statements;
  if (!first) return;
  await tdb.batch([first, ...rest]);
  const ids = statements.flatMap((s) => outboxIds.get(s) ?? []);
  await announceMail(tdb, ids);
}

/** Writes one mail on its own, and sends it to the queue. */
export const sendMail = (tdb: TenantDb, mail: Mail) => commitWithMail(tdb, [queueMail(tdb, mail)]);

/** Tells the mail queue about outbox rows. A row already sent is skipped by the consumer. */
export async function announceMail(tdb: TenantDb, ids: string[]): Promise<void> {
  if (!tdb.mailQueue || ids.length === 0) return;
  const { id: tenantId, slug, shard } = tdb.tenant;
  // If this fails the rows are committed all the same: the sweep finds and sends them.
  await sendAll(
    tdb.mailQueue,
    ids.map((mailId) => ({ tenantId, slug, shard, mailId }) satisfies StudioMailJob),
  ).catch((err) => {
    console.error(JSON.stringify({ level: "error", msg: "mail queue send failed; the sweep will send", tenantId, error: String(err) }));
  });
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
    ({ tenantId: _t, row: _r, leasedUntil: _l, html: _h, ...m }) => m,
  );
  return { mail: page.items, next: page.next };
}

export function markMail(tdb: TenantDb, id: string, outcome: { sent: true } | { sent: false; error: string; attempts: number }) {
  return outcome.sent
    ? tdb.update(emailOutbox, { status: "sent", sentAt: Date.now(), lastError: null, leasedUntil: null }, eq(emailOutbox.id, id))
    : tdb.update(
        emailOutbox,
        { status: outcome.attempts >= MAIL_ATTEMPTS ? "failed" : "queued", lastError: outcome.error.slice(0, 500), leasedUntil: null },
        eq(emailOutbox.id, id),
      );
}
