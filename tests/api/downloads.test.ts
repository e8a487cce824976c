// "Download all" as a client uses it: a set at web size, a favourites list at original size behind
// a PIN, each zip's entries named and sized as the single downloads are; refused without the right,
// past the gallery's limit, or for a guest where only invited clients may download; and the studio
// sees who downloaded what. A zip past PART_PHOTOS arrives in numbered parts that each stream whole.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { GalleryPageData } from "../../worker/contract/galleries";
import type { ZipPlan } from "../../worker/contract/visitors";
import { tenantDbById } from "../../worker/db/shards";
import { proofLists, proofPicks } from "../../worker/db/tenant-schema";
import { PART_PHOTOS, splitParts } from "../../worker/domain/downloads/zip-plan";
import { mediaKeys, TenantMedia } from "../../worker/storage/tenant-media";
import { fixture, galleriesPath, newGallery, seedOriginals, sendParts, settled, startUpload } from "../helpers/galleries";
import { CookieJar, call, expectError, freshIp, json, signUp, studioHost } from "../helpers/http";
import { zipEntries } from "../helpers/zip";

type Owner = Awaited<ReturnType<typeof signUp>>;

function pageData(html: string): GalleryPageData {
  return JSON.parse(/<script type="application\/json" id="gallery-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
}

let owner: Owner;
let host: string;
let galleryId: string;
let sets: { id: string; name: string }[];
let ids: string[];
const originalBytes = fixture("camera.jpg").length;

async function guest(name: string, body: Record<string, unknown> = {}) {
  const jar = new CookieJar();
  const ip = freshIp();
  const res = await call("POST", `/g/${galleryId}/access`, { host, jar, ip, body: { name, ...body } });
  expect(res.status, await res.clone().text()).toBe(200);
  const zip = (b: Record<string, unknown>) => call("POST", `/g/${galleryId}/zip`, { host, jar, ip, body: b });
  const page = async () => pageData(await (await call("GET", `/g/${galleryId}`, { host, jar })).text());
  return { jar, ip, zip, page };
}

const patch = (body: Record<string, unknown>) => call("PATCH", `${galleriesPath(owner)}/${galleryId}`, { jar: owner.jar, body });
const fetchPart = (url: string, jar?: CookieJar) => call("GET", url, { host, jar });

describe("download all", () => {
  beforeAll(async () => {
    owner = await signUp("zip-studio");
    host = studioHost(owner.studio.slug);
    const g = await newGallery(owner, {
      visibility: "public",
      title: "Ava & Sam",
      sets: ["Ceremony", "Reception"],
      downloads: { mode: "original", pin: "2468" },
    });
    galleryId = g.id;
    sets = g.sets;
    ids = [];
    for (const [i, set] of [sets[0], sets[0], sets[1], sets[1]].entries()) {
      const start = await startUpload(owner, galleryId, `IMG_${4100 + i}.jpg`, originalBytes, { setId: set!.id });
      expect(start.status, await start.clone().text()).toBe(201);
      const { photo, upload } = await json(start);
      for (const r of await sendParts(owner, galleryId, photo.id, fixture("camera.jpg"), upload.partSize)) expect(r.status).toBe(200);
      const done = await call("POST", `${galleriesPath(owner)}/${galleryId}/photos/${photo.id}/original/complete`, { jar: owner.jar });
      expect(done.status).toBe(200);
      ids.push(photo.id);
    }
    for (const id of ids) expect((await settled(owner, galleryId, id)).status).toBe("ready");
  });

  it("zips a set at web size and a favourites list at original size, named and sized as the single files", async () => {
    const mia = await guest("Mia Chen");
    const webSet = await mia.zip({ scope: "set", setId: sets[1]!.id, size: "web", pin: "2468" });
    expect(webSet.status, await webSet.clone().text()).toBe(201);
    const plan = await json<ZipPlan>(webSet);
    expect(plan).toMatchObject({ label: "Ava & Sam - Reception", photos: 2, skipped: 0 });
    expect(plan.parts.map((p) => [p.n, p.filename, p.photos])).toEqual([[1, "Ava & Sam - Reception.zip", 2]]);
    const zip = await fetchPart(plan.parts[0]!.url);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toContain(encodeURIComponent("Ava & Sam - Reception.zip"));
    // The fixture is small enough to be its own web-size master: the web file is the original.
    expect(zipEntries(new Uint8Array(await zip.arrayBuffer()))).toEqual([
      { name: "IMG_4102.jpg", size: originalBytes },
      { name: "IMG_4103.jpg", size: originalBytes },
    ]);

    // Her favourites, as the room mirrors them to D1.
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    await tdb.insert(proofLists, { galleryId, id: "list_mia", name: "Album picks", ownerId: "v_mia", ownerName: "Mia Chen", createdAt: Date.now() });
    for (const id of [ids[3]!, ids[0]!]) await tdb.insert(proofPicks, { galleryId, listId: "list_mia", photoId: id, pickedBy: "v_mia", pickedAt: Date.now() });
    await expectError(await mia.zip({ scope: "list", listId: "list_mia", size: "original" }), 403, "pin_required", /pin/);
    await expectError(await mia.zip({ scope: "list", listId: "list_mia", size: "original", pin: "1111" }), 403, "pin_required", /pin/);
    await expectError(await mia.zip({ scope: "list", listId: "nope", size: "original", pin: "2468" }), 400, "invalid_input", /listId/);
    await expectError(await mia.zip({ scope: "set", size: "original", pin: "2468" }), 400, "invalid_input", /setId/);
    const favs = await json<ZipPlan>(await mia.zip({ scope: "list", listId: "list_mia", size: "original", pin: "2468" }));
    const entries = zipEntries(new Uint8Array(await (await fetchPart(favs.parts[0]!.url)).arrayBuffer()));
    // In the gallery's order, not the order they were picked.
    expect(entries).toEqual([
      { name: "IMG_4100.jpg", size: originalBytes },
      { name: "IMG_4103.jpg", size: originalBytes },
    ]);

    // The whole gallery keeps its sets as folders.
    const all = await json<ZipPlan>(await mia.zip({ scope: "gallery", size: "original", pin: "2468" }));
    const names = zipEntries(new Uint8Array(await (await fetchPart(all.parts[0]!.url)).arrayBuffer())).map((e) => e.name);
    expect(names).toEqual(["Ceremony/IMG_4100.jpg", "Ceremony/IMG_4101.jpg", "Reception/IMG_4102.jpg", "Reception/IMG_4103.jpg"]);

    // The studio's history: who, what, when; and the visitor list counts her photos.
    const history = await json(await call("GET", `${galleriesPath(owner)}/${galleryId}/downloads`, { jar: owner.jar }));
    expect(
      history.downloads.map((d: { label: string; size: string; photos: number; visitor: { name: string } }) => [d.visitor.name, d.label, d.size, d.photos]),
    ).toEqual([
      ["Mia Chen", "Ava & Sam", "original", 4],
      ["Mia Chen", "Ava & Sam - Album picks", "original", 2],
      ["Mia Chen", "Ava & Sam - Reception", "web", 2],
    ]);
    const visitors = await json(await call("GET", `${galleriesPath(owner)}/${galleryId}/visitors`, { jar: owner.jar }));
    expect(visitors.visitors.find((v: { name: string }) => v.name === "Mia Chen")).toMatchObject({ downloads: 8, invited: false });
    // A forged or another studio's part link opens nothing.
    const other = await signUp("zip-other");
    expect((await call("GET", plan.parts[0]!.url, { host: studioHost(other.studio.slug) })).status).toBe(404);
    expect((await fetchPart(`${plan.parts[0]!.url.slice(0, -4)}AAAA`)).status).toBe(404);
  });

  it("refuses past the gallery's limit and counts nothing it refuses", async () => {
    expect((await patch({ downloads: { limit: 3 } })).status).toBe(200);
    const leo = await guest("Leo");
    expect((await leo.page()).myDownloads).toEqual({ allowed: true, why: null, left: 3 });
    await expectError(await leo.zip({ scope: "gallery", size: "web", pin: "2468" }), 403, "download_limit_reached", /4 photos, and you have 3/);
    expect((await json<ZipPlan>(await leo.zip({ scope: "set", setId: sets[0]!.id, size: "web", pin: "2468" }))).photos).toBe(2);
    await expectError(await leo.zip({ scope: "set", setId: sets[1]!.id, size: "web", pin: "2468" }), 403, "download_limit_reached", /2 photos, and you have 1/);
    const one = await call("POST", `/media/${galleryId}/${ids[2]}/download`, { host, jar: leo.jar, ip: leo.ip, body: { size: "web", pin: "2468" } });
    expect(one.status, await one.clone().text()).toBe(200);
    await expectError(
      await call("POST", `/media/${galleryId}/${ids[3]}/download`, { host, jar: leo.jar, ip: leo.ip, body: { size: "web", pin: "2468" } }),
      403,
      "download_limit_reached",
      /3 downloads per person/,
    );
    expect((await leo.page()).myDownloads).toMatchObject({ allowed: false, left: 0 });
    // Someone else's count is their own.
    expect((await leo.page()).myDownloads.left).toBe(0);
    expect((await (await guest("Zoe")).page()).myDownloads.left).toBe(3);
    expect((await patch({ downloads: { limit: null } })).status).toBe(200);
  });

  it("gives downloads to invited clients only when the studio says so", async () => {
    expect((await patch({ downloads: { who: "invited" } })).status).toBe(200);
    const stranger = await guest("Stranger");
    expect((await stranger.page()).myDownloads).toMatchObject({ allowed: false, why: expect.stringMatching(/invited/) });
    await expectError(await stranger.zip({ scope: "gallery", size: "web", pin: "2468" }), 403, "download_not_allowed", /invite link/);
    await expectError(
      await call("POST", `/media/${galleryId}/${ids[0]}/download`, { host, jar: stranger.jar, ip: stranger.ip, body: { size: "web", pin: "2468" } }),
      403,
      "download_not_allowed",
    );
    const invite = await json(
      await call("POST", `${galleriesPath(owner)}/${galleryId}/invites`, { jar: owner.jar, body: { name: "Ava Bride", email: "ava@zip.test" } }),
    );
    const ava = new CookieJar();
    expect((await call("GET", invite.invite.path, { host, jar: ava })).status).toBe(302);
    const page = pageData(await (await call("GET", `/g/${galleryId}`, { host, jar: ava })).text());
    expect(page.myDownloads).toMatchObject({ allowed: true });
    const plan = await call("POST", `/g/${galleryId}/zip`, { host, jar: ava, ip: freshIp(), body: { scope: "gallery", size: "web", pin: "2468" } });
    expect(plan.status, await plan.clone().text()).toBe(201);
    const visitors = (await json(await call("GET", `${galleriesPath(owner)}/${galleryId}/visitors`, { jar: owner.jar }))).visitors;
    expect(visitors.find((v: { email: string }) => v.email === "ava@zip.test")).toMatchObject({ name: "Ava Bride", invited: true, downloads: 4 });
    expect((await patch({ downloads: { who: "everyone" } })).status).toBe(200);
  });

  it("a gallery that asks for an email lets no one in without one, and lists who came", async () => {
    expect((await patch({ requireEmail: true })).status).toBe(200);
    const door = await call("GET", `/g/${galleryId}`, { host, headers: { accept: "text/html" } });
    expect(door.status).toBe(401);
    const html = await door.text();
    expect(html).toContain('name="email"');
    expect(html).not.toContain('name="password"');
    // Nothing of the gallery is served to someone who has not said who they are.
    expect((await call("GET", `/g/${galleryId}/photos?set=${sets[0]!.id}`, { host })).status).toBe(401);
    await expectError(await call("POST", `/g/${galleryId}/access`, { host, ip: freshIp(), body: { name: "Nia" } }), 401, "email_required", /email/);
    await expectError(
      await call("POST", `/g/${galleryId}/access`, { host, ip: freshIp(), body: { name: "Nia", email: "not-an-email" } }),
      400,
      "invalid_input",
      /email/,
    );
    const nia = await guest("Nia Park", { email: "nia@zip.test" });
    expect((await call("GET", `/g/${galleryId}`, { host, jar: nia.jar })).status).toBe(200);
    const visitors = (await json(await call("GET", `${galleriesPath(owner)}/${galleryId}/visitors`, { jar: owner.jar }))).visitors;
    const row = visitors.find((v: { email: string }) => v.email === "nia@zip.test");
    expect(row).toMatchObject({ name: "Nia Park", invited: false, downloads: 0, favourites: 0 });
    expect(row.firstSeen).toBeGreaterThan(Date.now() - 60_000);
    expect((await patch({ requireEmail: false })).status).toBe(200);
  });

  it("splits a zip past PART_PHOTOS into numbered parts that each stream whole", async () => {
    expect(
      splitParts(
        [
          { id: "a", bytes: 6 },
          { id: "b", bytes: 6 },
          { id: "c", bytes: 20 },
          { id: "d", bytes: 1 },
        ],
        10,
        5,
      ).map((p) => p.ids),
    ).toEqual([["a"], ["b"], ["c"], ["d"]]);
    const big = await newGallery(owner, { visibility: "public", title: "Big day", downloads: { mode: "original" } });
    const n = PART_PHOTOS + 5;
    const jpeg = fixture("camera.jpg");
    const media = new TenantMedia(env.MEDIA, owner.studio.id);
    const rows = await seedOriginals(owner.studio.id, big.id, n, "ph_big", jpeg);
    const jar = new CookieJar();
    await call("POST", `/g/${big.id}/access`, { host, jar, ip: freshIp(), body: { name: "Guest" } });
    const plan = await json<ZipPlan>(await call("POST", `/g/${big.id}/zip`, { host, jar, ip: freshIp(), body: { scope: "gallery", size: "original" } }));
    expect(plan.parts.map((p) => [p.n, p.filename, p.photos])).toEqual([
      [1, "Big day (part 1 of 2).zip", PART_PHOTOS],
      [2, "Big day (part 2 of 2).zip", 5],
    ]);
    // Part 2 holds the last five; a photo lost since the plan is named in MISSING.txt, and the archive stays whole.
    await media.delete([mediaKeys.original(big.id, rows[n - 1]!.id)]);
    const second = zipEntries(new Uint8Array(await (await fetchPart(plan.parts[1]!.url)).arrayBuffer()));
    expect(second.map((e) => e.name)).toEqual([...rows.slice(PART_PHOTOS, n - 1).map((r) => r.filename), "MISSING.txt"]);
    const first = zipEntries(new Uint8Array(await (await fetchPart(plan.parts[0]!.url)).arrayBuffer()));
    expect(first.length).toBe(PART_PHOTOS);
    expect(new Set(first.map((e) => e.name)).size).toBe(PART_PHOTOS);
    expect(first.every((e) => e.size === jpeg.length)).toBe(true);
  });
});
