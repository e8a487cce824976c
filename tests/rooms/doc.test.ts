// The gallery document's rules, applied as the room will apply them: who may change what, list
// limits, submission, and the photographer's powers. Pure Yjs, no socket.

import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type Actor, type Intent, migratePicks, type PickEntry, parseIntent, pickCounts, picksOf, roots, settingsOf } from "../../party/doc";
import { applyGalleryRules, applyIntent } from "../../party/intents";

const ann: Actor = { id: "v_ann000", name: "Ann", role: "client" };
const bob: Actor = { id: "v_bob000", name: "Bob", role: "client" };
const studio: Actor = { id: "a_studio", name: "Studio", role: "photographer" };
const PHOTOS = new Set(["p_0001", "p_0002", "p_0003", "p_0004"]);
let n = 0;
// Omit distributed over the union, so each intent keeps its own fields.
type Draft = Intent extends infer T ? (T extends unknown ? Omit<T, "id"> : never) : never;

function run(doc: Y.Doc, actor: Actor, intent: Draft) {
  n += 1;
  return applyIntent(doc, actor, { id: `i_${n}xxxx`, ...intent } as Intent, { photoExists: (p) => PHOTOS.has(p), now: 1000 + n });
}

describe("gallery document", () => {
  it("keeps picks per list: a list is read on its own, and a 300-guest wedding stays small to sync", () => {
    const doc = new Y.Doc();
    const photo = (i: number) => `ph_${String(i).padStart(16, "0")}`;
    for (let v = 0; v < 300; v++) {
      const guest: Actor = { id: `v_guest_${String(v).padStart(10, "0")}`, name: `Guest ${v}`, role: "client" };
      const listId = `l-${crypto.randomUUID()}`;
      applyIntent(doc, guest, { type: "list.create", id: `i_${v}_list`, listId, name: "Favourites" }, { photoExists: () => true, now: v });
      for (let k = 0; k < 50; k++)
        applyIntent(doc, guest, { type: "pick", id: `i_${v}_${k}xx`, listId, photoId: photo((v * 17 + k * 101) % 5000) }, { photoExists: () => true, now: v });
    }
    const counts = pickCounts(doc);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(300 * 50);
    // One entry per pick with its list, owner and time spelled out was 2.7 MB here.
    expect(Y.encodeStateAsUpdate(doc).length).toBeLessThan(700 * 1024);
  });

  it("moves a room's picks from one entry per pick into per-list maps, once", () => {
    const doc = new Y.Doc();
    run(doc, ann, { type: "list.create", listId: "l_ann1", name: "Album" });
    const old = doc.getMap<PickEntry>("picks");
    for (const photoId of ["p_0001", "p_0003"]) old.set(`l_ann1/${photoId}`, { listId: "l_ann1", photoId, by: ann.id, at: 1 });
    expect(migratePicks(doc)).toBe(true);
    expect(picksOf(doc, "l_ann1").sort()).toEqual(["p_0001", "p_0003"]);
    expect(old.size).toBe(0);
    expect(migratePicks(doc)).toBe(false);
    expect(run(doc, ann, { type: "unpick", listId: "l_ann1", photoId: "p_0001" })).toEqual({ ok: true });
    expect(picksOf(doc, "l_ann1")).toEqual(["p_0003"]);
  });

  it("a client cannot touch another client's list, picks or comments", () => {
    const doc = new Y.Doc();
    expect(run(doc, ann, { type: "list.create", listId: "l_ann1", name: "Album" })).toEqual({ ok: true });
    expect(run(doc, ann, { type: "pick", listId: "l_ann1", photoId: "p_0001" })).toEqual({ ok: true });
    expect(run(doc, ann, { type: "comment.add", commentId: "c_ann1", photoId: "p_0001", text: "Love this" })).toEqual({ ok: true });
    const before = JSON.stringify(doc.toJSON());
    const attempts: Draft[] = [
      { type: "pick", listId: "l_ann1", photoId: "p_0002" },
      { type: "unpick", listId: "l_ann1", photoId: "p_0001" },
      { type: "list.rename", listId: "l_ann1", name: "Mine" },
      { type: "list.delete", listId: "l_ann1" },
      { type: "list.submit", listId: "l_ann1" },
      { type: "comment.edit", commentId: "c_ann1", text: "Hate this" },
      { type: "comment.delete", commentId: "c_ann1" },
      { type: "comment.resolve", commentId: "c_ann1", resolved: true },
      { type: "selection.lock", locked: true },
      { type: "list.create", listId: "l_ann1", name: "Hijack" },
    ];
    const codes = attempts.map((a) => {
      const out = run(doc, bob, a);
      return out.ok ? "ok" : out.code;
    });
    expect(codes).toEqual([
      "not_owner",
      "not_owner",
      "not_owner",
      "not_owner",
      "not_owner",
      "not_author",
      "not_author",
      "forbidden",
      "forbidden",
      "list_exists",
    ]);
    expect(JSON.stringify(doc.toJSON())).toBe(before);
  });

  it("holds the maximum per list and the minimum to submit", () => {
    const doc = new Y.Doc();
    run(doc, studio, { type: "limits.set", minPerList: 2, maxPerList: 3 });
    run(doc, ann, { type: "list.create", listId: "l_ann1", name: "Album" });
    run(doc, ann, { type: "pick", listId: "l_ann1", photoId: "p_0001" });
    const early = run(doc, ann, { type: "list.submit", listId: "l_ann1" });
    expect(early).toMatchObject({ ok: false, code: "too_few_picks" });
    for (const p of ["p_0002", "p_0003"]) expect(run(doc, ann, { type: "pick", listId: "l_ann1", photoId: p }).ok).toBe(true);
    expect(run(doc, ann, { type: "pick", listId: "l_ann1", photoId: "p_0004" })).toMatchObject({ ok: false, code: "list_full" });
    expect(picksOf(doc, "l_ann1").length).toBe(3);
    expect(run(doc, ann, { type: "list.submit", listId: "l_ann1" })).toEqual({ ok: true });
    expect(roots(doc).lists.get("l_ann1")!.submittedAt).not.toBeNull();
    expect(run(doc, ann, { type: "unpick", listId: "l_ann1", photoId: "p_0001" })).toMatchObject({ ok: false, code: "list_submitted" });
  });

  it("the photographer locks the selection, resolves comments and sets limits; bad limits are refused", () => {
    const doc = new Y.Doc();
    run(doc, ann, { type: "list.create", listId: "l_ann1", name: "Album" });
    run(doc, ann, { type: "comment.add", commentId: "c_ann1", photoId: "p_0002", text: "Can this be brighter?" });
    expect(run(doc, studio, { type: "comment.resolve", commentId: "c_ann1", resolved: true })).toEqual({ ok: true });
    expect(roots(doc).comments.get("c_ann1")!.resolved).toBe(true);
    expect(run(doc, studio, { type: "selection.lock", locked: true })).toEqual({ ok: true });
    expect(run(doc, ann, { type: "pick", listId: "l_ann1", photoId: "p_0001" })).toMatchObject({ ok: false, code: "selection_locked" });
    expect(run(doc, studio, { type: "limits.set", minPerList: 5, maxPerList: 2 })).toMatchObject({ ok: false, code: "invalid_limits" });
    expect(settingsOf(doc)).toMatchObject({ locked: true, minPerList: null, maxPerList: null });
  });

  it("refuses photos the gallery does not have, and one list per person when lists are off", () => {
    const doc = new Y.Doc();
    roots(doc).settings.set("listsAllowed", false);
    run(doc, ann, { type: "list.create", listId: "l_ann1", name: "Favourites" });
    expect(run(doc, ann, { type: "list.create", listId: "l_ann2", name: "Second" })).toMatchObject({ ok: false, code: "lists_not_allowed" });
    expect(run(doc, ann, { type: "pick", listId: "l_ann1", photoId: "p_other" })).toMatchObject({ ok: false, code: "no_such_photo" });
  });

  it("parses frames into intents, or names what is wrong", () => {
    expect(parseIntent({ type: "pick", id: "i_0001", listId: "l_ann1", photoId: "p_0001" })).toHaveProperty("intent");
    const cases: [unknown, RegExp][] = [
      [{ type: "teleport", id: "i_0002" }, /type/],
      [{ type: "comment.add", id: "i_0003", commentId: "c_0001", photoId: "p_0001", text: "x".repeat(2001) }, /text: must be at most 2000/],
      [{ type: "pick", id: "i_0004", listId: 7, photoId: "p_0001" }, /listId/],
      [{ type: "pick", id: "i_0005", listId: "l_ann1", photoId: "p_0001", ownerId: "v_bob000" }, /Unrecognized key/],
      ["not an object", /intent/],
    ];
    for (const [raw, message] of cases) {
      const out = parseIntent(raw);
      expect("outcome" in out && out.outcome).toMatchObject({ ok: false, code: "invalid_intent", message: expect.stringMatching(message) });
    }
  });
});

describe("gallery rules from the dashboard", () => {
  it("change lists-allowed even while the room's own limits wait to be mirrored", () => {
    const doc = new Y.Doc();
    applyGalleryRules(doc, { listsAllowed: true, minPerList: 1, maxPerList: 5 });
    // The photographer set 10 in the room; the dashboard's copy still says 5 and turns lists off.
    roots(doc).settings.set("maxPerList", 10);
    expect(applyGalleryRules(doc, { listsAllowed: false, minPerList: 1, maxPerList: 5 }, { limits: false })).toBe(true);
    expect(settingsOf(doc)).toMatchObject({ listsAllowed: false, minPerList: 1, maxPerList: 10 });
    applyGalleryRules(doc, { listsAllowed: false, minPerList: 2, maxPerList: 5 });
    expect(settingsOf(doc)).toMatchObject({ minPerList: 2, maxPerList: 5 });
  });
});
