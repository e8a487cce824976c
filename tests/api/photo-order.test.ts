// A 5,000-photo wedding's order: sorting by filename (as a person reads numbers) or by capture
// time rewrites every position in one statement; a reorder puts the named photos first and keeps
// the rest in their order; a drag moves one photo between two others. The dashboard's list filters
// by set, by "still on its way", and answers the tiles on screen by id; the room reads every id in pages.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { PhotoExif, PhotoView } from "../../worker/contract/photos";
import { tenantDbById } from "../../worker/db/shards";
import type { TenantDb } from "../../worker/db/tenant-db";
import { photos } from "../../worker/db/tenant-schema";
import { roomPhotoIds } from "../../worker/rooms/gallery-room";
import { galleriesPath, newGallery } from "../helpers/galleries";
import { call, json, signUp } from "../helpers/http";

const N = 5000;
const NO_EXIF: PhotoExif = { camera: null, lens: null, focalLength: null, aperture: null, shutter: null, iso: null, takenAt: null, orientation: 1 };
let owner: Awaited<ReturnType<typeof signUp>>;
let tdb: TenantDb;
let galleryId: string;
let setId: string;
const path = (rest = "") => `${galleriesPath(owner)}/${galleryId}/photos${rest}`;

async function order(): Promise<string[]> {
  const rows = await tdb.selectFields({ filename: photos.filename, position: photos.position, id: photos.id }, photos);
  return rows.sort((a, b) => a.position - b.position || a.id.localeCompare(b.id)).map((r) => r.filename);
}

describe("photo order at 5,000 photos", () => {
  beforeAll(async () => {
    owner = await signUp("photo-order");
    const g = await newGallery(owner, { sets: ["Ceremony"] });
    galleryId = g.id;
    setId = g.sets[0]!.id;
    tdb = (await tenantDbById(env, owner.studio.id))!;
    // Arrived in a shuffled order, as parallel uploads do; one in ten has no capture time.
    const rows = Array.from({ length: N }, (_, i) => {
      const n = (i * 7919) % N;
      return {
        id: `ph_${String(n).padStart(5, "0")}`,
        galleryId,
        setId: n % 5 === 0 ? setId : null,
        filename: `IMG_${n + 1}.jpg`,
        contentType: "image/jpeg",
        size: 1000,
        status: n % 50 === 0 ? ("processing" as const) : ("ready" as const),
        previewVersion: 1,
        position: i + 1,
        exif: n % 10 === 3 ? null : { ...NO_EXIF, takenAt: new Date(Date.UTC(2026, 5, 20, 12, 0, 0) + (N - n) * 1000).toISOString().slice(0, 19) },
      };
    });
    const inserts = tdb.insertRows(photos, rows);
    await tdb.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  }, 120_000);

  it("sorts by filename as a person reads it, and by capture time with the undated last", async () => {
    const byName = await call("POST", path("/sort"), { jar: owner.jar, body: { by: "filename" } });
    expect(byName.status, await byName.clone().text()).toBe(204);
    expect(await order()).toEqual(Array.from({ length: N }, (_, i) => `IMG_${i + 1}.jpg`));

    expect((await call("POST", path("/sort"), { jar: owner.jar, body: { by: "taken" } })).status).toBe(204);
    const taken = await order();
    const dated = Array.from({ length: N }, (_, n) => n)
      .filter((n) => n % 10 !== 3)
      .reverse()
      .map((n) => `IMG_${n + 1}.jpg`);
    expect(taken.slice(0, dated.length)).toEqual(dated);
    expect(taken.slice(dated.length)).toEqual(
      Array.from({ length: N }, (_, n) => n)
        .filter((n) => n % 10 === 3)
        .map((n) => `IMG_${n + 1}.jpg`),
    );

    const bad = await call("POST", path("/sort"), { jar: owner.jar, body: { by: "colour" } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/by: must be filename or taken/);
  });

  it("puts the named photos first and keeps the rest in their order, then moves one by dragging", async () => {
    await call("POST", path("/sort"), { jar: owner.jar, body: { by: "filename" } });
    const first = ["ph_04999", "ph_00000", "ph_02500"];
    expect((await call("POST", path("/order"), { jar: owner.jar, body: { photoIds: first } })).status).toBe(204);
    const after = await order();
    expect(after.slice(0, 3)).toEqual(["IMG_5000.jpg", "IMG_1.jpg", "IMG_2501.jpg"]);
    expect(after.slice(3)).toEqual(
      Array.from({ length: N }, (_, i) => `IMG_${i + 1}.jpg`).filter((f) => !["IMG_5000.jpg", "IMG_1.jpg", "IMG_2501.jpg"].includes(f)),
    );

    // Dragged between the 2nd and 3rd: only that photo changes, to a position between theirs.
    const list = (await json(await call("GET", path("?limit=3"), { jar: owner.jar }))).photos as PhotoView[];
    const moved = await call("PATCH", path("/ph_00009"), { jar: owner.jar, body: { position: (list[1]!.position + list[2]!.position) / 2 } });
    expect(moved.status).toBe(200);
    expect((await order()).slice(0, 4)).toEqual(["IMG_5000.jpg", "IMG_1.jpg", "IMG_10.jpg", "IMG_2501.jpg"]);
  });

  it("lists one set, the photos still on their way, and the tiles on screen by id", async () => {
    const set = (await json(await call("GET", path(`?set=${setId}&limit=200`), { jar: owner.jar }))).photos as PhotoView[];
    expect(set).toHaveLength(200);
    expect(set.every((p) => p.setId === setId)).toBe(true);
    const busy = (await json(await call("GET", path("?busy=1&limit=200"), { jar: owner.jar }))).photos as PhotoView[];
    expect(busy).toHaveLength(N / 50);
    expect(busy.every((p) => p.status === "processing")).toBe(true);
    const some = (await json(await call("GET", path("?ids=ph_00001,ph_04000,ph_nope"), { jar: owner.jar }))).photos as PhotoView[];
    expect(some.map((p) => p.id).sort()).toEqual(["ph_00001", "ph_04000"]);
    const view = (await json(await call("GET", `${galleriesPath(owner)}/${galleryId}`, { jar: owner.jar }))).gallery;
    expect(view.photos.bySet).toEqual({ [setId]: N / 5, none: N - N / 5 });
  });

  it("lets the gallery's room learn every photo id, a page at a time, each once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await roomPhotoIds(tdb, galleryId, cursor);
      seen.push(...page.ids);
      cursor = page.next;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(N / 1000);
    expect(new Set(seen).size).toBe(N);
  });
});
