// Finding photos by the file numbers a client quotes: "4107, 4109" shows exactly those photos,
// whatever the camera's prefix and leading zeros, across every set and a page at a time.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { ClientPhotosResponse } from "../../worker/contract/galleries";
import { tenantDbById } from "../../worker/db/shards";
import { photos } from "../../worker/db/tenant-schema";
import { createGallery } from "../../worker/domain/galleries/galleries";
import { call, expectError, json, signUp, studioHost } from "../helpers/http";

let host: string;
let galleryId: string;
let privateId: string;

const find = (q: string, extra = "") => call("GET", `/g/${galleryId}/photos?q=${encodeURIComponent(q)}${extra}`, { host });
const names = (r: ClientPhotosResponse) => r.photos.map((p) => p.filename);

beforeAll(async () => {
  const owner = await signUp("find-photos");
  host = studioHost("find-photos");
  const tdb = (await tenantDbById(env, owner.studio.id))!;
  galleryId = (await createGallery(tdb, env.PASSWORD_PEPPER, { title: "Oak Wedding", visibility: "public", sets: ["Ceremony", "Party"] })).id;
  privateId = (await createGallery(tdb, env.PASSWORD_PEPPER, { title: "Private", visibility: "password", password: "secret-pw" })).id;
  // 260 frames of one camera across two sets, and look-alikes of other cameras and numbers.
  const frames = Array.from({ length: 260 }, (_, i) => `IMG_${4000 + i}.jpg`);
  const rows = [...frames, "IMG_14107.jpg", "DSC04109.NEF", "img_4107-edit.jpg", "IMG_4110.jpg"].map((filename, i) => ({
    id: `ph_find_${String(i).padStart(3, "0")}`,
    galleryId: filename === "IMG_4110.jpg" ? privateId : galleryId,
    filename,
    contentType: "image/jpeg",
    size: 1000,
    position: i,
    status: "ready" as const,
    // The last frame has not finished processing: clients do not see it yet.
    previewVersion: filename === "IMG_4259.jpg" ? 0 : 1,
  }));
  const inserts = tdb.insertRows(photos, rows);
  await tdb.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
});

describe("finding photos by file number", () => {
  it('"4107, 4109" shows exactly those photos, whatever the prefix or leading zeros', async () => {
    const res = await find("4107, 4109");
    expect(res.status).toBe(200);
    expect(names(await json<ClientPhotosResponse>(res))).toEqual(["IMG_4107.jpg", "IMG_4109.jpg", "DSC04109.NEF", "img_4107-edit.jpg"]);
    // A list pasted from a message, one number a line, and a name.
    expect(names(await json(await find("4001\n4002;IMG_4003")))).toEqual(["IMG_4001.jpg", "IMG_4002.jpg", "IMG_4003.jpg"]);
    // A photo still processing, and one of another gallery, are not found.
    expect(names(await json(await find("4259 4110")))).toEqual([]);
  });

  it("pages through many matches, each once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ClientPhotosResponse = await json(await find("IMG_40", `&limit=40${cursor ? `&cursor=${cursor}` : ""}`));
      expect(page.photos.length).toBeLessThanOrEqual(40);
      seen.push(...names(page));
      cursor = page.next;
      pages++;
    } while (cursor && pages < 20);
    // IMG_4000 … IMG_4099, and IMG_14107? No: "IMG_40" is a name, IMG_14107 does not contain it.
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
    expect(pages).toBe(3);
  });

  it("refuses an empty or oversized search by name, and a gallery the visitor may not open", async () => {
    await expectError(await find(""), 400, "invalid_input", /q/);
    await expectError(await find(" , ;"), 400, "invalid_input", /q: name a file number/);
    const many = Array.from({ length: 51 }, (_, i) => 5000 + i).join(",");
    await expectError(await find(many), 400, "invalid_input", /q: at most 50/);
    await expectError(await call("GET", `/g/${privateId}/photos?q=4110`, { host }), 401, "password_required");
  });
});
