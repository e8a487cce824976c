// Proving an address is the account's: at sign-up (the studio works at once, but mail to its
// clients waits until then), and before a changed address takes effect. A studio counts as
// confirmed once one of its owners has confirmed their address.
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DirectoryDb } from "../../db/directory-db";
import { accounts, accountTokens, memberships } from "../../db/directory-schema";
import { tenantDb } from "../../db/shards";
import { emailOutbox } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";
import { announceAccountMail, queueAccountMail } from "../mail/account-mail";
import { emailChangedMail, verifyEmailMail } from "../mail/account-messages";
import { announceMail } from "../mail/outbox";
import { studiosByIds } from "../studios/directory";
import { badLink, issueLink, peekLink, useLink } from "./links";

export const confirmSchema = z.object({ token: z.string().min(20).max(100) }).strict();

/** Mails a confirmation link for `email` (the account's own, or the one it is changing to); false when three went out this hour. */
export async function sendVerification(env: Env, dir: DirectoryDb, account: { id: string; name: string }, email: string, dashboard: string, change: boolean) {
  const link = await issueLink(dir, account.id, "verify", email);
  if (!link) return false;
  const mail = queueAccountMail(dir, verifyEmailMail(account, email, `${dashboard}/verify?token=${link.token}`, link.hash.slice(0, 22), change));
  await dir.batch([link.insert, mail.insert]);
  await announceAccountMail(env.MAIL_QUEUE, [mail.id]);
  return true;
}

/** Sends the account's own address a new confirmation link. */
export async function resendVerification(env: Env, dir: DirectoryDb, accountId: string, dashboard: string): Promise<{ sentTo: string | null }> {
  const account = await dir.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!account) throw new AppError("unauthenticated", "This account no longer exists; sign in again.");
  if (account.emailVerifiedAt !== null) return { sentTo: null };
  if (!(await sendVerification(env, dir, account, account.email, dashboard, false))) {
    throw new AppError("rate_limited", "Three confirmation links went out in the last hour; use the newest one, or ask again later.", {
      retryAfterSeconds: 3600,
    });
  }
  return { sentTo: account.email };
}

/** Confirms the link's address: it becomes the account's, and mail its studios held is released. */
export async function confirmEmail(env: Env, dir: DirectoryDb, token: string): Promise<{ email: string }> {
  const now = Date.now();
  // The address it had before, for the notice to it; a dead link is refused here already.
  const peeked = await peekLink(dir, token, "verify", now);
  const before = await dir
    .select({ id: accounts.id, name: accounts.name, email: accounts.email })
    .from(accounts)
    .where(eq(accounts.id, peeked.accountId))
    .get();
  const { use, owner, address } = await useLink(dir, token, "verify", now);
  let used: { accountId: string; email: string | null }[];
  try {
    [used] = await dir.batch([
      use,
      dir.update(accounts).set({ email: address, emailVerifiedAt: now }).where(sql`${accounts.id} IN ${owner}`),
      // Links to the old address (a reset, a confirmation that would switch it back) end here.
      dir
        .update(accountTokens)
        .set({ usedAt: now })
        .where(and(sql`${accountTokens.accountId} IN ${owner}`, isNull(accountTokens.usedAt))),
    ]);
  } catch (err) {
    if (String(err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : err).includes("UNIQUE constraint failed")) {
      throw new AppError("email_taken", "Another Loupe account took this address in the meantime; nothing was changed.");
    }
    throw err;
  }
  const row = used[0];
  if (!row?.email) throw badLink("verify");
  if (before && before.email !== row.email) {
    const notice = queueAccountMail(dir, emailChangedMail(before, before.email, row.email, now));
    await notice.insert;
    await announceAccountMail(env.MAIL_QUEUE, [notice.id]);
  }
  await releaseHeldMail(env, dir, row.accountId);
  return { email: row.email };
}

/** Whether one of the studio's owners has confirmed their address. */
export async function studioConfirmed(dir: DirectoryDb, tenantId: string): Promise<boolean> {
  const row = await dir
    .select({ id: accounts.id })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner"), isNotNull(accounts.emailVerifiedAt)))
    .get();
  return !!row;
}

export async function requireConfirmedStudio(dir: DirectoryDb, tenantId: string, what: string): Promise<void> {
  if (!(await studioConfirmed(dir, tenantId))) {
    throw new AppError("email_unverified", `Confirm your email address first (open the link Loupe mailed you): until then ${what}.`);
  }
}

// At most this many held mails are announced at once; the sweep sends the rest within minutes.
const RELEASE_AT_ONCE = 100;

/** Releases what the studios this account owns held, if the account's address is confirmed. */
export async function releaseHeldMail(env: Env, dir: DirectoryDb, accountId: string): Promise<void> {
  const confirmed = await dir
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.id, accountId), isNotNull(accounts.emailVerifiedAt)))
    .get();
  if (!confirmed) return;
  const owned = await dir
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.role, "owner")));
  if (owned.length === 0) return;
  for (const studio of await studiosByIds(
    dir,
    owned.map((o) => o.tenantId),
  )) {
    const tdb = tenantDb(env, studio);
    const released = await tdb.update(emailOutbox, { status: "queued" }, eq(emailOutbox.status, "held")).returning({ id: emailOutbox.id });
    await announceMail(
      tdb,
      released.slice(0, RELEASE_AT_ONCE).map((r) => r.id),
    );
  }
}
