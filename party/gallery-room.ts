// One Durable Object per gallery, named `<tenantId>:<galleryId>` by the worker. Browsers sync the
// Yjs document read-only and change it only through intents: each is validated against the actor
// its room token names, applied, written to this object's SQLite in the same turn (the update, the
// intent's outcome and the mirror entry), and only then acknowledged.

import * as decoding from "lib0/decoding";
import type { Connection, ConnectionContext, WSMessage } from "partyserver";
import { YServer } from "y-partyserver";
import * as awarenessProtocol from "y-protocols/awareness";
import { type Actor, migratePicks, type Outcome, parseIntent } from "./doc";
import { Intake } from "./intake";
import { applyGalleryRules, applyIntent } from "./intents";
import { entryFor, Outbox } from "./outbox";
import { presenceFrame } from "./presence";
import type { RoomBackend } from "./room-backend";
import { PhotoCatalog } from "./room-limits";
import { parseRoomName, type RoomId } from "./room-name";
import { COMPACT_AFTER, RoomStore } from "./room-store";
import { REFUSAL_CLOSE, verifyRoomToken } from "./room-token";

const LOADED = Symbol("loaded");
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MIRROR_DELAY_MS = 1000;
const MIRROR_RETRY_MS = 10_000;
const MIRROR_BATCH = 100;
export const GALLERY_GONE_CLOSE: [number, string] = [4404, "this gallery was deleted"];

interface ConnState {
  actor?: Actor;
  /** The gallery access version a client's token was issued under (null: the studio's). */
  av?: number | null;
  __ypsAwarenessIds?: number[];
}

const stateOf = (conn: Connection) => (conn.state ?? {}) as ConnState;
const bytesOf = (m: ArrayBuffer | ArrayBufferView) => (m instanceof ArrayBuffer ? new Uint8Array(m) : new Uint8Array(m.buffer, m.byteOffset, m.byteLength));

/**
 * The room's logic. The Durable Object class itself (worker/rooms/gallery-room.ts) supplies the
 * backend and the runtime options.
 */
export abstract class GalleryRoomCore extends YServer<Env> {
  // onSave only compacts; every update is already stored in the turn it was applied.
  static override callbackOptions = { debounceWait: 5_000, debounceMaxWait: 30_000 };

  #store?: RoomStore;
  #outbox?: Outbox;
  #backend?: RoomBackend;
  #photos = new PhotoCatalog();
  #gone = false;
  #mirrorScheduled = false;
  #intents: Promise<void> = Promise.resolve();
  #access: { version: number; expiresAt: number | null } | null = null;
  #intake = new Intake<Connection>();

  /** The studio's side of this room; called once per wake. */
  protected abstract openBackend(room: RoomId): RoomBackend;

