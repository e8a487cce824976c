// The mail queue's consumer. A message names one outbox row; the row is the record. The consumer
// leases the row before it calls the provider (so two deliveries of one message cannot both send),
// sends it with the row id as the provider's idempotency key (so a crash between the provider's
// yes and our "sent" does not send twice), and marks it sent; a failure is retried with backoff
// until the outbox gives up on it and says why in the mailbox.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { EmailKind } from "../../contract/store";
import { directoryDb } from "../../db/directory-db";
import { accountMail } from "../../db/directory-schema";
import { tenantDb } from "../../db/shards";
import type { TenantDb } from "../../db/tenant-db";
import { emailOutbox, studioProfiles } from "../../db/tenant-schema";
import { siteOrigin } from "../../lib/origins";
import { studioConfirmed } from "../accounts/verification";
import { markAccountMail } from "./account-mail";
import { LOUPE_BRAND, mailHtml, textMailBody } from "./html";
import { type MailJob, mailJobSchema } from "./jobs";
import { announceMail, MAIL_ATTEMPTS, markMail } from "./outbox";

// Longer than a provider call can take: a lease still held means another delivery is sending.
const LEASE_MS = 60_000;

export const mailBackoffSeconds = (attempt: number) => Math.min(600, 2 ** attempt);

type Outcome = "sent" | "skipped" | "retry" | "failed";

/** A row leased for sending, wherever it lives, and how to record what became of it. */
interface Leased {
  mail: { id: string; to: string; subject: string; text: string; html?: string | null; attempts: number; fromName?: string; replyTo?: string };
  mark(outcome: { sent: true } | { sent: false; error: string; attempts: number }): Promise<unknown>;
}

const leasable = (table: typeof emailOutbox | typeof accountMail, id: string, now: number) =>
  and(eq(table.id, id), eq(table.status, "queued"), or(isNull(table.leasedUntil), lt(table.leasedUntil, now)));
const lease = (table: typeof emailOutbox | typeof accountMail, now: number) => ({ leasedUntil: now + LEASE_MS, attempts: sql`${table.attempts} + 1` });

/** Leases the row the job names; undefined when it is sent, given up on, gone, or being sent. */
async function leaseRow(env: Env, job: MailJob, now: number): Promise<Leased | undefined> {
  if ("account" in job) {
    const dir = directoryDb(env);
    const [mail] = await dir
      .update(accountMail)
      .set(lease(accountMail, now))
      .where(leasable(accountMail, job.mailId, now))
      .returning();
    return mail && { mail, mark: (o) => markAccountMail(dir, mail.id, o) };
  }
  const tdb = tenantDb(env, { id: job.tenantId, slug: job.slug, shard: job.shard });
  const [mail] = await tdb.update(emailOutbox, lease(emailOutbox, now), leasable(emailOutbox, job.mailId, now)).returning();
  if (!mail) return undefined;
  if (HELD_KINDS.has(mail.kind) && !(await studioConfirmed(directoryDb(env), job.tenantId))) {
    await holdUntilConfirmed(env, tdb, mail);
    return undefined;
  }
  return { mail: await asTheStudio(env, tdb, mail), mark: (o) => markMail(tdb, mail.id, o) };
}

/**
 * A studio's mail looks like the studio: sent in its name, in HTML in its colour (built from the
 * text when the mail has no HTML of its own), and a client's reply goes to its contact address.
 */
export async function asTheStudio<M extends { kind: EmailKind; subject: string; text: string; html: string | null }>(
  env: Env,
  tdb: TenantDb,
  mail: M,
  logoAt = (file: string) => `${siteOrigin(env, tdb.tenant.slug)}/brand/${file}`,
) {
  const studio = await tdb.first(studioProfiles);
  if (!studio) return mail;
  const logoUrl = studio.logoFile ? logoAt(studio.logoFile) : null;
  const brand = { ...LOUPE_BRAND, name: studio.name, accent: studio.accentColor, logoUrl };
  return {
    ...mail,
    html: mail.html ?? mailHtml(brand, textMailBody(mail.subject, mail.text)),
    fromName: studio.name,
    replyTo: CLIENT_KINDS.has(mail.kind) && studio.contactEmail ? studio.contactEmail : undefined,
  };
}

/** `Name <address>` with the studio's name in front of the platform's sending address. */
function fromHeader(platform: string, name?: string): string {
  if (!name) return platform;
  const address = /<([^>]+)>/.exec(platform)?.[1] ?? platform;
  // A quoted display name: commas, "@" or brackets in a studio's name cannot break the header.
  const quoted = `${name} via Loupe`.replace(/[\r\n]+/g, " ").replace(/[\\"]/g, "\\$&");
  return `"${quoted}" <${address}>`;
}

/** Mail a studio sends to its clients waits until the studio's address is confirmed (verification.ts). */
const CLIENT_KINDS = new Set<EmailKind>([
  "gallery_invite",
  "order_confirmation",
  "downloads_ready",
  "gallery_expiring",
  "selection_due",
  "list_reopened",
  "comment_reply",
  "payment_failed",
  "order_shipped",
]);
// Alerts go to an address the studio typed and carry what strangers wrote (a website message):
// they wait for confirmation too, though they are not mail to clients.
const HELD_KINDS = new Set<EmailKind>([...CLIENT_KINDS, "studio_alert"]);

async function holdUntilConfirmed(env: Env, tdb: TenantDb, mail: { id: string; attempts: number }): Promise<void> {
  await tdb.update(emailOutbox, { status: "held", leasedUntil: null, attempts: mail.attempts - 1 }, eq(emailOutbox.id, mail.id));
  // Confirmation may have landed between the check and the hold, after it released held mail.
  if (await studioConfirmed(directoryDb(env), tdb.tenantId)) {
    await tdb.update(emailOutbox, { status: "queued" }, and(eq(emailOutbox.id, mail.id), eq(emailOutbox.status, "held")));
    await announceMail(tdb, [mail.id]);
  }
}

async function logAccountMail(env: Env, id: string): Promise<void> {
  const mail = await directoryDb(env).select().from(accountMail).where(eq(accountMail.id, id)).get();
  if (mail) console.log(JSON.stringify({ level: "info", msg: "no mail provider: account mail not sent", to: mail.to, subject: mail.subject, text: mail.text }));
}

async function deliverOne(env: Env, job: MailJob, now = Date.now()): Promise<Outcome> {
  // Without a provider (a local run) mail waits in the mailbox, readable in the dashboard; mail to
  // an account (a reset or confirmation link) has no mailbox, so its text goes to the local log.
  if (!env.EMAIL_API_URL) {
    if ("account" in job) await logAccountMail(env, job.mailId);
    return "skipped";
  }
  const leased = await leaseRow(env, job, now);
  if (!leased) return "skipped";
  const { mail, mark } = leased;
  try {
    const res = await fetch(env.EMAIL_API_URL, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.EMAIL_API_KEY ?? ""}`, "idempotency-key": mail.id },
      body: JSON.stringify({
        from: fromHeader(env.EMAIL_FROM, mail.fromName),
        to: [mail.to],
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.replyTo ? { reply_to: mail.replyTo } : {}),
      }),
    });
    if (!res.ok) throw new Error(`the mail provider answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await mark({ sent: true });
    return "sent";
  } catch (err) {
    await mark({ sent: false, error: String(err), attempts: mail.attempts });
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
