// Live rooms through the worker with real WebSockets: who may open a room, what a client can and
// cannot change, limits under concurrency, durability, replay and bad frames.

import { env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { CUT_OFF, RATES, SOCKETS } from "../../party/budgets";
import { LIMITS, roots } from "../../party/doc";
import { tenantDbById } from "../../worker/db/shards";
import { proofComments } from "../../worker/db/tenant-schema";
import { newGallery, startUpload } from "../helpers/galleries";
import { CookieJar, call, freshIp, json, PASSWORD, signUp, studioHost } from "../helpers/http";
import { clientTicket, evictRoom, intentId, joinAsClient, joinAsPhotographer, RoomClient, until } from "./room-client";

/** A gallery with photos still uploading: proofing does not wait for originals. */
async function proofingGallery(slug: string, photos = 4) {
  const owner = await signUp(slug);
  const gallery = await newGallery(owner, { title: `Proofing ${slug}` });
  const photoIds: string[] = [];
  for (let i = 1; i <= photos; i++) {
    const res = await startUpload(owner, gallery.id, `DSC_${String(1000 + i)}.jpg`, 5_000_000);
    photoIds.push((await json(res)).photo.id);
  }
  return { owner, galleryId: gallery.id as string, photoIds };
}

const list = (listId: string, name = "Favourites") => ({ type: "list.create", id: intentId(), listId, name });
const pick = (listId: string, photoId: string) => ({ type: "pick", id: intentId(), listId, photoId });

describe("room tokens", () => {
  it("opens with a ticket and syncs the document read-only", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-basic");
    const anna = await joinAsClient(owner.studio.slug, galleryId, "Anna");
    expect(anna.closed).toBeNull();
    expect(anna.replies[0]).toMatchObject({ type: "hello", actor: { name: "Anna", role: "client" } });
    expect((await anna.intent(list("anna-favs"))).type).toBe("ack");
    expect((await anna.intent(pick("anna-favs", photoIds[0]!))).type).toBe("ack");
    const ben = await joinAsClient(owner.studio.slug, galleryId, "Ben");
    await until(() => ben.picks.has(`anna-favs/${photoIds[0]}`), "Ben sees Anna's pick");
    expect(ben.lists.get("anna-favs")).toMatchObject({ name: "Favourites", ownerId: anna.actor.id });
  });
});

describe("room tokens are checked before the room opens", () => {
  const sign = (secret: string, claims: Record<string, unknown>, exp: number | string = "10m", sub = "v_intruder") =>
    new SignJWT({ name: "Mallory", role: "client", ...claims })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(sub)
      .setIssuer("loupe")
      .setAudience("loupe:room")
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));

  it("refuses missing, expired, forged, other-gallery and other-studio tokens with a reason", async () => {
    const { owner, galleryId } = await proofingGallery("room-refusals");
    const other = await newGallery(owner, { title: "Other" });
    const b = await proofingGallery("room-refusals-b");
    const host = studioHost(owner.studio.slug);
    const path = `/g/${galleryId}/room`;
    const tid = owner.studio.id;
    const cases: [string | null, number, string][] = [
      [null, 4401, "room token missing"],
      [await sign(env.JWT_SECRET, { tid, gid: galleryId }, Math.floor(Date.now() / 1000) - 60), 4401, "room token expired"],
      [await sign("not-the-secret-not-the-secret-123", { tid, gid: galleryId }), 4401, "room token invalid"],
      [(await clientTicket(owner.studio.slug, other.id, "Eve")).token, 4403, "room token is for another gallery"],
      [(await clientTicket(b.owner.studio.slug, b.galleryId, "Eve")).token, 4403, "room token is for another studio"],
    ];
    for (const [token, code, reason] of cases) {
      const client = await RoomClient.open(host, path, token);
      expect(await client.closedWith(), reason).toEqual({ code, reason });
      expect(client.synced).toBe(false);
    }
    // Tenant A's ticket for its own gallery id, sent to tenant B's host under B's gallery id: refused too.
    const aTicket = await clientTicket(owner.studio.slug, galleryId, "Eve");
    const crossed = await RoomClient.open(studioHost(b.owner.studio.slug), `/g/${b.galleryId}/room`, aTicket.token);
    expect(await crossed.closedWith()).toEqual({ code: 4403, reason: "room token is for another studio" });
    // A's gallery id on B's host is no gallery at all: 404 before any socket.
    const sameIdOnB = await SELF.fetch(`http://${studioHost(b.owner.studio.slug)}/g/${galleryId}/room?token=${aTicket.token}`, {
      headers: { upgrade: "websocket" },
    });
    expect(sameIdOnB.status).toBe(404);
    expect(sameIdOnB.webSocket).toBeNull();
  });

  it("answers a plain GET with 426 and a ticket without a name with name_required", async () => {
    const { owner, galleryId } = await proofingGallery("room-plain-get");
    const host = studioHost(owner.studio.slug);
    const res = await call("GET", `/g/${galleryId}/room`, { host });
    expect(res.status).toBe(426);
    expect((await json(res)).error.code).toBe("upgrade_required");
    const anonymous = await call("POST", `/g/${galleryId}/room-token`, { host });
    expect(anonymous.status).toBe(401);
    const body = await json(anonymous);
    expect(body.error.code).toBe("name_required");
    expect(body.error.message).toMatch(/^name: /);
  });
});