  get #room() {
    return parseRoomName(this.name);
  }
  get #data(): RoomBackend {
    this.#backend ??= this.openBackend(this.#room);
    return this.#backend;
  }
  get store(): RoomStore {
    this.#store ??= new RoomStore(this.ctx.storage);
    return this.#store;
  }
  get outbox(): Outbox {
    this.#outbox ??= new Outbox(this.ctx.storage.sql);
    return this.#outbox;
  }

  override async onLoad(): Promise<void> {
    // Straight into the served document: re-encoding a copy would cost a large room its size twice.
    this.store.load(this.document, LOADED);
    this.document.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== LOADED && !this.#gone) this.store.append(update);
    });
    // Stored like any change (the listener above), so it happens once per room.
    migratePicks(this.document);
    // Without D1 the room still opens: photos are then looked up one by one as intents name them.
    await this.#refreshGallery().catch((err: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: "room could not read its gallery", room: this.name, error: String(err) }));
    });
    if (this.outbox.pending() > 0) this.#scheduleMirror();
    // Not awaited: until it is done an intent naming an unseen photo asks D1 about that one photo.
    this.ctx.waitUntil(this.#learnPhotos());
  }

  /** The gallery's photo ids into the catalog, a page at a time, after the room opened. */
  async #learnPhotos(): Promise<void> {
    await this.#photos
      .learn((cursor) => this.#data.photoIds(cursor))
      .catch((err: unknown) => {
        console.error(JSON.stringify({ level: "error", msg: "room could not read its photos", room: this.name, error: String(err) }));
      });
  }

  override async onSave(): Promise<void> {
    if (this.#gone) return;
    this.store.forgetIntents(Date.now());
    if (this.store.loggedUpdates() > COMPACT_AFTER) this.store.compact(this.document);
  }

  override isReadOnly(): boolean {
    return true;
  }

  override async onConnect(conn: Connection, ctx: ConnectionContext): Promise<void> {
    const token = new URL(ctx.request.url).searchParams.get("token");
    const verdict = await verifyRoomToken(this.env.JWT_SECRET, token, this.#room);
    if ("refused" in verdict) return conn.close(...REFUSAL_CLOSE[verdict.refused]);
    if (this.#gone) return conn.close(...GALLERY_GONE_CLOSE);
    const stale = this.#staleAccess(verdict.actor, verdict.accessVersion);
    if (stale) return conn.close(...REFUSAL_CLOSE[stale]);
    conn.setState({ ...stateOf(conn), actor: verdict.actor, av: verdict.accessVersion });
    this.sendCustomMessage(conn, JSON.stringify({ type: "hello", actor: verdict.actor }));
    super.onConnect(conn, ctx);
  }

  // Returned, not fired and forgotten: the runtime keeps the object awake until the intent is done.
  override onMessage(conn: Connection, message: WSMessage): Promise<void> | void {
    const actor = stateOf(conn).actor;
    if (!actor) return conn.close(...REFUSAL_CLOSE.missing);
    if (typeof message === "string") {
      if (!message.startsWith("__YPS:")) return;
      const admitted = this.#intake.admit(conn, message.slice(6));
      if ("outcome" in admitted) return this.#reply(conn, admitted.id, admitted.outcome, false, admitted.retryAfterMs);
      this.#intents = this.#intents
        .then(() => this.#handleIntent(conn, actor, admitted.raw))
        .catch((err: unknown) => console.error(JSON.stringify({ level: "error", msg: "intent failed", room: this.name, error: String(err) })))
        .finally(() => this.#intake.done());
      return this.#intents;
    }
    const bytes = bytesOf(message);
    let type: number;
    try {
      type = decoding.readVarUint(decoding.createDecoder(bytes));
    } catch {
      return;
    }
    // Only the two y-protocols message kinds; awareness never reaches y-partyserver unrewritten.
    if (type === MESSAGE_AWARENESS) return this.#presence(conn, actor, bytes);
    if (type === MESSAGE_SYNC) this.handleMessage(conn, message);
  }

  override onCustomMessage(): void {
    // Intents are taken in onMessage, where their promise can be returned.
  }

  async #handleIntent(conn: Connection, actor: Actor, raw: unknown): Promise<void> {
    if (this.#gone) return conn.close(...GALLERY_GONE_CLOSE);
    const parsed = parseIntent(raw);
    if ("outcome" in parsed) return this.#reply(conn, parsed.id, parsed.outcome);
    const { intent } = parsed;
    const earlier = this.store.seen(intent.id, actor.id);
    if (earlier) return this.#reply(conn, intent.id, earlier, true);
    if ("photoId" in intent) {
      try {
        await this.#photos.check(intent.photoId, (id) => this.#data.hasPhoto(id));
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "photo lookup failed", room: this.name, error: String(err) }));
        // Not recorded: the browser keeps the intent and sends it again.
        return this.#reply(conn, intent.id, { ok: false, code: "unavailable", message: "The gallery could not be checked just now; this will be retried." });
      }
    }

    // From here on, one synchronous turn: applied, stored and queued for D1 together.
    const now = Date.now();
    const outcome = applyIntent(this.document, actor, intent, { photoExists: (id) => this.#photos.has(id), now });
    this.store.record(intent.id, actor.id, outcome, now);
    if (outcome.ok) {
      this.outbox.push(entryFor(this.document, actor, intent, now));
      this.#scheduleMirror();
    }
    this.#reply(conn, intent.id, outcome);
  }

  /** `retryAfterMs`: the intent was not taken and may be sent again after this long. */
  #reply(conn: Connection, id: string | null, outcome: Outcome, duplicate = false, retryAfterMs?: number): void {
    const body = outcome.ok ? { type: "ack", id } : { type: "rejected", id, code: outcome.code, message: outcome.message };
    this.sendCustomMessage(
      conn,
      JSON.stringify({ ...body, ...(duplicate ? { duplicate } : {}), ...(retryAfterMs ? { retryAfterMs: Math.ceil(retryAfterMs) } : {}) }),
    );
  }

  #presence(conn: Connection, actor: Actor, bytes: Uint8Array): void {
    const own = stateOf(conn).__ypsAwarenessIds ?? [];
    // Connection state survives hibernation; the awareness map does not.
    const heldByOther = (id: number) => {
      for (const c of this.getConnections()) if (c !== conn && (stateOf(c).__ypsAwarenessIds ?? []).includes(id)) return true;
      return false;
    };
    const presence = presenceFrame(bytes, actor, own, heldByOther);
    if (!presence) return;
    awarenessProtocol.applyAwarenessUpdate(this.document.awareness, presence.update, conn);
    for (const c of this.getConnections()) {
      try {
        c.send(presence.frame);
      } catch {
        // A socket closing under us gets its close event; nothing to do here.
      }
    }
  }

  /** Photos, access and selection rules from D1; rules the room changed itself win until mirrored. */
  async #refreshGallery(): Promise<void> {
    const gallery = await this.#data.gallery();
    if (!gallery) return this.#forget();
    this.#access = { version: gallery.accessVersion, expiresAt: gallery.expiresAt };
    // Limits the photographer set in the room and not yet mirrored are newer than D1's.
    applyGalleryRules(this.document, gallery.selection, { limits: this.outbox.pending("limits.set") === 0 });
    // A new password, a visibility change or expiry shuts clients out of an open room too.
    for (const c of this.getConnections()) {
      const { actor, av } = stateOf(c);
      const stale = actor && this.#staleAccess(actor, av ?? null);
      if (stale) c.close(...REFUSAL_CLOSE[stale]);
    }
  }

  #staleAccess(actor: Actor, av: number | null): "access_changed" | "gallery_expired" | null {
    if (actor.role !== "client" || !this.#access) return null;
    if (this.#access.expiresAt !== null && this.#access.expiresAt <= Date.now()) return "gallery_expired";
    return av !== this.#access.version ? "access_changed" : null;
  }

  /** The gallery is gone: so is its room, and everyone in it is told why. */
  async #forget(): Promise<void> {
    this.#gone = true;
    for (const c of this.getConnections()) c.close(...GALLERY_GONE_CLOSE);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  #scheduleMirror(): void {
    if (this.#mirrorScheduled) return;
    this.#mirrorScheduled = true;
    void this.ctx.storage.setAlarm(Date.now() + MIRROR_DELAY_MS);
  }

  /** The alarm copies the outbox into the tenant's D1, oldest first, and keeps what failed. */
  override async onAlarm(): Promise<void> {
    this.#mirrorScheduled = false;
    if (this.#gone) return;
    try {
      if (!(await this.outbox.drain(MIRROR_BATCH, (entries) => this.#data.mirror(entries)))) return this.#forget();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "room mirror failed; retrying", room: this.name, error: String(err) }));
      this.#mirrorScheduled = true;
      await this.ctx.storage.setAlarm(Date.now() + MIRROR_RETRY_MS);
    }
  }

  override async onRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "POST") return new Response("Not found", { status: 404 });
    if (url.pathname === "/internal/photo-ready") {
      const event = (await request.json()) as { type: string; photo: { id: string } };
      this.#photos.add(event.photo.id);
      this.broadcastCustomMessage(JSON.stringify(event));
      return new Response(null, { status: 204 });
    }
    if (url.pathname === "/internal/gallery-changed") {
      await this.#refreshGallery();
      // Photos may have gone: what the room knew is read again.
      this.#photos.clear();
      this.ctx.waitUntil(this.#learnPhotos());
      return new Response(null, { status: 204 });
    }
    return new Response("Not found", { status: 404 });
  }
}
