// Intents not yet answered by the room, kept in IndexedDB so a reload or a dead battery on the
// train loses none: they are replayed, in order, when the socket opens again.
export interface StoredIntent {
  id: string;
  seq: number;
  intent: Record<string, unknown> & { id: string; type: string };
}

const DB = "loupe-proofing";
const STORE = "outbox";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id" }).createIndex("room", "room");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class Outbox {
  #db: Promise<IDBDatabase | null>;

  constructor(private readonly room: string) {
    // Private windows may refuse IndexedDB: the queue then lives in memory only.
    this.#db = open().catch(() => null);
  }

  async all(): Promise<StoredIntent[]> {
    const db = await this.#db;
    if (!db) return [];
    const rows = await done(db.transaction(STORE).objectStore(STORE).index("room").getAll(this.room));
    return (rows as StoredIntent[]).sort((a, b) => a.seq - b.seq);
  }

  async put(item: StoredIntent): Promise<void> {
    const db = await this.#db;
    if (db)
      await done(
        db
          .transaction(STORE, "readwrite")
          .objectStore(STORE)
          .put({ ...item, room: this.room }),
      );
  }

  async delete(id: string): Promise<void> {
    const db = await this.#db;
    if (db) await done(db.transaction(STORE, "readwrite").objectStore(STORE).delete(id));
  }
}