describe("access changes reach open rooms", () => {
  it("a new password closes clients' sockets and refuses their old tokens; the studio stays", async () => {
    const { owner, galleryId } = await proofingGallery("room-access-change");
    const studio = await joinAsPhotographer(owner, galleryId);
    const rae = await joinAsClient(owner.studio.slug, galleryId, "Rae");
    const res = await call("PATCH", `/api/studios/${owner.studio.id}/galleries/${galleryId}`, {
      jar: owner.jar,
      body: { visibility: "password", password: "new-secret-2026" },
    });
    expect(res.status).toBe(200);
    expect(await rae.closedWith()).toEqual({ code: 4401, reason: "gallery access changed; open the gallery again" });
    const again = await RoomClient.open(studioHost(owner.studio.slug), `/g/${galleryId}/room`, rae.token);
    expect(await again.closedWith()).toEqual({ code: 4401, reason: "gallery access changed; open the gallery again" });
    expect(studio.closed).toBeNull();
    // With the new password the client gets a fresh ticket and is back in.
    const t = await clientTicket(owner.studio.slug, galleryId, "Rae", { password: "new-secret-2026" });
    expect((await (await RoomClient.open(t.host, t.path, t.token)).ready()).closed).toBeNull();
  });
});

describe("what a client can change", () => {
  it("cannot touch another client's lists, picks or comments, by intent or by raw Yjs update", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-ownership");
    const anna = await joinAsClient(owner.studio.slug, galleryId, "Anna");
    const mallory = await joinAsClient(owner.studio.slug, galleryId, "Mallory");
    await anna.intent(list("anna-list"));
    await anna.intent(pick("anna-list", photoIds[0]!));
    expect((await anna.intent({ type: "comment.add", id: intentId(), commentId: "anna-c1", photoId: photoIds[0], text: "Love this one" })).type).toBe("ack");
    await until(() => mallory.comments.has("anna-c1"), "Mallory sees the comment");

    const refused = [
      [{ type: "pick", id: intentId(), listId: "anna-list", photoId: photoIds[1] }, "not_owner"],
      [{ type: "unpick", id: intentId(), listId: "anna-list", photoId: photoIds[0] }, "not_owner"],
      [{ type: "list.rename", id: intentId(), listId: "anna-list", name: "Hacked" }, "not_owner"],
      [{ type: "list.delete", id: intentId(), listId: "anna-list" }, "not_owner"],
      [{ type: "list.submit", id: intentId(), listId: "anna-list" }, "not_owner"],
      [{ type: "list.create", id: intentId(), listId: "anna-list", name: "Mine now" }, "list_exists"],
      [{ type: "comment.edit", id: intentId(), commentId: "anna-c1", text: "I hate it" }, "not_author"],
      [{ type: "comment.delete", id: intentId(), commentId: "anna-c1" }, "not_author"],
      [{ type: "comment.resolve", id: intentId(), commentId: "anna-c1", resolved: true }, "forbidden"],
      [{ type: "selection.lock", id: intentId(), locked: true }, "forbidden"],
      [{ type: "limits.set", id: intentId(), minPerList: null, maxPerList: 1 }, "forbidden"],
    ] as const;
    for (const [intent, code] of refused) {
      const reply = await mallory.intent(intent);
      expect(reply, intent.type).toMatchObject({ type: "rejected", code });
    }

    // A raw Yjs update that would delete Anna's pick and rewrite her comment: never applied.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(mallory.doc));
    roots(forged).picked.get("anna-list")?.delete(photoIds[0]!);
    forged.getMap("comments").set("anna-c1", { ...mallory.comments.get("anna-c1")!, text: "forged" });
    for (const kind of ["update", "step2"]) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      if (kind === "update") syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(forged));
      else syncProtocol.writeSyncStep2(e, forged);
      mallory.sendBinary(encoding.toUint8Array(e));
    }
    // The room still answers Mallory (socket open), and a fresh client sees Anna's state untouched.
    expect((await mallory.intent(list("mallory-list"))).type).toBe("ack");
    const fresh = await joinAsClient(owner.studio.slug, galleryId, "Fresh");
    await until(() => fresh.lists.has("mallory-list"), "fresh client synced");
    expect(fresh.picks.has(`anna-list/${photoIds[0]}`)).toBe(true);
    expect(fresh.picks.size).toBe(1);
    expect(fresh.comments.get("anna-c1")?.text).toBe("Love this one");
    expect(fresh.lists.get("anna-list")?.name).toBe("Favourites");
  });

  it("holds the max per list under concurrent picks from several sockets", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-max", 8);
    const studio = await joinAsPhotographer(owner, galleryId);
    expect((await studio.intent({ type: "limits.set", id: intentId(), minPerList: null, maxPerList: 3 })).type).toBe("ack");
    const t = await clientTicket(owner.studio.slug, galleryId, "Cara");
    const sockets = await Promise.all([0, 1, 2, 3].map(async () => (await RoomClient.open(t.host, t.path, t.token)).ready()));
    expect((await sockets[0]!.intent(list("cara-list"))).type).toBe("ack");
    // Eight picks at once, two per socket, for one list whose limit is three.
    const replies = await Promise.all(photoIds.map((p, i) => sockets[i % 4]!.intent(pick("cara-list", p))));
    expect(replies.filter((r) => r.type === "ack")).toHaveLength(3);
    expect(replies.filter((r) => r.type === "rejected").every((r) => r.code === "list_full")).toBe(true);
    await until(() => studio.picks.size === 3 || undefined, "three picks everywhere");
    const fresh = await joinAsClient(owner.studio.slug, galleryId, "Fresh");
    await until(() => fresh.lists.has("cara-list"), "fresh sync");
    expect(fresh.picks.size).toBe(3);
  });

  it("lets the photographer resolve comments and lock the selection; a locked selection refuses clients", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-lock");
    const studio = await joinAsPhotographer(owner, galleryId);
    const dee = await joinAsClient(owner.studio.slug, galleryId, "Dee");
    await dee.intent(list("dee-list"));
    await dee.intent({ type: "comment.add", id: intentId(), commentId: "dee-c1", photoId: photoIds[0], text: "Can you brighten this?" });
    expect((await studio.intent({ type: "comment.resolve", id: intentId(), commentId: "dee-c1", resolved: true })).type).toBe("ack");
    await until(() => dee.comments.get("dee-c1")?.resolved, "Dee sees it resolved");
    expect((await studio.intent({ type: "selection.lock", id: intentId(), locked: true })).type).toBe("ack");
    expect(await dee.intent(pick("dee-list", photoIds[1]!))).toMatchObject({ type: "rejected", code: "selection_locked" });
    expect((await studio.intent({ type: "selection.lock", id: intentId(), locked: false })).type).toBe("ack");
    expect((await dee.intent(pick("dee-list", photoIds[1]!))).type).toBe("ack");
  });

  it("enforces min and max on submit, and freezes a submitted list", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-submit");
    const res = await call("PATCH", `/api/studios/${owner.studio.id}/galleries/${galleryId}`, {
      jar: owner.jar,
      body: { selection: { minPerList: 2, maxPerList: 3 } },
    });
    expect(res.status).toBe(200);
    const eve = await joinAsClient(owner.studio.slug, galleryId, "Eve");
    await eve.intent(list("eve-list"));
    await eve.intent(pick("eve-list", photoIds[0]!));
    expect(await eve.intent({ type: "list.submit", id: intentId(), listId: "eve-list" })).toMatchObject({ type: "rejected", code: "too_few_picks" });
    await eve.intent(pick("eve-list", photoIds[1]!));
    expect((await eve.intent({ type: "list.submit", id: intentId(), listId: "eve-list" })).type).toBe("ack");
    expect(await eve.intent(pick("eve-list", photoIds[2]!))).toMatchObject({ type: "rejected", code: "list_submitted" });
  });

  it("the photographer reopens a submitted list: the client sees it live, changes it, and the export shows the new picks", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-reopen");
    const ida = await joinAsClient(owner.studio.slug, galleryId, "Ida");
    await ida.intent(list("ida-list"));
    await ida.intent(pick("ida-list", photoIds[0]!));
    expect((await ida.intent({ type: "list.submit", id: intentId(), listId: "ida-list" })).type).toBe("ack");
    expect(await ida.intent(pick("ida-list", photoIds[1]!))).toMatchObject({ type: "rejected", code: "list_submitted" });
    // Only the photographer reopens.
    expect(await ida.intent({ type: "list.reopen", id: intentId(), listId: "ida-list" })).toMatchObject({ type: "rejected", code: "forbidden" });
    const studio = await joinAsPhotographer(owner, galleryId);
    expect(await studio.intent({ type: "list.reopen", id: intentId(), listId: "no-such" })).toMatchObject({ type: "rejected", code: "no_such_list" });
    expect((await studio.intent({ type: "list.reopen", id: intentId(), listId: "ida-list" })).type).toBe("ack");
    await until(() => ida.lists.get("ida-list")?.submittedAt === null, "Ida sees her list open again");
    expect((await ida.intent(pick("ida-list", photoIds[1]!))).type).toBe("ack");
    expect((await ida.intent({ type: "list.submit", id: intentId(), listId: "ida-list" })).type).toBe("ack");
    const exported = await until(async () => {
      const lists = (await json(await call("GET", `/api/studios/${owner.studio.id}/galleries/${galleryId}/selections`, { jar: owner.jar }))).lists;
      return lists[0]?.count === 2 && lists[0].submittedAt ? lists[0] : null;
    }, "the export shows both picks, submitted again");
    expect(exported.photos.map((p: { id: string }) => p.id).sort()).toEqual([photoIds[0], photoIds[1]].sort());
  });

  it("shows the due date, and at it closes clients' lists when the studio chose so", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-due");
    const setDue = (dueAt: number, lockAtDue: boolean) =>
      call("PATCH", `/api/studios/${owner.studio.id}/galleries/${galleryId}`, { jar: owner.jar, body: { selection: { dueAt, lockAtDue } } });
    expect((await setDue(Date.now() + 3 * 86_400_000, true)).status).toBe(200);
    const page = await (await call("GET", `/g/${galleryId}`, { host: studioHost(owner.studio.slug) })).text();
    expect(page).toMatch(/Please choose your favourites by <time datetime="[^"]+">[^<]+<\/time>: the selection closes then\./);
    const jo = await joinAsClient(owner.studio.slug, galleryId, "Jo");
    await jo.intent(list("jo-list"));
    expect((await jo.intent(pick("jo-list", photoIds[0]!))).type).toBe("ack");
    // The due date passes: the room takes it, and refuses the client's changes with the date.
    expect((await setDue(Date.now() - 1000, true)).status).toBe(200);
    await until(() => (jo.doc.getMap("settings").get("dueAt") as number) < Date.now(), "the due date reaches the room");
    expect(await jo.intent(pick("jo-list", photoIds[1]!))).toMatchObject({ type: "rejected", code: "selection_locked", message: /The selection closed on/ });
    expect(await (await call("GET", `/g/${galleryId}`, { host: studioHost(owner.studio.slug) })).text()).toContain("The selection closed on");
    // The photographer reopens Jo's list after the due date: Jo may change it again; a new list may not be started.
    const studio = await joinAsPhotographer(owner, galleryId);
    expect((await studio.intent({ type: "list.reopen", id: intentId(), listId: "jo-list" })).type).toBe("ack");
    await until(() => (jo.lists.get("jo-list") as { reopenedAt?: number } | undefined)?.reopenedAt, "the reopening reaches Jo");
    expect((await jo.intent(pick("jo-list", photoIds[2]!))).type).toBe("ack");
    expect(await jo.intent(list("jo-second"))).toMatchObject({ type: "rejected", code: "selection_locked" });
    // A due date that does not lock only reminds.
    expect((await setDue(Date.now() - 1000, false)).status).toBe(200);
    await until(() => jo.doc.getMap("settings").get("lockAtDue") === false, "the rule reaches the room");
    expect((await jo.intent(pick("jo-list", photoIds[1]!))).type).toBe("ack");
  });

  it("takes the gallery's new limits while the room is open", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-live-limits");
    const fay = await joinAsClient(owner.studio.slug, galleryId, "Fay");
    await fay.intent(list("fay-list"));
    await fay.intent(pick("fay-list", photoIds[0]!));
    await call("PATCH", `/api/studios/${owner.studio.id}/galleries/${galleryId}`, { jar: owner.jar, body: { selection: { maxPerList: 1 } } });
    await until(() => fay.doc.getMap("settings").get("maxPerList") === 1, "the new limit reaches the room");
    expect(await fay.intent(pick("fay-list", photoIds[1]!))).toMatchObject({ type: "rejected", code: "list_full" });
  });
});

