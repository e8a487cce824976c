// A room's persistence against real Durable Object SQLite: what was appended comes back after
// the object is gone, compaction keeps the document, and intent ids remember their outcome.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { hasPick, pickCount, roots } from "../../party/doc";
import { applyIntent } from "../../party/intents";
import { COMPACT_AFTER, KEEP_APPLIED_MS, KEEP_REFUSED_MS, MAX_ROOM_BYTES, RoomStore } from "../../party/room-store";

const ann = { id: "v_ann000", name: "Ann", role: "client" as const };
const ctx = { photoExists: () => true, now: 1 };

function stub(name: string) {
  return env.GALLERY_ROOM.get(env.GALLERY_ROOM.idFromName(name));
}

describe("room store", () => {
  it("brings back every appended update in a fresh load, and compacts without losing any", async () => {
    const room = stub("store-test:1");
    await runInDurableObject(room, async (_instance, state) => {
      const store = new RoomStore(state.storage);
      const doc = store.load();
      doc.on("update", (u: Uint8Array) => store.append(u));
      applyIntent(doc, ann, { type: "list.create", id: "i_0001", listId: "l_ann1", name: "Album" }, ctx);
      for (let i = 0; i < 20; i++) applyIntent(doc, ann, { type: "pick", id: `i_p${i}xx`, listId: "l_ann1", photoId: `p_${i}xxx` }, ctx);
      expect(store.loggedUpdates()).toBe(21);
    });
    await runInDurableObject(room, async (_instance, state) => {
      const store = new RoomStore(state.storage);
      const again = store.load();
      expect(roots(again).lists.get("l_ann1")?.name).toBe("Album");
      expect(pickCount(again, "l_ann1")).toBe(20);
      store.compact(again);
      expect(store.loggedUpdates()).toBe(0);
      expect(pickCount(new RoomStore(state.storage).load(), "l_ann1")).toBe(20);
    });
  });

  it("past 8 MB stored, refuses what would add to the room and takes what removes from it, also after a reload", async () => {
    await runInDurableObject(stub("store-test:full"), async (_instance, state) => {
      const store = new RoomStore(state.storage);
      const doc = store.load();
      doc.on("update", (u: Uint8Array) => store.append(u));
      const pick = { type: "pick", id: "i_full1", listId: "l_ann1", photoId: "p_1xxx" } as const;
      expect(store.refusesGrowth(pick)).toBeNull();
      // Nine 1 MB comments' worth of text, as a room that many guests filled would hold.
      for (let i = 0; i < 9; i++) roots(doc).settings.set(`filler-${i}`, "x".repeat(MAX_ROOM_BYTES / 8) as never);
      expect(store.bytes).toBeGreaterThan(MAX_ROOM_BYTES);
      expect(store.refusesGrowth(pick)).toMatchObject({ ok: false, code: "room_full", message: expect.stringMatching(/proofing room is full/) });
      expect(store.refusesGrowth({ type: "unpick", id: "i_full2", listId: "l_ann1", photoId: "p_1xxx" })).toBeNull();
      const reloaded = new RoomStore(state.storage);
      reloaded.load();
      expect(reloaded.bytes).toBe(store.bytes);
      expect(reloaded.refusesGrowth({ type: "comment.add", id: "i_full3", commentId: "c_1xxx", photoId: "p_1xxx", text: "hi" })).not.toBeNull();
    });
  });

  it("forgets refused intents after a day and applied ones after ninety, on its own as a flood is recorded", async () => {
    await runInDurableObject(stub("store-test:retention"), async (_instance, state) => {
      const store = new RoomStore(state.storage);
      const now = Date.now();
      const refused = { ok: false as const, code: "forbidden" as const, message: "not yours" };
      store.record("i_applied_old", ann.id, { ok: true }, now - KEEP_APPLIED_MS - 1);
      store.record("i_applied_recent", ann.id, { ok: true }, now - KEEP_REFUSED_MS - 1);
      store.record("i_refused_old", ann.id, refused, now - KEEP_REFUSED_MS - 1);
      store.record("i_refused_new", ann.id, refused, now);
      store.forgetIntents(now);
      expect(store.seen("i_applied_old", ann.id)).toBeNull();
      expect(store.seen("i_applied_recent", ann.id)).toEqual({ ok: true });
      expect(store.seen("i_refused_old", ann.id)).toBeNull();
      expect(store.seen("i_refused_new", ann.id)).toEqual(refused);
      // A stranger's refused flood changes no document, so no save sweeps it; recording does.
      const later = now + KEEP_REFUSED_MS + 1;
      for (let i = 0; i < 1000; i++) store.record(`i_flood_${i}`, "v_flood", refused, i < 600 ? now : later);
      expect(store.intentCount()).toBeLessThan(600);
      expect(store.seen("i_applied_recent", ann.id)).toEqual({ ok: true });
    });
  });

  it("folds a long log into the snapshot on load", async () => {
    await runInDurableObject(stub("store-test:2"), async (_instance, state) => {
      const store = new RoomStore(state.storage);
      const doc = new Y.Doc();
      doc.on("update", (u: Uint8Array) => store.append(u));
      applyIntent(doc, ann, { type: "list.create", id: "i_0001", listId: "l_ann1", name: "Album" }, ctx);
      for (let i = 0; i < COMPACT_AFTER + 5; i++) {
        applyIntent(doc, ann, { type: i % 2 ? "unpick" : "pick", id: `i_${i}xxxx`, listId: "l_ann1", photoId: "p_0001xx" }, ctx);
      }
      const loaded = store.load();
      expect(store.loggedUpdates()).toBe(0);
      // Root types show in toJSON() once touched, so both documents are read through roots().
      const view = (d: Y.Doc) => Object.fromEntries(Object.entries(roots(d)).map(([k, m]) => [k, m.toJSON()]));
      expect(view(loaded)).toEqual(view(doc));
      expect(hasPick(loaded, "l_ann1", "p_0001xx")).toBe(true);
    });
  });

  it("stores a document over SQLite's 2 MB value limit in parts and loads it whole", async () => {
    await runInDurableObject(stub("store-test:big"), async (_instance, state) => {
      const store = new RoomStore(state.storage);
      const doc = new Y.Doc();
      doc.on("update", (u: Uint8Array) => store.append(u));
      const ctxAll = { ...ctx, photoExists: () => true };
      for (let i = 0; i < 1600; i++) {
        const author = { id: `v_author${i % 80}`, name: `Guest ${i % 80}`, role: "client" as const };
        const outcome = applyIntent(
          doc,
          author,
          { type: "comment.add", id: `i_c${i}xx`, commentId: `c_${i}xxx`, photoId: "p_0001xx", text: `${i} ${"x".repeat(1990)}` },
          ctxAll,
        );
        expect(outcome.ok).toBe(true);
      }
      store.compact(doc);
      expect(state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM snapshot_parts").one().n).toBeGreaterThan(2);
      const loaded = store.load();
      expect(roots(loaded).comments.size).toBe(1600);
      expect(roots(loaded).comments.get("c_1599xxx")?.text).toMatch(/^1599 x+$/);
    });
  });

  it("remembers each intent id's outcome for its actor only", async () => {
    await runInDurableObject(stub("store-test:3"), async (_instance, state) => {
      const store = new RoomStore(state.storage);
      expect(store.seen("i_once01", ann.id)).toBeNull();
      store.record("i_once01", ann.id, { ok: true }, 1);
      expect(store.seen("i_once01", ann.id)).toEqual({ ok: true });
      expect(store.seen("i_once01", "v_bob000")).toMatchObject({ ok: false, code: "invalid_intent" });
    });
  });
});
