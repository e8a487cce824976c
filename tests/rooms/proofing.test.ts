// The room's mirror into D1 and what the dashboard builds from it: selections with filenames, a
// Lightroom string and CSV, the activity feed; plus the pipeline's photo-ready event and a deleted
// gallery's room.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAILY, type MirrorEntry } from "../../party/outbox";
import { roomName } from "../../party/room-name";
import { tenantDbById } from "../../worker/db/shards";
import { proofActivity, proofComments, proofLists, proofPicks } from "../../worker/db/tenant-schema";
import { ATTEMPTS } from "../../worker/domain/limits/attempts";
import { lightroomSearch } from "../../worker/domain/proofing/selections";
import { mirrorEntries } from "../../worker/rooms/mirror";
import { fixture, newGallery, settled, startUpload, uploadOriginal } from "../helpers/galleries";
import { call, json, signUp } from "../helpers/http";
import { awayFromWindowEdge, EDGE_TIMEOUT } from "../helpers/windows";
import { intentId, joinAsClient, joinAsPhotographer, until } from "./room-client";

const DASHBOARD = { dashboard: "http://app.localhost:8787", site: async () => "http://proofing.localhost:8787" };

type Owner = Awaited<ReturnType<typeof signUp>>;

async function galleryWith(owner: Owner, filenames: string[]) {
  const gallery = await newGallery(owner, { title: "Mirror" });
  const ids: string[] = [];
  for (const f of filenames) ids.push((await json(await startUpload(owner, gallery.id, f, 4_000_000))).photo.id);
  return { galleryId: gallery.id as string, ids };
}

const api = (o: Owner, galleryId: string, rest: string) => `/api/studios/${o.studio.id}/galleries/${galleryId}${rest}`;

