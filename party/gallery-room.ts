// One Durable Object per gallery, named `<tenantId>:<galleryId>` by the worker. Browsers sync the
// Yjs document read-only and change it only through intents: each is validated against the actor
// its room token names, applied, written to this object's SQLite in the same turn (the update, the
// intent's outcome and the mirror entry), and only then acknowledged.
import type { Connection, ConnectionContext, WSMessage } from "partyserver";
import { YServer } from "y-partyserver";
import { requestNetwork } from "../worker/contract/network";
import { type Actor, migratePicks, type Outcome, parseIntent } from "./doc";
import { answerFrame } from "./intake";
import { applyGalleryRules, applyIntent } from "./intents";
import { MirrorSchedule } from "./mirror-schedule";
import { entryFor, Outbox } from "./outbox";
import { bytesOf, frameKind, MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_STEP_1 } from "./presence";
import { PresenceRelay, stateOf } from "./presence-relay";
import type { RoomBackend } from "./room-backend";
import { CUT_OFF_CLOSE, RoomGate, SYNC_LIMIT_CLOSE } from "./room-gate";
import { PhotoCatalog } from "./room-limits";
import { parseRoomName, type RoomId } from "./room-name";
import { COMPACT_AFTER, RoomStore } from "./room-store";
import { REFUSAL_CLOSE, verifyRoomToken } from "./room-token";

