// What the room owes the tenant's D1: one entry per applied intent, written in the same turn as
// the intent's update, so an acknowledged change reaches the dashboard even if the room is evicted
// before the mirror runs. Entries carry the state after the intent, so replaying one is harmless.
import type * as Y from "yjs";
import {
  type Actor,
  type CommentEntry,
  hasPick,
  type Intent,
  type ListEntry,
  type Outcome,
  type PickEntry,
  pickCount,
  roots,
  type Settings,
  settingsOf,
} from "./doc";

export interface MirrorEntry {
  intentId: string;
  type: Intent["type"];
  actor: Actor;
  at: number;
  listId: string | null;
  photoId: string | null;
  commentId: string | null;
  /** The list after the intent (absent once deleted), with its pick count. */
  list?: ListEntry & { count: number };
  pick?: PickEntry;
  comment?: CommentEntry;
  settings?: Settings;
  /** False once the actor is past today's feed budget: the change is mirrored, the feed row is not. */
  feed?: false;
}

/**
 * What one person may do to a gallery in a day (UTC). A client proofing a 5,000-photo wedding
 * picks and unpicks a few hundred times; a script pacing itself under the per-second budgets could
 * go on all day. Past the feed cap the changes still count but no longer fill the studio's activity
 * feed; past the change cap a client's changes are refused until tomorrow. The studio has neither.
 */
export const DAILY = { feedRows: 2_000, clientChanges: 5_000 };
const DAY_MS = 86_400_000;

/** The mirror entry for an intent that was just applied to the document. */
export function entryFor(doc: Y.Doc, actor: Actor, intent: Intent, at: number): MirrorEntry {
  const { lists, comments } = roots(doc);
  const listId = "listId" in intent ? intent.listId : null;
  const commentId = "commentId" in intent ? intent.commentId : null;
  let photoId = "photoId" in intent ? intent.photoId : null;
  const entry: MirrorEntry = { intentId: intent.id, type: intent.type, actor, at, listId, photoId, commentId };
  const list = listId ? lists.get(listId) : undefined;
  if (list) entry.list = { ...list, count: pickCount(doc, list.id) };
  // Only the owner picks into a list, and the entry is made in the turn the intent was applied.
  if (list && photoId && hasPick(doc, list.id, photoId)) entry.pick = { listId: list.id, photoId, by: list.ownerId, at };
  const comment = commentId ? comments.get(commentId) : undefined;
  if (comment) {
    entry.comment = comment;
    photoId = comment.photoId;
    entry.photoId = photoId;
  }
  if (intent.type === "selection.lock" || intent.type === "limits.set") entry.settings = settingsOf(doc);
  return entry;
}

export class Outbox {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, entry TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS actor_days (actor TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (actor, day))`);
  }

  push(entry: MirrorEntry): void {
    if (this.#countChange(entry.actor.id, Math.floor(entry.at / DAY_MS)) > DAILY.feedRows) entry.feed = false;
    this.sql.exec(`INSERT INTO outbox (type, entry) VALUES (?, ?)`, entry.type, JSON.stringify(entry));
  }

  /** Why a client's next change is refused today, if it is. */
  refusesToday(actor: Actor, now: number): Extract<Outcome, { ok: false }> | null {
    if (actor.role !== "client") return null;
    const row = this.sql.exec<{ n: number }>(`SELECT n FROM actor_days WHERE actor = ? AND day = ?`, actor.id, Math.floor(now / DAY_MS)).toArray()[0];
    if ((row?.n ?? 0) < DAILY.clientChanges) return null;
    return {
      ok: false,
      code: "daily_limit",
      message: `You have made ${DAILY.clientChanges.toLocaleString("en")} changes in this gallery today; more can be made tomorrow.`,
    };
  }

  /** One more applied change by the actor today; the first of a day clears the days before. */
  #countChange(actor: string, day: number): number {
    const n = this.sql
      .exec<{ n: number }>(`INSERT INTO actor_days (actor, day, n) VALUES (?, ?, 1) ON CONFLICT (actor, day) DO UPDATE SET n = n + 1 RETURNING n`, actor, day)
      .one().n;
    if (n === 1) this.sql.exec(`DELETE FROM actor_days WHERE day < ?`, day);
    return n;
  }

  /** The oldest entries, in the order they were applied. */
  peek(limit: number): { upTo: number; entries: MirrorEntry[] } {
    const rows = this.sql.exec<{ seq: number; entry: string }>(`SELECT seq, entry FROM outbox ORDER BY seq LIMIT ?`, limit).toArray();
    return { upTo: rows.at(-1)?.seq ?? 0, entries: rows.map((r) => JSON.parse(r.entry) as MirrorEntry) };
  }

  /**
   * Delivers everything pending, oldest first, `batch` entries per call of `mirror`, dropping each
   * batch once delivered; false as soon as `mirror` says the studio is gone. Throws what it throws,
   * with the undelivered entries kept.
   */
  async drain(batch: number, mirror: (entries: MirrorEntry[]) => Promise<boolean>): Promise<boolean> {
    for (;;) {
      const { upTo, entries } = this.peek(batch);
      if (entries.length === 0) return true;
      if (!(await mirror(entries))) return false;
      this.drop(upTo);
    }
  }

  drop(upTo: number): void {
    this.sql.exec(`DELETE FROM outbox WHERE seq <= ?`, upTo);
  }

  pending(type?: MirrorEntry["type"]): number {
    const rows = type
      ? this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE type = ?`, type)
      : this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM outbox`);
    return rows.one().n;
  }
}