describe("the D1 mirror", () => {
  it("bounds what one person adds in a day: past the feed cap changes skip the feed, past the change cap a client waits for tomorrow", async () => {
    const owner = await signUp("mirror-daily");
    const { galleryId, ids } = await galleryWith(owner, ["a.jpg", "b.jpg", "c.jpg"]);
    const mia = await joinAsClient(owner.studio.slug, galleryId, "Mia");
    const miaId = (mia.replies[0]!.actor as { id: string }).id;
    expect((await mia.intent({ type: "list.create", id: intentId(), listId: "mia-l", name: "Album" })).type).toBe("ack");
    // A day of changes already behind her, as the room counted them.
    const room = env.GALLERY_ROOM.get(env.GALLERY_ROOM.idFromName(roomName(owner.studio.id, galleryId)));
    const setToday = (n: number) =>
      runInDurableObject(room, (_r, state) => void state.storage.sql.exec("UPDATE actor_days SET n = ? WHERE actor = ?", n, miaId));
    await setToday(DAILY.feedRows);
    expect((await mia.intent({ type: "pick", id: intentId(), listId: "mia-l", photoId: ids[0] })).type).toBe("ack");
    const selections = await until(async () => {
      const lists = (await json(await call("GET", api(owner, galleryId, "/selections"), { jar: owner.jar }))).lists;
      return lists[0]?.count === 1 ? lists : undefined;
    }, "the pick mirrored");
    expect(selections[0].filenames).toEqual(["a.jpg"]);
    const feed = await json(await call("GET", api(owner, galleryId, "/activity"), { jar: owner.jar }));
    expect(feed.activity.map((a: { type: string }) => a.type)).toEqual(["list.create"]);

    await setToday(DAILY.clientChanges);
    const refused = await mia.intent({ type: "pick", id: intentId(), listId: "mia-l", photoId: ids[1] });
    expect(refused).toMatchObject({ type: "rejected", code: "daily_limit" });
    expect(refused.message).toMatch(/5,000 changes in this gallery today; more can be made tomorrow/);
    // The studio is not bound by it.
    const studio = await joinAsPhotographer(owner, galleryId);
    expect((await studio.intent({ type: "list.create", id: intentId(), listId: "studio-l", name: "Studio" })).type).toBe("ack");
    expect((await studio.intent({ type: "pick", id: intentId(), listId: "studio-l", photoId: ids[2] })).type).toBe("ack");
  });

  it("copies picks, comments, submissions and activity within seconds, for export", async () => {
    const owner = await signUp("mirror-export");
    expect((await call("PATCH", `/api/studios/${owner.studio.id}`, { jar: owner.jar, body: { notifyEmail: "hello@mirror.test" } })).status).toBe(200);
    const { galleryId, ids } = await galleryWith(owner, ["DSC_0001.jpg", "DSC_0002.JPG", "=HYPERLINK(1).jpg", "DSC 0004.jpeg"]);
    const mia = await joinAsClient(owner.studio.slug, galleryId, "Mia, the bride");
    await mia.intent({ type: "list.create", id: intentId(), listId: "mia-album", name: "Album" });
    for (const p of [ids[1], ids[0], ids[2], ids[3]]) await mia.intent({ type: "pick", id: intentId(), listId: "mia-album", photoId: p });
    await mia.intent({ type: "comment.add", id: intentId(), commentId: "mia-c1", photoId: ids[0], text: "Warmer, please" });
    const submit = intentId();
    await mia.intent({ type: "list.submit", id: submit, listId: "mia-album" });

    const selections = await until(
      async () => {
        const lists = (await json(await call("GET", api(owner, galleryId, "/selections"), { jar: owner.jar }))).lists;
        return lists[0]?.submittedAt && lists[0].count === 4 ? lists : undefined;
      },
      "the mirror",
      8000,
    );
    expect(selections[0]).toMatchObject({
      id: "mia-album",
      name: "Album",
      ownerName: "Mia, the bride",
      count: 4,
      // Gallery order, not pick order.
      filenames: ["DSC_0001.jpg", "DSC_0002.JPG", "=HYPERLINK(1).jpg", "DSC 0004.jpeg"],
      lightroom: "DSC_0001, DSC_0002, =HYPERLINK(1), DSC 0004",
    });
    // The studio is told by mail, once, with a link to the selection.
    const mail = (await json(await call("GET", `/api/studios/${owner.studio.id}/store/mail`, { jar: owner.jar }))).mail;
    expect(mail).toEqual([
      expect.objectContaining({ kind: "selection_submitted", to: "hello@mirror.test", subject: "Mia, the bride sent their selection in Mirror" }),
    ]);
    expect(mail[0].text).toContain(`submitted "Album" with 4 photos in Mirror`);
    expect(mail[0].text).toContain(`${DASHBOARD.dashboard}/#/g/${galleryId}/proofing`);

    const csv = await call("GET", api(owner, galleryId, "/selections.csv"), { jar: owner.jar });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("list,client,submitted_at,filename,photo_id,picked_at");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^Album,"Mia, the bride",\d{4}-\d\d-\d\dT.*Z,DSC_0001\.jpg,/);
    // A filename that a spreadsheet would run as a formula is defused.
    expect(lines[3]).toContain(",'=HYPERLINK(1).jpg,");
    const unknown = await call("GET", api(owner, galleryId, "/selections.csv?list=nope"), { jar: owner.jar });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toMatch(/^list: /);

    const feed = await json(await call("GET", api(owner, galleryId, "/activity?limit=3"), { jar: owner.jar }));
    expect(feed.activity.map((a: { type: string }) => a.type)).toEqual(["list.submit", "comment.add", "pick"]);
    expect(feed.activity[0]).toMatchObject({ id: submit, actor: { name: "Mia, the bride", role: "client" }, detail: { listName: "Album", count: 4 } });
    expect(feed.activity[1]).toMatchObject({ photo: { id: ids[0], filename: "DSC_0001.jpg" }, detail: { text: "Warmer, please" } });
    const rest = await json(await call("GET", api(owner, galleryId, `/activity?cursor=${encodeURIComponent(feed.next)}`), { jar: owner.jar }));
    expect(rest.activity).toHaveLength(4);
    expect(rest.next).toBeNull();
    const bad = await call("GET", api(owner, galleryId, "/activity?limit=5000"), { jar: owner.jar });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/limit/);
  });

  it("writes the same rows when the same entries are delivered twice or out of a retried batch", async () => {
    const owner = await signUp("mirror-idem");
    const { galleryId, ids } = await galleryWith(owner, ["a.jpg", "b.jpg"]);
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const actor = { id: "v_1", name: "Nia", role: "client" as const };
    const at = Date.now();
    const list = { id: "nia-l", name: "Faves", ownerId: actor.id, ownerName: actor.name, createdAt: at, submittedAt: null, count: 0 };
    const entries: MirrorEntry[] = [
      { intentId: "e1", type: "list.create", actor, at, listId: "nia-l", photoId: null, commentId: null, list },
      {
        intentId: "e2",
        type: "pick",
        actor,
        at: at + 1,
        listId: "nia-l",
        photoId: ids[0]!,
        commentId: null,
        list: { ...list, count: 1 },
        pick: { listId: "nia-l", photoId: ids[0]!, by: actor.id, at: at + 1 },
      },
      {
        intentId: "e3",
        type: "pick",
        actor,
        at: at + 2,
        listId: "nia-l",
        photoId: ids[1]!,
        commentId: null,
        list: { ...list, count: 2 },
        pick: { listId: "nia-l", photoId: ids[1]!, by: actor.id, at: at + 2 },
      },
      { intentId: "e4", type: "unpick", actor, at: at + 3, listId: "nia-l", photoId: ids[0]!, commentId: null, list: { ...list, count: 1 } },
      {
        intentId: "e5",
        type: "comment.add",
        actor,
        at: at + 4,
        listId: null,
        photoId: ids[1]!,
        commentId: "nia-c",
        comment: { id: "nia-c", photoId: ids[1]!, authorId: actor.id, authorName: actor.name, text: "Yes", at: at + 4, editedAt: null, resolved: false },
      },
    ];
    const snapshot = async () => ({
      lists: await tdb.select(proofLists),
      picks: await tdb.select(proofPicks),
      comments: await tdb.select(proofComments),
      activity: (await tdb.select(proofActivity)).length,
    });
    await mirrorEntries(tdb, galleryId, entries, DASHBOARD);
    const once = await snapshot();
    await mirrorEntries(tdb, galleryId, entries.slice(2), DASHBOARD);
    await mirrorEntries(tdb, galleryId, entries, DASHBOARD);
    expect(await snapshot()).toEqual(once);
    expect(once.picks.map((p) => p.photoId)).toEqual([ids[1]]);
    expect(once.activity).toBe(5);
  });

  it(`mails the studio ${ATTEMPTS.submitMails.limit} selections an hour per gallery; the rest wait in the dashboard`, EDGE_TIMEOUT, async () => {
    await awayFromWindowEdge(ATTEMPTS.submitMails.windowMs, 30_000);
    const owner = await signUp("mirror-submit-flood");
    expect((await call("PATCH", `/api/studios/${owner.studio.id}`, { jar: owner.jar, body: { notifyEmail: "hello@flood.test" } })).status).toBe(200);
    const { galleryId } = await galleryWith(owner, ["a.jpg"]);
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const sent = ATTEMPTS.submitMails.limit + 5;
    const at = Date.now();
    // As many new identities, each sending a list: what a stranger with fresh names can do.
    const entries: MirrorEntry[] = Array.from({ length: sent }, (_, i) => {
      const actor = { id: `v_flood_${i}`, name: `Guest ${i}`, role: "client" as const };
      const list = { id: `flood-${i}`, name: "Mine", ownerId: actor.id, ownerName: actor.name, createdAt: at, submittedAt: at, count: 0 };
      return { intentId: `flood-submit-${i}`, type: "list.submit", actor, at, listId: list.id, photoId: null, commentId: null, list };
    });
    for (let i = 0; i < sent; i += 5) await mirrorEntries(tdb, galleryId, entries.slice(i, i + 5), DASHBOARD);
    const mail = (await json(await call("GET", `/api/studios/${owner.studio.id}/store/mail?limit=200`, { jar: owner.jar }))).mail;
    expect(mail.filter((m: { kind: string }) => m.kind === "selection_submitted")).toHaveLength(ATTEMPTS.submitMails.limit);
    const notes = (await json(await call("GET", `/api/studios/${owner.studio.id}/notifications?limit=200`, { jar: owner.jar }))).notifications;
    expect(notes.filter((n: { kind: string }) => n.kind === "selection_submitted")).toHaveLength(sent);
  });

  it("leaves no rows behind when a batch lands after its gallery was deleted", async () => {
    const owner = await signUp("mirror-after-delete");
    const { galleryId, ids } = await galleryWith(owner, ["a.jpg"]);
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    expect((await call("DELETE", api(owner, galleryId, ""), { jar: owner.jar })).status).toBe(204);
    const actor = { id: "v_late", name: "Late", role: "client" as const };
    const at = Date.now();
    const list = { id: "late-l", name: "Late", ownerId: actor.id, ownerName: actor.name, createdAt: at, submittedAt: null, count: 1 };
    await mirrorEntries(
      tdb,
      galleryId,
      [
        { intentId: "late1", type: "list.create", actor, at, listId: "late-l", photoId: null, commentId: null, list },
        {
          intentId: "late2",
          type: "pick",
          actor,
          at,
          listId: "late-l",
          photoId: ids[0]!,
          commentId: null,
          list,
          pick: { listId: "late-l", photoId: ids[0]!, by: actor.id, at },
        },
      ],
      DASHBOARD,
    );
    expect(await tdb.select(proofLists)).toEqual([]);
    expect(await tdb.select(proofPicks)).toEqual([]);
    expect(await tdb.select(proofActivity)).toEqual([]);
  });

  it("keeps undelivered entries when D1 fails and delivers them on the next alarm", async () => {
    const owner = await signUp("mirror-retry");
    const { galleryId, ids } = await galleryWith(owner, ["a.jpg", "b.jpg"]);
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const d1 = (env as unknown as Record<string, D1Database>)[`TENANT_DB_${owner.studio.shard}`]!;
    const ola = await joinAsClient(owner.studio.slug, galleryId, "Ola");
    await ola.intent({ type: "list.create", id: intentId(), listId: "ola-l", name: "Mine" });
    await ola.intent({ type: "pick", id: intentId(), listId: "ola-l", photoId: ids[0] });
    await until(async () => (await tdb.select(proofPicks)).length === 1 || undefined, "first pick mirrored");
    // D1 loses the table under the mirror: the batch fails whole, the entry stays in the outbox.
    await d1.exec("ALTER TABLE proof_picks RENAME TO proof_picks_away");
    try {
      const late = intentId();
      expect((await ola.intent({ type: "pick", id: late, listId: "ola-l", photoId: ids[1] })).type).toBe("ack");
      await new Promise((r) => setTimeout(r, 2500));
      expect((await tdb.select(proofActivity)).map((a) => a.id)).not.toContain(late);
    } finally {
      await d1.exec("ALTER TABLE proof_picks_away RENAME TO proof_picks");
    }
    const stub = env.GALLERY_ROOM.get(env.GALLERY_ROOM.idFromName(roomName(owner.studio.id, galleryId)));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await tdb.select(proofPicks)).map((p) => p.photoId).sort()).toEqual([...ids].sort());
    expect(await tdb.select(proofActivity)).toHaveLength(3);
  });
});