describe("durability and replay", () => {
  it("a reply appears live for the other side, joins its thread, survives a restart and reaches D1", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-replies");
    const studio = await joinAsPhotographer(owner, galleryId);
    const jo = await joinAsClient(owner.studio.slug, galleryId, "Jo");
    await jo.intent({ type: "comment.add", id: intentId(), commentId: "jo-c1", photoId: photoIds[0], text: "Can this one be warmer?" });
    await until(() => studio.comments.has("jo-c1"), "the studio sees Jo's comment");
    // The photographer answers; Jo sees it at once, under her comment.
    const answer = { type: "comment.add", id: intentId(), commentId: "st-r1", photoId: photoIds[0], text: "Yes, for the album.", replyTo: "jo-c1" };
    expect((await studio.intent(answer)).type).toBe("ack");
    await until(() => jo.comments.get("st-r1")?.replyTo === "jo-c1", "Jo sees the reply in her thread");
    // A reply to a reply joins the same thread; a reply on another photo, or to nothing, is refused.
    expect((await jo.intent({ ...answer, id: intentId(), commentId: "jo-r2", text: "Thank you!", replyTo: "st-r1" })).type).toBe("ack");
    await until(() => studio.comments.get("jo-r2")?.replyTo === "jo-c1", "the studio sees Jo's answer in the thread");
    expect(await jo.intent({ ...answer, id: intentId(), commentId: "jo-r3", photoId: photoIds[1], replyTo: "jo-c1" })).toMatchObject({
      type: "rejected",
      code: "no_such_comment",
    });
    expect(await jo.intent({ ...answer, id: intentId(), commentId: "jo-r4", replyTo: "gone-c9" })).toMatchObject({ type: "rejected", code: "no_such_comment" });
    await evictRoom(owner.studio.id, galleryId);
    const back = await joinAsClient(owner.studio.slug, galleryId, "Jo again");
    await until(() => back.comments.has("jo-r2"), "the reloaded document");
    expect(back.comments.get("st-r1")).toMatchObject({ text: "Yes, for the album.", replyTo: "jo-c1" });
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const rows = await until(async () => {
      const r = await tdb.select(proofComments, eq(proofComments.galleryId, galleryId));
      return r.length === 3 ? r : null;
    }, "the mirror has the thread");
    expect(rows.map((r) => [r.id, r.replyTo]).sort()).toEqual([
      ["jo-c1", null],
      ["jo-r2", "jo-c1"],
      ["st-r1", "jo-c1"],
    ]);
  });

  it("keeps every acknowledged intent when the room is evicted", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-durable", 6);
    const gus = await joinAsClient(owner.studio.slug, galleryId, "Gus");
    await gus.intent(list("gus-list"));
    for (const p of photoIds) expect((await gus.intent(pick("gus-list", p))).type).toBe("ack");
    await gus.intent({ type: "unpick", id: intentId(), listId: "gus-list", photoId: photoIds[5] });
    await gus.intent({ type: "comment.add", id: intentId(), commentId: "gus-c1", photoId: photoIds[0], text: "Crop tighter" });
    await evictRoom(owner.studio.id, galleryId);
    const back = await joinAsClient(owner.studio.slug, galleryId, "Gus again");
    await until(() => back.lists.has("gus-list"), "reloaded document");
    expect([...back.picks.keys()].sort()).toEqual(
      photoIds
        .slice(0, 5)
        .map((p) => `gus-list/${p}`)
        .sort(),
    );
    expect(back.comments.get("gus-c1")?.text).toBe("Crop tighter");
  });

  it("applies intents replayed after a reconnect exactly once", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-replay");
    const t = await clientTicket(owner.studio.slug, galleryId, "Hal");
    const first = await (await RoomClient.open(t.host, t.path, t.token)).ready();
    const queued = [
      list("hal-list"),
      pick("hal-list", photoIds[0]!),
      pick("hal-list", photoIds[1]!),
      { type: "comment.add", id: intentId(), commentId: "hal-c1", photoId: photoIds[1], text: "This one!" },
    ];
    // Sent on the train: the first two reached the room, the socket dropped before any answer came.
    // One at a time: the pick needs the list, and frames in flight together may reach the room out
    // of order in this test runtime (see RoomClient).
    expect((await first.intent(queued[0]!)).type).toBe("ack");
    expect((await first.intent(queued[1]!)).type).toBe("ack");
    first.close();
    await evictRoom(owner.studio.id, galleryId);
    // Back online: the browser replays everything it has no ack for, in order, twice over (two tabs).
    const again = await (await RoomClient.open(t.host, t.path, t.token)).ready();
    const tab2 = await (await RoomClient.open(t.host, t.path, t.token)).ready();
    const replies = await Promise.all(queued.flatMap((i) => [again.intent(i), tab2.intent(i)]));
    expect(replies.every((r) => r.type === "ack")).toBe(true);
    expect(replies.filter((r) => r.duplicate).length).toBe(queued.length + 2);
    const fresh = await joinAsClient(owner.studio.slug, galleryId, "Fresh");
    await until(() => fresh.comments.size === 1 || undefined, "fresh sync");
    expect(fresh.picks.size).toBe(2);
    expect(fresh.lists.size).toBe(1);
    // An id reused by someone else tells them nothing and changes nothing.
    const ida = await joinAsClient(owner.studio.slug, galleryId, "Ida");
    expect(await ida.intent({ ...list("ida-list"), id: queued[0]!.id })).toMatchObject({
      type: "rejected",
      code: "invalid_intent",
      message: "id: is already used",
    });
  });
});

