// A room's durable state in its own SQLite: every applied update appended in the same turn it
// is applied (an acknowledged intent survives eviction), a compacted snapshot that replaces the
// log from time to time, and the outcome of every intent id, so a replayed intent applies once.
import * as Y from "yjs";
import type { Intent, Outcome } from "./doc";

// Past this many logged updates, load() folds them into a snapshot.
export const COMPACT_AFTER = 500;
export const KEEP_APPLIED_MS = 90 * 24 * 3600 * 1000;
export const KEEP_REFUSED_MS = 24 * 3600 * 1000;
const FORGET_EVERY = 200;
// Durable Object SQLite refuses values over 2 MB; a large gallery's document is stored in parts.
const SNAPSHOT_CHUNK = 1024 * 1024;

/** A room's stored document at most: it is loaded whole into an object of 128 MB, and sent whole to every new visitor. */
export const MAX_ROOM_BYTES = 8 * 1024 * 1024;
const SHRINKS = new Set(["unpick", "list.delete", "comment.delete", "comment.resolve", "selection.lock", "list.submit", "list.reopen"]);

export class RoomStore {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    const sql = this.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS snapshot_parts (part INTEGER PRIMARY KEY, data BLOB NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS intents (id TEXT PRIMARY KEY, actor TEXT NOT NULL, outcome TEXT NOT NULL, at INTEGER NOT NULL)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS intents_at ON intents (at)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS intents_rejected_at ON intents (at) WHERE json_extract(outcome, '$.ok') = 0`);
  }

  /** The document as last persisted (snapshot plus every update since), applied to `doc`. */
  load(doc = new Y.Doc(), origin: unknown = null): Y.Doc {
    const parts = this.sql
      .exec<{ data: ArrayBuffer }>(`SELECT data FROM snapshot_parts ORDER BY part`)
      .toArray()
      .map((r) => new Uint8Array(r.data));
    this.#bytes = 0;
    if (parts.length > 0) {
      const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      this.#bytes = whole.length;
      let at = 0;
      for (const p of parts) {
        whole.set(p, at);
        at += p.length;
      }
      Y.applyUpdate(doc, whole, origin);
    }
    let logged = 0;
    for (const row of this.sql.exec<{ data: ArrayBuffer }>(`SELECT data FROM updates ORDER BY seq`)) {
      const update = new Uint8Array(row.data);
      Y.applyUpdate(doc, update, origin);
      this.#bytes += update.length;
      logged += 1;
    }
    if (logged > COMPACT_AFTER) {
      try {
        this.compact(doc);
      } catch (err) {
        // The log is still whole; a room that cannot compact must still open.
        console.error(JSON.stringify({ level: "error", msg: "room compaction failed", error: String(err) }));
      }
    }
    return doc;
  }

  append(update: Uint8Array): void {
    this.sql.exec(`INSERT INTO updates (data) VALUES (?)`, update);
    this.#bytes += update.length;
  }

  #bytes = 0;
  /** What the stored document (snapshot and log) holds, in bytes: how large it loads. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Why this intent may not be applied now: the room is full and it would add to it. Null if it may. */
  refusesGrowth(intent: Intent): Outcome | null {
    if (this.#bytes <= MAX_ROOM_BYTES || SHRINKS.has(intent.type)) return null;
    return {
      ok: false,
      code: "room_full",
      message: "This gallery's proofing room is full; ask the photographer to clear old lists. Removing picks, lists and comments still works.",
    };
  }

  /** Replaces snapshot and log with the document's whole state. */
  compact(doc: Y.Doc): void {
    const state = Y.encodeStateAsUpdate(doc);
    // All or nothing: a failure part-way must leave the old snapshot and the log as they were.
    this.storage.transactionSync(() => {
      this.sql.exec(`DELETE FROM snapshot_parts`);
      for (let i = 0; i * SNAPSHOT_CHUNK < state.length; i++) {
        this.sql.exec(`INSERT INTO snapshot_parts (part, data) VALUES (?, ?)`, i, state.subarray(i * SNAPSHOT_CHUNK, (i + 1) * SNAPSHOT_CHUNK));
      }
      this.sql.exec(`DELETE FROM updates`);
    });
    this.#bytes = state.length;
  }

  /**
   * An applied intent's id is kept long enough for a phone that was offline for weeks to replay it
   * safely; a refused one only as long as its answer may still be on its way (the browser drops a
   * refused intent once told), so a stranger's refused flood does not stay in the room's storage.
   */
  forgetIntents(now: number): void {
    this.sql.exec(`DELETE FROM intents WHERE at < ?`, now - KEEP_APPLIED_MS);
    this.sql.exec(`DELETE FROM intents WHERE json_extract(outcome, '$.ok') = 0 AND at < ?`, now - KEEP_REFUSED_MS);
  }

  intentCount(): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM intents`).one().n;
  }

  loggedUpdates(): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM updates`).one().n;
  }

  /** The outcome an intent id already had, if it was seen before (from this actor). */
  seen(intentId: string, actorId: string): Outcome | null {
    const rows = this.sql.exec<{ actor: string; outcome: string }>(`SELECT actor, outcome FROM intents WHERE id = ?`, intentId).toArray();
    const row = rows[0];
    if (!row) return null;
    // Another actor reusing an id learns nothing about the first one's intent.
    if (row.actor !== actorId) return { ok: false, code: "invalid_intent", message: "id: is already used" };
    return JSON.parse(row.outcome) as Outcome;
  }

  record(intentId: string, actorId: string, outcome: Outcome, at: number): void {
    this.sql.exec(`INSERT OR IGNORE INTO intents (id, actor, outcome, at) VALUES (?, ?, ?, ?)`, intentId, actorId, JSON.stringify(outcome), at);
    // Refusals change no document, so no save comes to sweep them: the recording does, now and then.
    if (++this.recorded % FORGET_EVERY === 0) this.forgetIntents(at);
  }

  private recorded = 0;
}
