// Budgets per gallery for what strangers try, on top of the per-IP ones (http/rate-limit.ts): new
// visitor identities, and wrong passwords, download PINs and discount codes. Counted in D1 in fixed
// windows, so they hold across every IP and every isolate. A spent budget answers 429 with when to
// try again; those who already have access are not affected.
import { and, eq, lt, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/tenant-db";
import { attemptCounters } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const ATTEMPTS = {
  // A wedding's guests open the link within days, not hundreds in an hour; a script does.
  visitor: { limit: 300, windowMs: HOUR, what: "new visitors for this gallery" },
  password: { limit: 100, windowMs: HOUR, what: "wrong passwords for this gallery" },
  pin: { limit: 50, windowMs: HOUR, what: "wrong download PINs for this gallery" },
  discount: { limit: 50, windowMs: HOUR, what: "wrong discount codes in this gallery" },
  // Each "download all" writes a history row and can stream gigabytes: per person, then per gallery.
  zipsBy: { limit: 12, windowMs: HOUR, what: "zip downloads by you" },
  zips: { limit: 300, windowMs: HOUR, what: "zip downloads of this gallery" },
  // Mail to addresses someone typed: a studio's client invites, and offline orders' confirmations.
  invites: { limit: 200, windowMs: DAY, what: "client invites mailed by this studio" },
  mailTo: { limit: 5, windowMs: DAY, what: "mails from this studio to this address" },
  // Each keeps a message and mails the studio: a script from many networks must not bury them.
  contact: { limit: 30, windowMs: HOUR, what: "messages to this studio" },
  // An offline order's confirmation goes to whatever address was typed: past this a gallery's
  // new orders are still placed and shown to the client, unmailed.
  orderMails: { limit: 100, windowMs: HOUR, what: "order confirmations mailed from this gallery" },
  // Selections sent are mailed to the studio; past this a gallery's are in the dashboard only.
  submitMails: { limit: 20, windowMs: HOUR, what: "selection mails from this gallery" },
  // Each asks Cloudflare's API, whose budget every studio shares: a stuck "Check now" or an
  // add-and-remove loop must not spend it for the others.
  domainChecks: { limit: 60, windowMs: HOUR, what: "domain checks by this studio" },
  domainAdds: { limit: 20, windowMs: DAY, what: "domains added by this studio" },
} as const;
export type AttemptScope = keyof typeof ATTEMPTS;

function windowOf(scope: AttemptScope, now: number) {
  const { windowMs } = ATTEMPTS[scope];
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
}

function spent(scope: AttemptScope, retryAfterSeconds: number): AppError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const when = minutes > 90 ? `${Math.ceil(minutes / 60)} hours` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const window = ATTEMPTS[scope].windowMs === DAY ? "today" : "this hour";
  return new AppError("rate_limited", `Too many ${ATTEMPTS[scope].what} ${window}; try again in ${when}.`, { retryAfterSeconds });
}

const forSubject = (scope: AttemptScope, subject: string) => and(eq(attemptCounters.scope, scope), eq(attemptCounters.subject, subject));

/** Throws rate_limited when this subject's budget for the window is already spent. */
export async function checkAttempts(tdb: TenantDb, scope: AttemptScope, subject: string, now = Date.now()): Promise<void> {
  const { start, retryAfterSeconds } = windowOf(scope, now);
  const row = await tdb.first(attemptCounters, and(forSubject(scope, subject), eq(attemptCounters.windowStart, start)));
  if ((row?.count ?? 0) >= ATTEMPTS[scope].limit) throw spent(scope, retryAfterSeconds);
}

/** Counts one attempt, dropping the subject's older windows; throws rate_limited if it is one too many. */
export async function countAttempt(tdb: TenantDb, scope: AttemptScope, subject: string, now = Date.now()): Promise<void> {
  const { start, retryAfterSeconds } = windowOf(scope, now);
  const [, counted] = await tdb.batch([
    tdb.delete(attemptCounters, and(forSubject(scope, subject), lt(attemptCounters.windowStart, start))),
    tdb
      .insert(attemptCounters, { scope, subject, windowStart: start, count: 1 })
      .onConflictDoUpdate({
        target: [attemptCounters.tenantId, attemptCounters.scope, attemptCounters.subject, attemptCounters.windowStart],
        set: { count: sql`${attemptCounters.count} + 1` },
      })
      .returning({ count: attemptCounters.count }),
  ]);
  if ((counted[0]?.count ?? 0) > ATTEMPTS[scope].limit) throw spent(scope, retryAfterSeconds);
}

/** Counts one attempt, answering false instead of refusing once the window's budget is spent. */
export async function tryAttempt(tdb: TenantDb, scope: AttemptScope, subject: string, now = Date.now()): Promise<boolean> {
  try {
    await countAttempt(tdb, scope, subject, now);
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return false;
    throw err;
  }
}