describe("bad frames", () => {
  it("rejects each with a code, keeps the socket open and changes nothing", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-bad");
    const jo = await joinAsClient(owner.studio.slug, galleryId, "Jo");
    await jo.intent(list("jo-list"));
    const before = Y.encodeStateAsUpdate(jo.doc);
    const bad: [string, string, RegExp][] = [
      ["__YPS:{not json", "invalid_intent", /^intent: is not JSON$/],
      [`__YPS:${JSON.stringify({ type: "teleport", id: "bad-1" })}`, "invalid_intent", /^type: /],
      [
        `__YPS:${JSON.stringify({ type: "comment.add", id: "bad-2", commentId: "c-long", photoId: photoIds[0], text: "x".repeat(2001) })}`,
        "invalid_intent",
        /^text: must be at most 2000 characters$/,
      ],
      [`__YPS:${JSON.stringify({ type: "pick", id: "bad-3", listId: "jo-list", photoId: 5 })}`, "invalid_intent", /^photoId: /],
      [`__YPS:${JSON.stringify({ type: "pick", id: "bad-4", listId: "jo-list", photoId: photoIds[0], extra: true })}`, "invalid_intent", /extra/],
      [`__YPS:${JSON.stringify({ type: "pick", id: "bad-5", listId: "jo-list", photoId: "p_not_in_this_gallery" })}`, "no_such_photo", /not in this gallery/],
      [
        `__YPS:${JSON.stringify({ type: "comment.add", id: "bad-6", commentId: "c-big", photoId: photoIds[0], text: "y".repeat(9000) })}`,
        "invalid_intent",
        /over 8 KB/,
      ],
    ];
    for (const [frame, code, message] of bad) {
      const n = jo.replies.length;
      jo.sendText(frame);
      const reply = await until(() => jo.replies.slice(n).find((r) => r.type === "rejected"), frame.slice(0, 40));
      expect(reply.code, frame.slice(0, 60)).toBe(code);
      expect(reply.message).toMatch(message);
    }
    // A frame too large to read still names its intent, so the browser can drop it from its outbox.
    expect(jo.replies.find((r) => /over 8 KB/.test(r.message ?? ""))?.id).toBe("bad-6");
    // Frames the protocol does not know: a bare string and garbage bytes. Ignored, socket open.
    jo.sendText("hello?");
    jo.sendBinary(Uint8Array.from([0, 9, 9, 9]));
    jo.sendBinary(Uint8Array.from([7, 1, 2]));
    expect((await jo.intent(pick("jo-list", photoIds[0]!))).type).toBe("ack");
    expect(jo.closed).toBeNull();
    const check = new Y.Doc();
    Y.applyUpdate(check, before);
    expect(check.getMap("comments").size).toBe(0);
    expect(jo.comments.size).toBe(0);
    expect(jo.picks.size).toBe(1);
  });
});

