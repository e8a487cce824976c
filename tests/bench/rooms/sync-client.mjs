// One Yjs sync client as a browser tab is one, and many of them at once. All clients of a run live
// in the bench process, so one performance.now() clock times every sample.

import { performance } from "node:perf_hooks";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { mapLimit, sleep } from "../harness/numbers.mjs";
import { CONNECT_TIMEOUT_MS } from "./config.mjs";

const MSG_SYNC = 0;
const YPS = "__YPS:";

/** A WebSocket with its own Y.Doc speaking y-protocols sync, as a browser tab would. `writable`
 *  clients (the reference relay's) send their local changes as Yjs updates; Loupe's clients never
 *  write the document, they send intents and see the result as the server's update. */
export class SyncClient {
  constructor(name, { writable = false } = {}) {
    this.name = name;
    this.doc = new Y.Doc();
    // Picks as Loupe's document keeps them (party/doc.ts): one map of photo ids per list.
    this.picked = this.doc.getMap("picked");
    this.synced = false;
    this.watch = null; // { key, present, seen(t) }: a change this client waits to see
    this.replies = new Map(); // intent id → resolve(reply)
    this.closed = null;
    if (writable) {
      this.doc.on("update", (update, origin) => {
        if (origin === this) return; // came from the server
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_SYNC);
        syncProtocol.writeUpdate(enc, update);
        this.ws.send(encoding.toUint8Array(enc));
      });
    }
  }

  /** Opens the socket and resolves once the server's document arrived (sync step 2). */
  /** `headers`: more request headers (bench:abuse gives each client a network address of its own). */
  open(url, host, headers = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { ...(host ? { host } : {}), ...headers }, perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
      this.ws = ws;
      const timer = setTimeout(() => {
        fail(new Error("not synced within 30 s"));
        ws.terminate();
      }, CONNECT_TIMEOUT_MS);
      const fail = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      this.onSynced = () => {
        clearTimeout(timer);
        resolve(this);
      };
      ws.on("open", () => {
        // Our step 1 asks for the whole document; the server answers with step 2.
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_SYNC);
        syncProtocol.writeSyncStep1(enc, this.doc);
        ws.send(encoding.toUint8Array(enc));
      });
      ws.on("message", (data, isBinary) => (isBinary ? this.onBinary(data) : this.onText(data.toString())));
      ws.on("error", fail);
      ws.on("close", (code, reason) => {
        this.closed = { code, reason: reason.toString() };
        fail(new Error(`closed ${code} ${reason}`));
      });
    });
  }

  onBinary(data) {
    const dec = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoding.readVarUint(dec) !== MSG_SYNC) return; // awareness: these clients show no presence
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_SYNC);
    // Step 1 from the server gets our step 2 (Loupe ignores it); step 2 and updates are applied.
    const kind = syncProtocol.readSyncMessage(dec, enc, this.doc, this);
    if (encoding.length(enc) > 1) this.ws.send(encoding.toUint8Array(enc));
    if (kind === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      this.synced = true;
      this.onSynced();
    }
    if (this.watch && this.hasPick(this.watch.key) === this.watch.present) {
      const w = this.watch;
      this.watch = null;
      w.seen(performance.now());
    }
  }

  /** Whether the pick `list/photo` is in this client's document. */
  hasPick(key) {
    const [listId, photoId] = key.split("/");
    return this.picked.get(listId)?.has(photoId) ?? false;
  }

  get pickCount() {
    let n = 0;
    for (const list of this.picked.values()) n += list.size;
    return n;
  }

  onText(text) {
    if (!text.startsWith(YPS)) return;
    let msg;
    try {
      msg = JSON.parse(text.slice(YPS.length));
    } catch {
      return;
    }
    if ((msg.type === "ack" || msg.type === "rejected") && this.replies.has(msg.id)) {
      const resolve = this.replies.get(msg.id);
      this.replies.delete(msg.id);
      resolve({ ...msg, at: performance.now() });
    }
  }

  /** Sends an intent; the promise settles with the server's ack or rejection, and never if
   *  neither comes (the caller counts those as lost). */
  intent(body) {
    return new Promise((resolve) => {
      this.replies.set(body.id, resolve);
      try {
        this.ws.send(YPS + JSON.stringify(body));
      } catch {
        /* socket gone: stays unanswered */
      }
    });
  }

  close() {
    try {
      this.ws?.terminate();
    } catch {
      /* already closed */
    }
  }
}

/** Opens clients with at most `limit` handshakes in flight; returns the synced ones and why the others failed. */
export async function openMany(specs, limit) {
  const failures = new Map();
  const opened = await mapLimit(specs, limit, async (s) => {
    const c = new SyncClient(s.name, s);
    try {
      return await c.open(s.url, s.host);
    } catch (err) {
      c.close();
      const why = String(err.message).slice(0, 120);
      failures.set(why, (failures.get(why) ?? 0) + 1);
      return null;
    }
  });
  return { clients: opened.filter(Boolean), failures: Object.fromEntries(failures) };
}
export const closeAll = async (clients) => {
  for (const c of clients) c.close();
  await sleep(1000); // let both ends drop the sockets before the next phase
};