const LOADED = Symbol("loaded");
export const GALLERY_GONE_CLOSE: [number, string] = [4404, "this gallery was deleted"];

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
  #mirror = new MirrorSchedule(
    () => this.ctx.storage,
    () => this.outbox,
    () => this.name,
  );
  #intents: Promise<void> = Promise.resolve();
  #gate = new RoomGate(
    () => this.getConnections(),
    () => this.name,
  );
  #presence = new PresenceRelay({
    connections: () => this.getConnections(),
    awareness: () => this.document.awareness,
    budgets: this.#gate.budgets,
    refused: (actor, weight) => this.#gate.refused(actor, weight),
  });

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
    await this.#refreshGallery().catch((err: unknown) => this.#logError("room could not read its gallery", err));
    if (this.outbox.pending() > 0) this.#mirror.schedule();
    // Not awaited: until it is done an intent naming an unseen photo asks D1 about that one photo.
    this.ctx.waitUntil(this.#learnPhotos());
  }

  /** The gallery's photo ids into the catalog, a page at a time, after the room opened. */
  #learnPhotos = () =>
    this.#photos.learn((cursor) => this.#data.photoIds(cursor)).catch((err: unknown) => this.#logError("room could not read its photos", err));

  #logError(msg: string, err: unknown): void {
    console.error(JSON.stringify({ level: "error", msg, room: this.name, error: String(err) }));
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
    if (this.#gate.cutOff(token)) return conn.close(...CUT_OFF_CLOSE);
    const verdict = await verifyRoomToken(this.env.JWT_SECRET, token, this.#room);
    if ("refused" in verdict) return conn.close(...REFUSAL_CLOSE[verdict.refused]);
    if (this.#gone) return conn.close(...GALLERY_GONE_CLOSE);
    // D1 could not be read when the room woke: asked again before a client is let in.
    if (!this.#gate.access && verdict.actor.role === "client")
      await this.#refreshGallery().catch((err: unknown) => this.#logError("room could not read its gallery", err));
    const stale = this.#gate.stale(verdict.actor, verdict.accessVersion);
    if (stale) return conn.close(...REFUSAL_CLOSE[stale]);
    // Identities are cheap for a stranger: clients are budgeted by network too. The studio is not.
    const net = verdict.actor.role === "client" ? requestNetwork(ctx.request.headers) : null;
    const crowded = this.#gate.refuseSocket(conn, verdict.actor.id, net);
    if (crowded) return conn.close(...crowded);
    conn.setState({ ...stateOf(conn), actor: verdict.actor, av: verdict.accessVersion, net });
    this.sendCustomMessage(conn, JSON.stringify({ type: "hello", actor: verdict.actor }));
    super.onConnect(conn, ctx);
    this.#gate.scheduleWatch((ids) => this.#data.members(ids));
  }

  // The runtime hands a socket its next frame only when this returns: an intent must not be awaited
  // here, or every frame behind it waits unbudgeted. The chain is kept alive with waitUntil.
  override onMessage(conn: Connection, message: WSMessage): void {
    const actor = stateOf(conn).actor;
    if (!actor) {
      conn.close(...REFUSAL_CLOSE.missing);
      return;
    }
    if (typeof message === "string") {
      if (!message.startsWith("__YPS:")) return;
      const admitted = this.#gate.intake.admit(actor.id, message.slice(6), Date.now(), stateOf(conn).net ?? null);
      if ("outcome" in admitted) {
        const later = admitted.retryAfterMs;
        if (later === undefined || this.#gate.tell(conn, later)) this.#reply(conn, admitted.id, admitted.outcome, false, later);
        if (later !== undefined) this.#gate.refused(actor);
        return;
      }
      this.#intents = this.#intents
        .then(() => this.#handleIntent(conn, actor, admitted.raw))
        .catch((err: unknown) => this.#logError("intent failed", err))
        .finally(() => this.#gate.intake.done());
      this.ctx.waitUntil(this.#intents);
      return;
    }
    const bytes = bytesOf(message);
    const { type, subtype } = frameKind(bytes);
    // Only the two y-protocols message kinds; awareness never reaches y-partyserver unrewritten.
    if (type === MESSAGE_AWARENESS) {
      this.#presence.receive(conn, actor, bytes);
      return;
    }
    // A read-only client's own updates are ignored anyway; only its request for the document is
    // answered, and that costs the room an encoding of the whole document: budgeted per person.
    if (type !== MESSAGE_SYNC || subtype !== SYNC_STEP_1) return;
    if (this.#gate.budgets.sync(actor.id, Date.now(), stateOf(conn).net ?? null)) this.handleMessage(conn, message);
    else if (!this.#gate.refused(actor)) conn.close(...SYNC_LIMIT_CLOSE);
  }

  override onCustomMessage(): void {
    // Intents are taken in onMessage, where they are budgeted on arrival.
  }

  async #handleIntent(conn: Connection, actor: Actor, raw: unknown): Promise<void> {
    if (this.#gone) return conn.close(...GALLERY_GONE_CLOSE);
    const parsed = parseIntent(raw);
    if ("outcome" in parsed) return this.#reply(conn, parsed.id, parsed.outcome);
    const { intent } = parsed;
    const earlier = this.store.seen(intent.id, actor.id);
    if (earlier) return this.#reply(conn, intent.id, earlier, true);
    const full = this.store.refusesGrowth(intent) ?? this.outbox.refusesToday(actor, Date.now());
    if (full) return this.#reply(conn, intent.id, full);
    if ("photoId" in intent) {
      try {
        await this.#photos.check(intent.photoId, (id) => this.#data.hasPhoto(id));
      } catch (err) {
        this.#logError("photo lookup failed", err);
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
      this.#mirror.schedule();
    }
    this.#reply(conn, intent.id, outcome);
  }

  /** `retryAfterMs`: the intent was not taken and may be sent again after this long. */
  #reply(conn: Connection, id: string | null, outcome: Outcome, duplicate = false, retryAfterMs?: number): void {
    this.sendCustomMessage(conn, answerFrame(id, outcome, duplicate, retryAfterMs));
  }

  override onClose(conn: Connection, code: number, reason: string, wasClean: boolean): void | Promise<void> {
    this.#presence.forget(conn);
    return super.onClose(conn, code, reason, wasClean);
  }

  /** Photos, access and selection rules from D1; rules the room changed itself win until mirrored. */
  async #refreshGallery(): Promise<void> {
    const gallery = await this.#data.gallery();
    if (!gallery) return this.#forget();
    this.#gate.access = { version: gallery.accessVersion, expiresAt: gallery.expiresAt };
    // Limits the photographer set in the room and not yet mirrored are newer than D1's.
    applyGalleryRules(this.document, gallery.selection, { limits: this.outbox.pending("limits.set") === 0 });
    this.#gate.closeStale();
    // A new expiry may be sooner than the one the watch was set for.
    this.#gate.scheduleWatch((ids) => this.#data.members(ids), true);
  }

  /** The gallery is gone: so is its room, and everyone in it is told why. */
  async #forget(): Promise<void> {
    this.#gone = true;
    for (const c of this.getConnections()) c.close(...GALLERY_GONE_CLOSE);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  override async onAlarm(): Promise<void> {
    if (this.#gone) return;
    if (!(await this.#mirror.run((entries) => this.#data.mirror(entries)))) await this.#forget();
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