describe("a flooding person", () => {
  it("is slowed to 20 intents a second after a burst of 60 across all their sockets, told once per socket when to send again", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-flood");
    const zed = await joinAsClient(owner.studio.slug, galleryId, "Zed");
    // A second socket with the same token is the same person, with the same budget.
    const zed2 = await (await RoomClient.open(zed.host, zed.path, zed.token)).ready();
    // 150 at once, as a browser replaying a long train ride would if it did not pace itself.
    const flood = Array.from({ length: 150 }, (_, i) => ({
      type: "comment.add",
      id: intentId(),
      commentId: `zed-${i}`,
      photoId: photoIds[0],
      text: `spam ${i}`,
    }));
    const started = Date.now();
    for (const [n, intent] of flood.entries()) (n % 2 ? zed2 : zed).sendText(`__YPS:${JSON.stringify(intent)}`);
    const answers = () => [...zed.replies, ...zed2.replies].filter((r) => flood.some((i) => i.id === r.id));
    const limitedOn = (c: RoomClient) => c.replies.filter((r) => r.code === "rate_limited");
    await until(() => limitedOn(zed).length > 0 && limitedOn(zed2).length > 0, "each socket told to wait");
    await new Promise((r) => setTimeout(r, 300));
    const seconds = (Date.now() - started) / 1000;
    const acked = answers().filter((r) => r.type === "ack");
    expect(acked.length).toBeGreaterThanOrEqual(RATES.intents.burst);
    expect(acked.length).toBeLessThanOrEqual(RATES.intents.burst + Math.ceil(RATES.intents.perSecond * seconds) + 1);
    // One refusal per socket while the person is held: the rest of the flood costs no answer.
    const limited = [...limitedOn(zed), ...limitedOn(zed2)];
    expect(limited.length).toBe(2);
    expect(limited[0]!.message).toMatch(/^intent: too many at once from you; send it again shortly/);
    expect(limited.every((r) => flood.some((i) => i.id === r.id) && (r.retryAfterMs ?? 0) > 0 && (r.retryAfterMs ?? 0) <= 2000)).toBe(true);
    // Sent again after the wait, in order, what was not answered is taken, a second's worth at a time.
    await new Promise((r) => setTimeout(r, Math.max(...limited.map((r) => r.retryAfterMs ?? 0)) + 100));
    const unanswered = flood.filter((i) => !acked.some((r) => r.id === i.id));
    const again = await Promise.all(unanswered.slice(0, 15).map((i) => zed.intent(i)));
    expect(again.map((r) => r.type)).toEqual(Array(15).fill("ack"));
    expect((await zed2.intent({ type: "list.create", id: intentId(), listId: "zed-l", name: "Later" })).type).toBe("ack");
    expect([zed.closed, zed2.closed]).toEqual([null, null]);
  });

  it("identities made on one network share its budget; a client on another network is answered at once", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-network");
    const slug = owner.studio.slug;
    const flooderNet = freshIp();
    const bots = await Promise.all(Array.from({ length: 6 }, (_, i) => joinAsClient(slug, galleryId, `Bot ${i}`, flooderNet)));
    const ana = await joinAsClient(slug, galleryId, "Ana", freshIp());
    // Each identity sends its own burst's worth at once: together far past the network's burst.
    const flood = bots.flatMap((bot, b) =>
      Array.from({ length: RATES.intents.burst }, (_, i) => {
        const intent = { type: "comment.add", id: intentId(), commentId: `bot-${b}-${i}`, photoId: photoIds[0], text: "spam" };
        return { bot, intent };
      }),
    );
    const started = Date.now();
    for (const { bot, intent } of flood) bot.sendText(`__YPS:${JSON.stringify(intent)}`);
    expect((await ana.intent(list("ana-l"))).type).toBe("ack");
    const fromNetwork = () => bots.flatMap((b) => b.replies.filter((r) => r.message?.includes("from your network")));
    await until(() => fromNetwork().length > 0, "the network told to wait");
    await new Promise((r) => setTimeout(r, 300));
    const seconds = (Date.now() - started) / 1000;
    const acked = bots.flatMap((b) => b.replies.filter((r) => r.type === "ack" && flood.some((f) => f.intent.id === r.id)));
    expect(acked.length).toBeLessThanOrEqual(RATES.networkIntents.burst + Math.ceil(RATES.networkIntents.perSecond * seconds) + 1);
    expect(fromNetwork()[0]!.retryAfterMs).toBeGreaterThan(0);
    // Ana, on her own network, is answered as before.
    expect((await ana.intent({ type: "pick", id: intentId(), listId: "ana-l", photoId: photoIds[1] })).type).toBe("ack");
  });

  it("who keeps sending after being told to wait is cut off, on every socket, while others in the room are answered at once", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-cutoff");
    const amy = await joinAsClient(owner.studio.slug, galleryId, "Amy");
    const zed = await joinAsClient(owner.studio.slug, galleryId, "Zed");
    const sockets = [zed, ...(await Promise.all(Array.from({ length: 3 }, async () => (await RoomClient.open(zed.host, zed.path, zed.token)).ready())))];
    // Frames, not awaited: a flood does not wait for answers.
    const frame = (i: number) => `__YPS:${JSON.stringify({ type: "comment.add", id: intentId(), commentId: `f-${i}`, photoId: photoIds[0], text: "spam" })}`;
    for (let i = 0; i < CUT_OFF.refusals + 200; i++) sockets[i % sockets.length]!.sendText(frame(i));
    expect((await amy.intent(list("amy-l"))).type).toBe("ack");
    await until(() => sockets.every((s) => s.closed), "every socket of the flooder closed");
    expect(sockets.map((s) => s.closed!.code)).toEqual([4429, 4429, 4429, 4429]);
    expect(zed.closed!.reason).toMatch(/too many messages/);
    // Cut off for a while: a new socket with the same token is turned away.
    const again = await RoomClient.open(zed.host, zed.path, zed.token);
    await until(() => again.closed, "the new socket refused");
    expect(again.closed!.code).toBe(4429);
    // The room took no more from the flooder than the budget allows.
    const comments = [...amy.comments.values()].filter((c) => c.authorName === "Zed").length;
    expect(comments).toBeLessThanOrEqual(RATES.intents.burst + 40);
    expect((await amy.intent(pick("amy-l", photoIds[1]!))).type).toBe("ack");
  });

  it("may hold 8 sockets at once; the ninth is refused with a reason", async () => {
    const { owner, galleryId } = await proofingGallery("room-sockets");
    const kim = await joinAsClient(owner.studio.slug, galleryId, "Kim");
    const more = await Promise.all(Array.from({ length: SOCKETS.perActor - 1 }, async () => (await RoomClient.open(kim.host, kim.path, kim.token)).ready()));
    expect(more.every((s) => s.closed === null)).toBe(true);
    const ninth = await RoomClient.open(kim.host, kim.path, kim.token);
    await until(() => ninth.closed, "the ninth socket refused");
    expect(ninth.closed).toEqual({ code: 4429, reason: "too many connections; close another tab and try again" });
    // Closing one makes room for another.
    more[0]!.close();
    await until(async () => {
      const s = await RoomClient.open(kim.host, kim.path, kim.token);
      await new Promise((r) => setTimeout(r, 200));
      return s.closed === null ? s : undefined;
    }, "a socket after one closed");
  });
});

