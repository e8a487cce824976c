// A room client for tests: a real WebSocket through the worker, speaking the y-protocols sync and
// awareness messages the browser's provider speaks, plus intents as `__YPS:` text frames.
import { SELF } from "cloudflare:test";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { APP_HOST, call, CookieJar, freshIp, json, studioHost } from "./helpers";
import { type Owner } from "./images-helpers";

export interface Reply {
  type: string;
  id?: string | null;
  code?: string;
  message?: string;
  duplicate?: boolean;
  [k: string]: unknown;
}

export async function until<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let intentCounter = 0;
export const intentId = (label = "i") => `${label}-${Date.now().toString(36)}-${(intentCounter++).toString(36)}`;

export class RoomClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly replies: Reply[] = [];
  synced = false;
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    // The compatibility date makes Blob the default; the sync protocol reads bytes synchronously.
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (e) => this.#receive(e.data));
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }

  /** Opens `path?token=` on `host`; resolves once the socket is accepted (it may close at once). */
  static async open(host: string, path: string, token: string | null, jar?: CookieJar): Promise<RoomClient> {
    const url = `http://${host}${path}${token === null ? "" : `?token=${encodeURIComponent(token)}`}`;
    const headers: Record<string, string> = { upgrade: "websocket" };
    if (jar) headers.cookie = jar.header();
    const res = await SELF.fetch(url, { headers });
    if (!res.webSocket) throw new Error(`no WebSocket: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    const client = new RoomClient(res.webSocket);
    // Ask for the document, as y-protocols clients do on open.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, client.doc);
    client.sendBinary(encoding.toUint8Array(encoder));
    return client;
  }

  #receive(data: unknown): void {
    if (typeof data === "string") {
      if (data.startsWith("__YPS:")) this.replies.push(JSON.parse(data.slice(6)) as Reply);
      return;
    }
    const decoder = decoding.createDecoder(new Uint8Array(data as ArrayBuffer));
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      const kind = syncProtocol.readSyncMessage(decoder, encoder, this.doc, "server");
      if (kind === syncProtocol.messageYjsSyncStep2) this.synced = true;
      if (encoding.length(encoder) > 1) this.sendBinary(encoding.toUint8Array(encoder));
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), "server");
    }
  }

  sendBinary(bytes: Uint8Array): void {
    if (!this.closed) this.ws.send(bytes);
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  send(intent: Record<string, unknown>): void {
    this.ws.send(`__YPS:${JSON.stringify(intent)}`);
  }

  /** Sends an intent and waits for the room's answer to its id. */
  async intent(intent: Record<string, unknown>): Promise<Reply> {
    const before = this.replies.length;
    this.send(intent);
    return until(() => this.replies.slice(before).find((r) => r.id === intent.id && (r.type === "ack" || r.type === "rejected")), `reply to ${String(intent.id)}`);
  }

  async nextReply(pred: (r: Reply) => boolean, what: string): Promise<Reply> {
    return until(() => this.replies.find(pred), what);
  }

  async ready(): Promise<this> {
    await until(() => this.synced || this.closed, "sync");
    return this;
  }

  async closedWith(): Promise<{ code: number; reason: string }> {
    return until(() => this.closed ?? undefined, "close");
  }

  close(): void {
    this.ws.close(1000, "bye");
  }

  get picks() {
    return this.doc.getMap<{ listId: string; photoId: string; by: string }>("picks");
  }
  get lists() {
    return this.doc.getMap<{ id: string; name: string; ownerId: string; submittedAt: number | null }>("lists");
  }
  get comments() {
    return this.doc.getMap<{ id: string; text: string; authorId: string; authorName: string; resolved: boolean }>("comments");
  }
}

/** A client of a gallery: the access step with a name, then a room ticket. */
export async function clientTicket(slug: string, galleryId: string, name: string, extra: Record<string, unknown> = {}) {
  const jar = new CookieJar();
  const host = studioHost(slug);
  const access = await call("POST", `/g/${galleryId}/access`, { host, jar, ip: freshIp(), body: { name, ...extra } });
  if (access.status !== 200) throw new Error(`access failed: ${access.status} ${await access.text()}`);
  const res = await call("POST", `/g/${galleryId}/room-token`, { host, jar });
  if (res.status !== 200) throw new Error(`room ticket failed: ${res.status} ${await res.text()}`);
  return { jar, host, ...(await json<{ token: string; path: string; actor: { id: string; name: string; role: string } }>(res)) };
}

export async function joinAsClient(slug: string, galleryId: string, name: string) {
  const t = await clientTicket(slug, galleryId, name);
  return Object.assign(await (await RoomClient.open(t.host, t.path, t.token)).ready(), { actor: t.actor, token: t.token });
}

export async function photographerTicket(o: Owner, galleryId: string) {
  const res = await call("POST", `/api/studios/${o.studio.id}/galleries/${galleryId}/room-token`, { jar: o.jar });
  if (res.status !== 200) throw new Error(`photographer ticket failed: ${res.status} ${await res.text()}`);
  return json<{ token: string; path: string; actor: { id: string; name: string; role: string } }>(res);
}

export async function joinAsPhotographer(o: Owner, galleryId: string) {
  const t = await photographerTicket(o, galleryId);
  // The dashboard's socket carries the session cookie, as a browser's does.
  return Object.assign(await (await RoomClient.open(APP_HOST, t.path, t.token, o.jar)).ready(), { actor: t.actor, token: t.token });
}
