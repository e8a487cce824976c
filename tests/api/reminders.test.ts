// Mail that reaches a gallery's registered visitors: the selection due in three days and in one
// (not to those who already sent theirs, and never twice), the gallery closing, and a selection the
// photographer reopened. Driven by the daily job and the room's mirror, delivered by the mail queue
// to the local fake provider.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Actor, CommentEntry } from "../../party/doc";
import type { MirrorEntry } from "../../party/outbox";
import { directoryDb } from "../../worker/db/directory-db";
import { tenantDbById } from "../../worker/db/shards";
import { notifications, photos, proofLists } from "../../worker/db/tenant-schema";
import { queueDueReminders, queueExpiryNotices } from "../../worker/domain/mail/scheduled";
import { mirrorEntries } from "../../worker/rooms/mirror";
import { galleriesPath, newGallery } from "../helpers/galleries";
import { CookieJar, call, freshIp, json, signUp, studioHost } from "../helpers/http";
import { sentTo, until } from "../helpers/mail";

const DAY = 86_400_000;
const dueMail = async (to: string) => (await sentTo(to)).filter((m) => m.subject.includes("is due"));

async function visitorIdOf(owner: Awaited<ReturnType<typeof signUp>>, galleryId: string, email: string): Promise<string> {
  const list = await json(await call("GET", `${galleriesPath(owner)}/${galleryId}/visitors`, { jar: owner.jar }));
  return list.visitors.find((v: { email: string }) => v.email === email).id;
}