describe("live events and the gallery's end", () => {
  it("tells an open gallery when a photo is ready", async () => {
    const owner = await signUp("room-photo-ready");
    const g = await newGallery(owner);
    const pia = await joinAsClient(owner.studio.slug, g.id, "Pia");
    const id = await uploadOriginal(owner, g.id, "live.jpg", fixture("camera.jpg"));
    await settled(owner, g.id, id);
    const event = await until(() => pia.replies.find((r) => r.type === "photo-ready"), "photo-ready", 10_000);
    expect(event).toMatchObject({ photo: { id, filename: "live.jpg", status: "ready" } });
    // A photo that arrived after the room loaded can be picked at once.
    await pia.intent({ type: "list.create", id: intentId(), listId: "pia-l", name: "Mine" });
    expect((await pia.intent({ type: "pick", id: intentId(), listId: "pia-l", photoId: id })).type).toBe("ack");
  });

  it("closes the room when its gallery is deleted, and forgets it", async () => {
    const owner = await signUp("room-gallery-gone");
    const { galleryId, ids } = await galleryWith(owner, ["a.jpg"]);
    const studio = await joinAsPhotographer(owner, galleryId);
    const quinn = await joinAsClient(owner.studio.slug, galleryId, "Quinn");
    await quinn.intent({ type: "list.create", id: intentId(), listId: "q-l", name: "Mine" });
    await quinn.intent({ type: "pick", id: intentId(), listId: "q-l", photoId: ids[0] });
    expect((await call("DELETE", api(owner, galleryId, ""), { jar: owner.jar })).status).toBe(204);
    expect(await quinn.closedWith()).toEqual({ code: 4404, reason: "this gallery was deleted" });
    expect(await studio.closedWith()).toEqual({ code: 4404, reason: "this gallery was deleted" });
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tdb.select(proofPicks)).toEqual([]);
    expect(await tdb.select(proofActivity)).toEqual([]);
  });
});

describe("lightroomSearch", () => {
  it("drops extensions and duplicates so RAW files match their proofs", () => {
    expect(lightroomSearch(["IMG_1.jpg", "IMG_1.JPG", "IMG_2.jpeg", "a,b.jpg"])).toBe("IMG_1, IMG_2, a b");
  });
});
