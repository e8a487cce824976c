// The browser's side of a gallery room: a read-only Yjs copy of the room's document, presence,
// and intents that are kept (in memory and IndexedDB) until the room answers them, replayed in
// order after every reconnect (paced: pacer.ts). The room applies a replayed intent once and
// answers it again.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { Actor } from "../../party/doc";
import type { RoomTicket } from "../../worker/contract/proofing";
import { Outbox, type StoredIntent } from "./outbox";
import { Pacer } from "./pacer";

export type Status = "connecting" | "online" | "offline" | "closed";
export type Intent = Record<string, unknown> & { type: string };
export interface Rejection {
  intent: Intent;
  code: string;
  message: string;
}

interface Events {
  status: Status;
  change: undefined;
  rejected: Rejection;
  needName: undefined;
  closed: string;
  photoReady: { id: string };
}

const newId = () => `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(2)).join("").slice(0, 12)}`;

export { newId };

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  me: Actor | null = null;
  status: Status = "connecting";
  readonly pending = new Map<string, StoredIntent>();
  #ws: WebSocket | null = null;
  #seq = 0;
  #retry = 0;
  #outbox: Outbox;
  #handlers: { [K in keyof Events]?: ((e: Events[K]) => void)[] } = {};
  #pacer = new Pacer(this.pending, (item) => {
    if (this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(`__YPS:${JSON.stringify(item.intent)}`);
    return true;
  });

  /** `ticketUrl`: where this person gets a room token (the studio host for clients, the API for the studio). */
  constructor(
    galleryId: string,
    private readonly ticketUrl = `/g/${galleryId}/room-token`,
  ) {
    this.#outbox = new Outbox(`${ticketUrl}`);
    this.awareness.on("update", ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin === "local") this.#sendAwareness([...added!, ...updated!, ...removed!]);
      this.#emit("change", undefined);
    });
    window.addEventListener("online", () => {
      if (this.status !== "offline") return;
      this.#retry = 0;
      void this.connect();
    });
    // A socket can hang on a dead network without closing, and its close handshake cannot reach
    // the room either: the browser knows sooner, so the page is offline at once.
    window.addEventListener("offline", () => {
      const ws = this.#ws;
      if (!ws) return;
      this.#ws = null;
      ws.close(4000, "offline");
      this.#later();
    });
  }

  on<K extends keyof Events>(event: K, fn: (e: Events[K]) => void): void {
    this.#handlers[event] ??= [];
    (this.#handlers[event] as ((e: Events[K]) => void)[]).push(fn);
  }

  #emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const fn of this.#handlers[event] ?? []) fn(value);
  }

  #setStatus(s: Status): void {
    this.status = s;
    this.#emit("status", s);
  }

  async start(): Promise<void> {
    for (const item of await this.#outbox.all()) {
      this.pending.set(item.id, item);
      this.#seq = Math.max(this.#seq, item.seq);
    }
    this.#emit("change", undefined);
    await this.connect();
  }

  async connect(): Promise<void> {
    this.#setStatus("connecting");
    let ticket: RoomTicket;
    try {
      const res = await fetch(this.ticketUrl, { method: "POST", credentials: "same-origin" });
      if (res.status === 401) return this.#emit("needName", undefined);
      if (!res.ok) throw new Error(`ticket ${res.status}`);
      ticket = await res.json();
    } catch {
      return this.#later();
    }
    this.me = ticket.actor;
    const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${ticket.path}?token=${encodeURIComponent(ticket.token)}`);
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    ws.onopen = () => {
      this.#retry = 0;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, this.doc);
      ws.send(encoding.toUint8Array(e));
      this.#pacer.reset();
      if (this.awareness.getLocalState()) this.#sendAwareness([this.doc.clientID]);
      this.#setStatus("online");
    };
    ws.onmessage = (ev) => this.#receive(ev.data);
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      // 4401 after a token expired: a new ticket opens it again. Access changes and deleted or
      // expired galleries end the session; the page says why.
      if (ev.code === 4403 || ev.code === 4404 || ev.code === 4410 || ev.reason.startsWith("gallery access changed")) {
        this.#setStatus("closed");
        return this.#emit("closed", ev.reason);
      }
      this.#later();
    };
  }

  #later(): void {
    this.#setStatus("offline");
    // No network at all: the browser's online event reconnects at once, without backoff.
    if (!navigator.onLine) return;
    const wait = Math.min(30_000, 500 * 2 ** this.#retry++) * (0.75 + Math.random() / 2);
    setTimeout(() => this.status === "offline" && this.connect(), wait);
  }

  #receive(data: string | ArrayBuffer): void {
    if (typeof data === "string") {
      if (!data.startsWith("__YPS:")) return;
      const msg = JSON.parse(data.slice(6)) as {
        type: string;
        id?: string | null;
        code?: string;
        message?: string;
        retryAfterMs?: number;
        photo?: { id: string };
        actor?: Actor;
      };
      if (msg.type === "hello" && msg.actor) this.me = msg.actor;
      if (msg.type === "photo-ready" && msg.photo) this.#emit("photoReady", msg.photo);
      // Not taken, to be sent again: the intent stays in the outbox and the page keeps showing it.
      if (msg.type === "rejected" && msg.retryAfterMs !== undefined) {
        this.#pacer.holdFor(msg.retryAfterMs);
        return;
      }
      if ((msg.type === "ack" || msg.type === "rejected") && msg.id) {
        const item = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        void this.#outbox.delete(msg.id);
        if (msg.type === "rejected" && item) this.#emit("rejected", { intent: item.intent, code: msg.code ?? "", message: msg.message ?? "" });
        this.#pacer.answered(msg.id);
        this.#emit("change", undefined);
      }
      return;
    }
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.readSyncMessage(decoder, e, this.doc, "room");
      if (encoding.length(e) > 1) this.#ws?.send(encoding.toUint8Array(e));
      this.#emit("change", undefined);
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), "room");
    }
  }

  /** Queues an intent: it shows at once, and is kept until the room answers it for good. */
  send(draft: Intent): string {
    const id = newId();
    const item: StoredIntent = { id, seq: ++this.#seq, intent: { ...draft, id } };
    this.pending.set(id, item);
    void this.#outbox.put(item);
    this.#pacer.pump();
    this.#emit("change", undefined);
    return id;
  }

  /** Leaves the room for good (the dashboard switching galleries). */
  close(): void {
    this.status = "closed";
    const ws = this.#ws;
    this.#ws = null;
    ws?.close(1000, "left");
  }

  setViewing(photoId: string | null): void {
    this.awareness.setLocalState({ viewing: photoId });
  }

  #sendAwareness(clients: number[]): void {
    if (this.#ws?.readyState !== WebSocket.OPEN) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    this.#ws.send(encoding.toUint8Array(e));
  }
}
