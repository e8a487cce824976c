// Mail to a photographer's own account (a reset link, an address to confirm) rather than from a
// studio: an account may belong to no studio yet, so its outbox is in the directory. Delivery is
// the studios' (delivery.ts): a queue message names the row, the row id is the idempotency key.
import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import type { DirectoryDb } from "../../db/directory-db";
import { accountMail } from "../../db/directory-schema";
import { sendAll } from "../../lib/queues";
import type { MailJob } from "./jobs";
import { MAIL_ATTEMPTS } from "./outbox";

export interface AccountMail {
  /** Stable for what the mail is about, e.g. `reset:<token hash prefix>`. */
  key: string;
  accountId: string | null;
  kind: (typeof accountMail.kind.enumValues)[number];
  to: string;
  subject: string;
  text: string;
  html: string;
}

export function queueAccountMail(dir: DirectoryDb, mail: AccountMail) {
  const id = `am:${mail.key}`;
  const { key: _k, ...row } = mail;
  return {
    id,
    insert: dir
      .insert(accountMail)
      .values({ id, ...row, createdAt: Date.now() })
      .onConflictDoNothing(),
  };
}

/** Tells the mail queue; if that fails the row waits for the sweep. */
export async function announceAccountMail(queue: Queue | undefined, ids: string[]): Promise<void> {
  if (!queue || ids.length === 0) return;
  await sendAll(
    queue,
    ids.map((mailId) => ({ account: true, mailId }) satisfies MailJob),
  ).catch((err) => {
    console.error(JSON.stringify({ level: "error", msg: "mail queue send failed; the sweep will send", error: String(err) }));
  });
}

export function markAccountMail(dir: DirectoryDb, id: string, outcome: { sent: true } | { sent: false; error: string; attempts: number }) {
  const set = outcome.sent
    ? { status: "sent" as const, sentAt: Date.now(), lastError: null, leasedUntil: null }
    : { status: outcome.attempts >= MAIL_ATTEMPTS ? ("failed" as const) : ("queued" as const), lastError: outcome.error.slice(0, 500), leasedUntil: null };
  return dir.update(accountMail).set(set).where(eq(accountMail.id, id));
}

/** Account mail whose queue message was lost (queued five minutes ago, not leased): announced again. */
export async function resendStalledAccountMail(env: Env, dir: DirectoryDb, now = Date.now()): Promise<number> {
  if (!env.EMAIL_API_URL) return 0;
  const rows = await dir
    .select({ id: accountMail.id })
    .from(accountMail)
    .where(
      and(eq(accountMail.status, "queued"), lt(accountMail.createdAt, now - 5 * 60_000), or(isNull(accountMail.leasedUntil), lt(accountMail.leasedUntil, now))),
    )
    .orderBy(asc(accountMail.createdAt))
    .limit(100);
  await announceAccountMail(
    env.MAIL_QUEUE,
    rows.map((r) => r.id),
  );
  return rows.length;
}