describe("reminders to registered visitors", () => {
  it("reminds clients who have not sent their selection three days and one day before it is due, once each", async () => {
    const owner = await signUp("due-studio");
    const host = studioHost(owner.studio.slug);
    const now = Date.now();
    const dueAt = now + 2.5 * DAY;
    const g = await newGallery(owner, { title: "Kim & Lee", visibility: "unlisted", selection: { dueAt, lockAtDue: true } });
    // An invited client who never opened it, a guest who gave an email, one who sent her list, one without an email.
    const invite = await call("POST", `${galleriesPath(owner)}/${g.id}/invites`, { jar: owner.jar, body: { name: "Kim", email: "kim@due.test" } });
    expect(invite.status).toBe(201);
    for (const [name, email] of [
      ["Ola", "ola@due.test"],
      ["Sent Already", "sent@due.test"],
      ["No Email", undefined],
    ] as const) {
      const res = await call("POST", `/g/${g.id}/access`, { host, jar: new CookieJar(), ip: freshIp(), body: { name, ...(email && { email }) } });
      expect(res.status).toBe(200);
    }
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const sender = await visitorIdOf(owner, g.id, "sent@due.test");
    await tdb.insert(proofLists, {
      galleryId: g.id,
      id: "l_sent",
      name: "Favourites",
      ownerId: sender,
      ownerName: "Sent Already",
      createdAt: now,
      submittedAt: now,
    });

    const dir = directoryDb(env);
    expect(await queueDueReminders(env, dir, owner.studio.shard, now)).toBe(2);
    const first = await until(
      "the three-day reminders",
      async () => [...(await dueMail("kim@due.test")), ...(await dueMail("ola@due.test"))],
      (m) => m.length === 2,
    );
    expect(first.map((m) => m.subject)).toEqual(["Kim & Lee: your selection is due in a few days", "Kim & Lee: your selection is due in a few days"]);
    expect(first[0]!.text).toContain("Hello Kim");
    expect(first[0]!.text).toContain(`/g/${g.id}`);
    expect(first[0]!.text).toContain("the selection closes then");
    expect(await sentTo("sent@due.test")).toEqual([]);
    // The next day's run is still "in a few days": nothing new. The last day: one more each.
    await queueDueReminders(env, dir, owner.studio.shard, now + 0.8 * DAY);
    await queueDueReminders(env, dir, owner.studio.shard, now + 1.8 * DAY);
    await queueDueReminders(env, dir, owner.studio.shard, now + 1.9 * DAY);
    const all = await until(
      "the one-day reminders",
      () => dueMail("kim@due.test"),
      (m) => m.length >= 2,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await dueMail("kim@due.test")).map((m) => m.subject)).toEqual([all[0]!.subject, "Kim & Lee: your selection is due tomorrow"]);
    expect(await sentTo("sent@due.test")).toEqual([]);
  });

  it("tells registered visitors that the gallery closes, and a client that their selection was reopened", async () => {
    const owner = await signUp("closing-studio");
    const host = studioHost(owner.studio.slug);
    const g = await newGallery(owner, { title: "Last Days", visibility: "unlisted", expiresAt: new Date(Date.now() + 2 * DAY).toISOString() });
    const jar = new CookieJar();
    expect((await call("POST", `/g/${g.id}/access`, { host, jar, ip: freshIp(), body: { name: "Rae", email: "rae@closing.test" } })).status).toBe(200);
    await queueExpiryNotices(env, directoryDb(env), owner.studio.shard);
    const closing = await until(
      "the closing notice",
      () => sentTo("rae@closing.test"),
      (m) => m.length === 1,
    );
    expect(closing[0]!.subject).toMatch(/^Last Days closes on /);

    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const rae = await visitorIdOf(owner, g.id, "rae@closing.test");
    const actor = { id: "acct_x", name: "Sam", role: "photographer" as const };
    const at = Date.now();
    const list = { id: "l_rae", name: "Album", ownerId: rae, ownerName: "Rae", createdAt: at, submittedAt: null, reopenedAt: at, count: 3 };
    const site = async () => `http://${host}`;
    await mirrorEntries(tdb, g.id, [{ intentId: "i_reopen", type: "list.reopen", actor, at, listId: list.id, photoId: null, commentId: null, list }], {
      dashboard: "http://app.localhost:8787",
      site,
    });
    const reopened = await until(
      "the reopen mail",
      async () => (await sentTo("rae@closing.test")).filter((m) => m.subject.includes("again")),
      (m) => m.length === 1,
    );
    expect(reopened[0]!.subject).toBe("Last Days: you can change “Album” again");
    expect(reopened[0]!.text).toContain(`http://${host}/g/${g.id}`);

    // Rae comments; the photographer's reply reaches her by mail, with a link to the photo.
    const photo = "ph_rae_1";
    await tdb.insert(photos, { id: photo, galleryId: g.id, filename: "IMG_4107.jpg", contentType: "image/jpeg", size: 1000 });
    const raeActor = { id: rae, name: "Rae", role: "client" as const };
    const first: CommentEntry = {
      id: "c_rae",
      photoId: photo,
      authorId: rae,
      authorName: "Rae",
      text: "Warmer?",
      at,
      editedAt: null,
      resolved: false,
      replyTo: null,
    };
    const reply = { ...first, id: "c_reply", authorId: actor.id, authorName: "Sam", text: "Yes, for the album.", replyTo: "c_rae" };
    const origins = { dashboard: "http://app.localhost:8787", site };
    const entry = (e: { intentId: string; actor: Actor; comment: CommentEntry }): MirrorEntry => ({
      ...e,
      type: "comment.add",
      at,
      listId: null,
      photoId: photo,
      commentId: e.comment.id,
    });
    await mirrorEntries(tdb, g.id, [entry({ intentId: "i_c1", actor: raeActor, comment: first })], origins);
    await mirrorEntries(tdb, g.id, [entry({ intentId: "i_c2", actor, comment: reply })], origins);
    const answered = await until(
      "the reply mail",
      async () => (await sentTo("rae@closing.test")).filter((m) => m.subject.includes("replied")),
      (m) => m.length === 1,
    );
    expect(answered[0]!.subject).toBe("Sam replied to your comment on IMG_4107.jpg");
    expect(answered[0]!.text).toContain("“Yes, for the album.”");
    expect(answered[0]!.text).toContain(`http://${host}/g/${g.id}#photo=${photo}`);
    // Rae's own reply is named in the studio's digest, not mailed to anyone at once.
    await mirrorEntries(tdb, g.id, [entry({ intentId: "i_c3", actor: raeActor, comment: { ...first, id: "c_rae2", replyTo: "c_rae" } })], origins);
    const alerts = await tdb.select(notifications);
    expect(alerts.find((n) => n.id.startsWith("replies:"))?.body).toBe("Rae replied on IMG_4107.jpg.");
  });
});
