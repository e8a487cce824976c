// The client's gallery page at volume: the page ships its sets with their counts and the first
// screenful only; the rest of each set comes a page at a time from /g/:id/photos, in the order
// the page shows, and favourites come by id. What a client cannot see (a photo not yet rendered,
// a private gallery without its password) stays out of every answer.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { GalleryPageData, GalleryPagePhoto } from "../../worker/contract/galleries";
import { tenantDbById } from "../../worker/db/shards";
import { photos } from "../../worker/db/tenant-schema";
import { FIRST_PAGE, LISTED_ON_HOME } from "../../worker/domain/galleries/client-view";
import { createGallery } from "../../worker/domain/galleries/galleries";
import { newGallery } from "../helpers/galleries";
import { call, json, signUp, studioHost } from "../helpers/http";

const pad = (i: number) => String(i).padStart(4, "0");
const CEREMONY = 130;
const RECEPTION = 90;
const LOOSE = 15;

let host: string;
let galleryId: string;
let sets: { id: string; name: string }[];

function pageData(html: string): GalleryPageData {
  const m = /<script type="application\/json" id="gallery-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]!);
}

async function walk(set: string, limit = 40) {
  const seen: GalleryPagePhoto[] = [];
  let cursor: string | null = null;
  do {
    const res = await call("GET", `/g/${galleryId}/photos?set=${set}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { host });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json(res);
    seen.push(...body.photos);
    cursor = body.next;
  } while (cursor);
  return seen.map((p) => p.filename);
}

describe("the client gallery, a page at a time", () => {
  beforeAll(async () => {
    const owner = await signUp("client-paging");
    host = studioHost(owner.studio.slug);
    const g = await newGallery(owner, { visibility: "public", sets: ["Ceremony", "Reception"] });
    galleryId = g.id;
    sets = g.sets;
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const row = (i: number, setId: string | null, previewVersion = 1) => ({
      id: `ph_${pad(i)}`,
      galleryId,
      setId,
      filename: `IMG_${pad(i)}.jpg`,
      contentType: "image/jpeg",
      size: 1000,
      width: 1200,
      height: 800,
      status: "ready" as const,
      previewVersion,
      position: i,
    });
    const rows = [
      ...Array.from({ length: CEREMONY }, (_, i) => row(i, sets[0]!.id)),
      ...Array.from({ length: RECEPTION }, (_, i) => row(1000 + i, sets[1]!.id)),
      ...Array.from({ length: LOOSE }, (_, i) => row(2000 + i, null)),
      // Still processing: no preview yet, so no client sees it anywhere.
      row(3000, sets[0]!.id, 0),
    ];
    const inserts = tdb.insertRows(photos, rows);
    await tdb.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  }, 60_000);

  it("ships the sets with their counts and only the first screenful", async () => {
    const res = await call("GET", `/g/${galleryId}`, { host });
    expect(res.status).toBe(200);
    const html = await res.text();
    const data = pageData(html);
    expect(data.sets.map((s) => [s.name, s.count])).toEqual([
      ["Ceremony", CEREMONY],
      ["Reception", RECEPTION],
      ["More", LOOSE],
    ]);
    expect(data.total).toBe(CEREMONY + RECEPTION + LOOSE);
    expect(data.first.setId).toBe(sets[0]!.id);
    expect(data.first.photos).toHaveLength(FIRST_PAGE);
    expect(data.first.next).toEqual(expect.any(String));
    expect(html.match(/data-photo-id=/g)).toHaveLength(FIRST_PAGE);
    expect(html).not.toContain("ph_3000");
  });

  it("pages every set to its end in page order, starting where the page left off", async () => {
    const data = pageData(await (await call("GET", `/g/${galleryId}`, { host })).text());
    const rest = await call("GET", `/g/${galleryId}/photos?set=${sets[0]!.id}&cursor=${encodeURIComponent(data.first.next!)}&limit=200`, { host });
    const after = (await json(rest)).photos.map((p: GalleryPagePhoto) => p.filename);
    expect([...data.first.photos.map((p) => p.filename), ...after]).toEqual(Array.from({ length: CEREMONY }, (_, i) => `IMG_${pad(i)}.jpg`));
    expect(await walk(sets[1]!.id)).toEqual(Array.from({ length: RECEPTION }, (_, i) => `IMG_${pad(1000 + i)}.jpg`));
    expect(await walk("none")).toEqual(Array.from({ length: LOOSE }, (_, i) => `IMG_${pad(2000 + i)}.jpg`));
  });

  it("answers favourites by id, in the order asked, without what a client cannot see", async () => {
    const ids = ["ph_2003", "ph_0129", "ph_3000", "ph_nope", "ph_1000"];
    const res = await json(await call("GET", `/g/${galleryId}/photos?ids=${ids.join(",")}`, { host }));
    expect(res.photos.map((p: GalleryPagePhoto) => p.id)).toEqual(["ph_2003", "ph_0129", "ph_1000"]);
    const tooMany = await call("GET", `/g/${galleryId}/photos?ids=${Array.from({ length: 101 }, (_, i) => `p${i}`).join(",")}`, { host });
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).error.message).toMatch(/ids: at most 100/);
  });

  it("refuses a set of another gallery and a cursor it did not give, by name", async () => {
    const other = await call("GET", `/g/${galleryId}/photos?set=set_elsewhere`, { host });
    expect(other.status).toBe(400);
    expect((await json(other)).error.message).toMatch(/^set: /);
    const bad = await call("GET", `/g/${galleryId}/photos?set=none&cursor=garbage`, { host });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/^cursor: /);
  });
});

describe("the studio's home page at volume", () => {
  it("lists its public galleries a page at a time, newest first, with a link to the next", async () => {
    const owner = await signUp("home-volume");
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const host = studioHost(owner.studio.slug);
    // 60 public galleries with private ones between them, which the page never names.
    for (let i = 0; i < 60; i++) {
      await createGallery(tdb, env.PASSWORD_PEPPER, { title: `Public ${pad(i)}`, visibility: "public" });
      if (i % 3 === 0) await createGallery(tdb, env.PASSWORD_PEPPER, { title: `Private ${pad(i)}` });
    }
    const titles = (html: string) => [...html.matchAll(/<span class="card-title">([^<]+)<\/span>/g)].map((m) => m[1]);
    const first = await (await call("GET", "/?utm_source=newsletter", { host, headers: { accept: "text/html" } })).text();
    expect(titles(first)).toEqual(Array.from({ length: LISTED_ON_HOME }, (_, i) => `Public ${pad(59 - i)}`));
    const more = /<a href="(\/\?more=[^"#]+)#galleries">More galleries<\/a>/.exec(first)?.[1];
    expect(more, "a link to the next galleries").toBeTruthy();
    const second = await (await call("GET", more!.replaceAll("&amp;", "&"), { host, headers: { accept: "text/html" } })).text();
    expect(titles(second)).toEqual(Array.from({ length: 60 - LISTED_ON_HOME }, (_, i) => `Public ${pad(59 - LISTED_ON_HOME - i)}`));
    expect(second).not.toContain("More galleries");
    const bad = await call("GET", "/?more=garbage", { host, headers: { accept: "text/html" } });
    expect(bad.status).toBe(400);
  });
});

describe("camera details", () => {
  it("come with each photo where the studio shows them, and not at all once it hides them", async () => {
    const owner = await signUp("exif-studio");
    const host = studioHost(owner.studio.slug);
    const g = await newGallery(owner, { visibility: "unlisted" });
    const tdb = (await tenantDbById(env, owner.studio.id))!;
    const exif = {
      camera: "Canon EOS R5",
      lens: "RF50mm F1.2 L USM",
      focalLength: 50,
      aperture: 1.8,
      shutter: "1/250",
      iso: 400,
      takenAt: "2026-06-14T15:02:11",
      orientation: 1,
    };
    const row = { galleryId: g.id, contentType: "image/jpeg", size: 1000, status: "ready" as const, previewVersion: 1 };
    await tdb.insert(photos, { ...row, id: "ph_exif", filename: "IMG_0001.jpg", exif });
    await tdb.insert(photos, { ...row, id: "ph_none", filename: "IMG_0002.jpg", position: 1 });
    const read = async () => (await json(await call("GET", `/g/${g.id}/photos?ids=ph_exif,ph_none`, { host }))).photos as GalleryPagePhoto[];
    const { orientation: _, ...shown } = exif;
    expect((await read()).map((p) => p.exif ?? null)).toEqual([shown, null]);
    const hide = await call("PATCH", `/api/studios/${owner.studio.id}/galleries/${g.id}`, { jar: owner.jar, body: { showExif: false } });
    expect(hide.status).toBe(200);
    expect((await json(hide)).gallery.showExif).toBe(false);
    expect((await read()).map((p) => p.exif ?? null)).toEqual([null, null]);
    // Nor in the page itself.
    expect(await (await call("GET", `/g/${g.id}`, { host })).text()).not.toContain("Canon EOS R5");
  });
});