describe("what one person may keep in a room", () => {
  it(`is ${LIMITS.commentCharsPerPerson.toLocaleString("en")} characters of comments: past it a comment is refused, and an edit that grows it too`, async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-comment-chars");
    const kim = await joinAsClient(owner.studio.slug, galleryId, "Kim");
    const long = "x".repeat(LIMITS.comment);
    const fits = LIMITS.commentCharsPerPerson / LIMITS.comment;
    for (let i = 0; i < fits; i++) {
      const r = await kim.intent({ type: "comment.add", id: intentId(), commentId: `kim-${i}`, photoId: photoIds[0], text: long });
      expect(r.type, JSON.stringify(r)).toBe("ack");
    }
    const over = await kim.intent({ type: "comment.add", id: intentId(), commentId: "kim-over", photoId: photoIds[0], text: "one more" });
    expect(over).toMatchObject({ type: "rejected", code: "too_many_comments" });
    expect(over.message).toMatch(/at most 40,000 characters in all/);
    // Shorter is fine; then the room has space for a short one again.
    expect((await kim.intent({ type: "comment.edit", id: intentId(), commentId: "kim-0", text: "short now" })).type).toBe("ack");
    expect((await kim.intent({ type: "comment.add", id: intentId(), commentId: "kim-again", photoId: photoIds[0], text: "thanks!" })).type).toBe("ack");
    expect((await kim.intent({ type: "comment.edit", id: intentId(), commentId: "kim-again", text: long })).code).toBe("too_many_comments");
  });
});

