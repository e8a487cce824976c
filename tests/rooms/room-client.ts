// A room client inside workerd: a real WebSocket through the worker (SELF), carrying the protocol
// of room-protocol.ts.
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { roomName } from "../../party/room-name";
import type { Owner } from "../helpers/galleries";
import { APP_HOST, CookieJar, call, freshIp, json, studioHost } from "../helpers/http";
import { RoomProtocol } from "./room-protocol";

export { intentId, type Reply, until } from "./room-protocol";

/**
 * Frames sent back to back on one socket may reach the room out of order in these tests, though
 * never in production or wrangler dev: @cloudflare/vitest-pool-workers before 0.16.12 (which needs
 * Node 22) starts each Durable Object WebSocket handler only after a round trip to its runner
 * object, and those can finish in any order (cloudflare/workers-sdk#13433, fixed by #14061). A test
 * whose frames depend on each other waits for the room's answer to one before sending the next.
 */
export class RoomClient extends RoomProtocol {
  private constructor(readonly ws: WebSocket) {
    super((data) => {
      if (!this.closed) ws.send(data);
    });
    // The compatibility date makes Blob the default; the sync protocol reads bytes synchronously.
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (e) => this.receive(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer)));
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }

  /** Opens `path?token=` on `host`; resolves once the socket is accepted (it may close at once). */
  static async open(host: string, path: string, token: string | null, jar?: CookieJar, ip?: string): Promise<RoomClient> {
    const url = `http://${host}${path}${token === null ? "" : `?token=${encodeURIComponent(token)}`}`;
    const headers: Record<string, string> = { upgrade: "websocket" };
    if (jar) headers.cookie = jar.header();
    // As Cloudflare sets it: the room budgets clients by network too (none without an address).
    if (ip) headers["cf-connecting-ip"] = ip;
    const res = await SELF.fetch(url, { headers });
    if (!res.webSocket) throw new Error(`no WebSocket: ${res.status} ${await res.text()}`);
    res.webSocket.accept();
    const client = new RoomClient(res.webSocket);
    client.hello();
    return client;
  }

  sendBinary(bytes: Uint8Array): void {
    if (!this.closed) this.ws.send(bytes);
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  close(): void {
    this.ws.close(1000, "bye");
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

/** A client in the room; `ip` is the network their socket comes from (none by default). */
export async function joinAsClient(slug: string, galleryId: string, name: string, ip?: string) {
  const t = await clientTicket(slug, galleryId, name);
  return Object.assign(await (await RoomClient.open(t.host, t.path, t.token, undefined, ip)).ready(), {
    actor: t.actor,
    token: t.token,
    host: t.host,
    path: t.path,
  });
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

const MARK = Symbol("before eviction");

/** Resets one gallery's room as an eviction or a deploy would: its memory goes, its storage stays.
 * Only this room: abortAllDurableObjects() also reset every other test's rooms and the storage
 * objects behind D1, which left rooms elsewhere in the suite waiting on a dead peer. */
export async function evictRoom(tenantId: string, galleryId: string): Promise<void> {
  // A stub that saw its object reset stays broken; each step takes a new one.
  const stub = () => env.GALLERY_ROOM.get(env.GALLERY_ROOM.idFromName(roomName(tenantId, galleryId)));
  await runInDurableObject(stub(), (room: object) => void Object.assign(room, { [MARK]: true }));
  await runInDurableObject(stub(), (_room, state) => state.abort("evicted by the test")).catch(() => undefined);
  const fresh = await runInDurableObject(stub(), (room: object) => !(MARK in room));
  if (!fresh) throw new Error("the room was not evicted");
}