describe("access while connected", () => {
  it("a staff member removed from the studio is shown out of an open room within seconds", async () => {
    const { owner, galleryId } = await proofingGallery("room-removed-staff");
    const inv = await json(await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: owner.jar, body: { email: "sam@removed.test" } }));
    const staffJar = new CookieJar();
    const accepted = await call("POST", "/api/auth/invites/accept", {
      jar: staffJar,
      ip: freshIp(),
      body: { token: inv.invite.token, password: PASSWORD, name: "Sam" },
    });
    expect(accepted.status).toBe(201);
    const sam = await joinAsPhotographer({ ...owner, jar: staffJar }, galleryId);
    const anna = await joinAsClient(owner.studio.slug, galleryId, "Anna");
    expect((await sam.intent({ type: "selection.lock", id: intentId(), locked: true })).type).toBe("ack");
    const staffId = (await json(accepted)).account.id;
    expect((await call("DELETE", `/api/studios/${owner.studio.id}/members/${staffId}`, { jar: owner.jar })).status).toBe(204);
    await until(() => sam.closed, "the removed staff member's socket closed", 15_000);
    expect(sam.closed).toEqual({ code: 4403, reason: "you are no longer a member of this studio" });
    // The client stays.
    expect(anna.closed).toBeNull();
  });

  it("a gallery that expires while a client is in the room closes their socket when it does", async () => {
    const { owner, galleryId } = await proofingGallery("room-expires-live");
    const anna = await joinAsClient(owner.studio.slug, galleryId, "Anna");
    const soon = Date.now() + 2_000;
    expect((await call("PATCH", `/api/studios/${owner.studio.id}/galleries/${galleryId}`, { jar: owner.jar, body: { expiresAt: soon } })).status).toBe(200);
    expect(anna.closed).toBeNull();
    await until(() => anna.closed, "the client's socket closed at expiry", 15_000);
    expect(anna.closed).toEqual({ code: 4410, reason: "this gallery has expired" });
  });
});

describe("presence", () => {
  it("shows who is here and what they view, with names from the token", async () => {
    const { owner, galleryId, photoIds } = await proofingGallery("room-presence");
    const kim = await joinAsClient(owner.studio.slug, galleryId, "Kim");
    const lee = await joinAsClient(owner.studio.slug, galleryId, "Lee");
    const sendAwareness = (client: RoomClient, clientId: number, state: unknown) => {
      const doc = new Y.Doc();
      doc.clientID = clientId;
      const fake = new awarenessProtocol.Awareness(doc);
      fake.setLocalState(state as Record<string, unknown>);
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(fake, [clientId]));
      client.sendBinary(encoding.toUint8Array(e));
      fake.destroy();
    };
    sendAwareness(kim, 111, { user: { name: "The Photographer", role: "photographer" }, viewing: photoIds[2], color: "red" });
    const seen = await until(() => lee.awareness.getStates().get(111), "Kim's presence");
    expect(seen).toEqual({ user: { id: kim.actor.id, name: "Kim", role: "client" }, viewing: photoIds[2] });
    // Lee tries to speak for Kim's awareness id (ignored in either order), takes 222 as her own,
    // and only then tries a second id: the room keeps the first one it saw, so 223 must be sent
    // after 222 has arrived (frames in flight together may arrive out of order here; see RoomClient).
    sendAwareness(lee, 111, { viewing: photoIds[0] });
    sendAwareness(lee, 222, { viewing: photoIds[1] });
    await until(
      () => kim.awareness.getStates().get(222),
      () =>
        `Lee's own presence (kim closed ${JSON.stringify(kim.closed)}, lee closed ${JSON.stringify(lee.closed)}; kim sees ${JSON.stringify([...kim.awareness.getStates().keys()])}, lee sees ${JSON.stringify([...lee.awareness.getStates().keys()])})`,
    );
    sendAwareness(lee, 223, { viewing: photoIds[3] });
    expect(kim.awareness.getStates().get(222)).toEqual({ user: { id: lee.actor.id, name: "Lee", role: "client" }, viewing: photoIds[1] });
    expect(kim.awareness.getStates().get(111)).toMatchObject({ viewing: photoIds[2] });
    // The message type written as a two-byte varint (0x81 0x00 is also 1) takes the same path.
    const doc = new Y.Doc();
    doc.clientID = 333;
    const fake = new awarenessProtocol.Awareness(doc);
    fake.setLocalState({ user: { name: "Boss", role: "photographer" } });
    const e = encoding.createEncoder();
    encoding.writeUint8(e, 0x81);
    encoding.writeUint8(e, 0x00);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(fake, [333]));
    lee.sendBinary(encoding.toUint8Array(e));
    expect((await lee.intent({ type: "list.create", id: intentId(), listId: "lee-l", name: "Mine" })).type).toBe("ack");
    await new Promise((r) => setTimeout(r, 200));
    expect(kim.awareness.getStates().has(223)).toBe(false);
    expect(kim.awareness.getStates().has(333)).toBe(false);
    lee.close();
    await until(() => !kim.awareness.getStates().has(222), "Lee leaves");
  });
});
