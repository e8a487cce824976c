// An order too big for one zip (a whole-gallery package of originals past ORDER_PART_FILES): its page
// offers the files in parts; asking counts one download and answers a link per part; each part
// streams whole (a file lost since is named in MISSING.txt) and can be fetched again without
// counting; a part link works only with its own order's link, and not once the link is closed.
import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ORDER_PART_FILES as P } from "../../worker/domain/store/purchased-files";
import { FILES_PER_PAGE } from "../../worker/pages/downloads";
import { mediaKeys, TenantMedia } from "../../worker/storage/tenant-media";
import { fixture, seedOriginals } from "../helpers/galleries";
import { call, freshIp, json, studioHost } from "../helpers/http";
import { zipNames } from "../helpers/zip";
import { buyer, client, openShop, rows, SHEET, type Shop, storePath } from "./helpers";

// Past a zip part and a page of the file list.
const N = Math.max(P, FILES_PER_PAGE) + 20;
const jpeg = fixture("camera.jpg");

async function paidWholeGallery(shop: Shop, photoIds: string[]): Promise<URL> {
  const sheet = {
    ...SHEET,
    name: "Whole gallery",
    items: [{ kind: "package", name: "Every original", variant: "original", packageCount: 500, unitAmount: 90000 }],
  };
  const made = await call("POST", `${storePath(shop.owner)}/price-sheets`, { jar: shop.owner.jar, body: sheet });
  expect(made.status, await made.clone().text()).toBe(201);
  const { priceSheet } = await json(made);
  const linked = await call("PATCH", `/api/studios/${shop.owner.studio.id}/galleries/${shop.galleryId}`, {
    jar: shop.owner.jar,
    body: { priceSheetId: priceSheet.id },
  });
  expect(linked.status).toBe(200);
  const maria = await client(shop);
  // A package holds at most 500 photos: the whole gallery is two.
  const lines = [photoIds.slice(0, 500), photoIds.slice(500)].map((ids) => ({ itemId: priceSheet.items[0].id, photoIds: ids }));
  const put = await maria.put({ lines });
  expect(put.status, await put.clone().text()).toBe(200);
  const placed = await json(await maria.checkout(buyer));
  const paid = await call("POST", `${storePath(shop.owner)}/orders/${placed.order.id}/mark-paid`, { jar: shop.owner.jar });
  expect(paid.status, await paid.clone().text()).toBe(200);
  const mail = await json(await call("GET", `${storePath(shop.owner)}/mail`, { jar: shop.owner.jar }));
  const ready = mail.mail.find((m: { kind: string }) => m.kind === "downloads_ready");
  return new URL(/https?:\/\/\S+\/o\/\S+/.exec(ready.text)![0]);
}

describe("an order too big for one zip", () => {
  let shop: Shop;
  let made: { id: string; filename: string }[];
  let link: URL;
  const get = (path: string) => call("GET", path, { host: studioHost(shop.owner.studio.slug) });
  const post = (path: string) => call("POST", path, { host: studioHost(shop.owner.studio.slug), headers: { accept: "text/html" } });
  const used = async () =>
    (await rows<{ downloads: number }>(shop, "SELECT downloads FROM download_grants WHERE tenant_id = ?", shop.owner.studio.id))[0]!.downloads;
  const partLinks = (html: string) => [...html.matchAll(/href="([^"]+\/zip\/[^"]+\/\d+)"/g)].map((m) => m[1]!);

  beforeAll(async () => {
    shop = await openShop("order-zip-parts", 0);
    made = await seedOriginals(shop.owner.studio.id, shop.galleryId, N, "ph_all", jpeg);
    link = await paidWholeGallery(
      shop,
      made.map((p) => p.id),
    );
  });

  it("offers the files in parts; asking counts one download, and each part streams whole and comes again for free", async () => {
    const page = await (await get(link.pathname)).text();
    expect(page).toContain(`Download all (${N} files, in 2 zips)`);
    expect(page).toContain(`action="${link.pathname}/zip"`);
    // The one-zip link refuses rather than start an archive a Worker cannot finish.
    const whole = await get(`${link.pathname}/all.zip`);
    expect(whole.status).toBe(409);
    expect((await json(whole)).error.message).toMatch(/too big for one zip; download it in parts/);
    expect(await used()).toBe(0);

    const parts = await post(`${link.pathname}/zip`);
    expect(parts.status, await parts.clone().text()).toBe(200);
    const html = await parts.text();
    expect(html).toContain(`${N} files`);
    expect(html).toContain("Order 1001 (part 1 of 2).zip");
    expect(html).toContain(`(${P} files,`);
    expect(html).toContain(`(${N - P} files,`);
    expect(html).toMatch(/link has 9 left/);
    expect(await used()).toBe(1);
    const [first, second] = partLinks(html);
    expect(first && second).toBeTruthy();

    // A photo the studio deleted since: the part is still a whole archive, and says what is missing.
    await new TenantMedia(env.MEDIA, shop.owner.studio.id).delete([mediaKeys.original(shop.galleryId, made[N - 1]!.id)]);
    const last = await get(second!);
    expect(last.status).toBe(200);
    expect(last.headers.get("content-disposition")).toBe('attachment; filename="Order 1001 (part 2 of 2).zip"');
    expect(zipNames(new Uint8Array(await last.arrayBuffer()))).toEqual([...made.slice(P, N - 1).map((p) => p.filename), "MISSING.txt"]);
    for (let round = 0; round < 2; round++) {
      const one = await get(first!);
      expect(one.status).toBe(200);
      const names = zipNames(new Uint8Array(await one.arrayBuffer()));
      expect(names).toEqual(made.slice(0, P).map((p) => p.filename));
    }
    expect(await used()).toBe(1);
    // Fetching again is free but not endless: per network, a leaked part link runs out.
    const ip = freshIp();
    let limited: Response | undefined;
    for (let i = 0; i < 45 && !limited; i++) {
      const r = await call("GET", second!, { host: studioHost(shop.owner.studio.slug), ip });
      await r.body?.cancel();
      if (r.status === 429) limited = r;
      else expect(r.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await used()).toBe(1);
    // Past the last part, a clear answer.
    const beyond = await get(first!.replace(/\/1$/, "/3"));
    expect(beyond.status).toBe(404);
    expect((await json(beyond)).error.message).toBe("This order has 2 parts, not 3.");
  });

  it("lists the files a page at a time, every file once", async () => {
    const listed = async (query: string) => {
      const html = await (await get(`${link.pathname}${query}`)).text();
      return { html, names: [...html.matchAll(/<a href="[^"]+\/f\/(\d+)">([^<]+)<\/a>/g)].map((m) => [Number(m[1]), m[2]]) };
    };
    const first = await listed("");
    expect(first.names.length).toBe(FILES_PER_PAGE);
    expect(first.html).toContain(`Files 1–${FILES_PER_PAGE} of ${N}`);
    const next = /href="([^"]+\?from=\d+)"/.exec(first.html)![1]!;
    const second = await listed(next.slice(link.pathname.length));
    expect(second.html).toContain(`<ol class="files" start="${FILES_PER_PAGE + 1}">`);
    expect([...first.names, ...second.names]).toEqual(made.map((p, i) => [i, p.filename]));
    const bad = await get(`${link.pathname}?from=-1`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/from/);
  });

  it("a part keeps its files when the gallery changes; a part link needs its own order's link and a genuine key, and closes with the link", async () => {
    const html = await (await post(`${link.pathname}/zip`)).text();
    const [first, second] = partLinks(html);
    // The studio deletes the first photo after the parts were planned: part 1 says so, part 2 is as it was.
    const removed = await call("DELETE", `/api/studios/${shop.owner.studio.id}/galleries/${shop.galleryId}/photos/${made[0]!.id}`, { jar: shop.owner.jar });
    expect(removed.status).toBe(204);
    const one = await get(first!);
    expect(zipNames(new Uint8Array(await one.arrayBuffer()))).toEqual([...made.slice(1, P).map((p) => p.filename), "MISSING.txt"]);
    const two = await get(second!);
    expect(zipNames(new Uint8Array(await two.arrayBuffer()))).toEqual([...made.slice(P, N - 1).map((p) => p.filename), "MISSING.txt"]);
    const key = first!.split("/")[4]!;
    const forged = await new SignJWT({ tid: shop.owner.studio.id })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("loupe")
      .setAudience("loupe:order-zip")
      .setSubject(`dg_someone-else`)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    const wrong = await get(`${link.pathname}/zip/${forged}/1`);
    expect(wrong.status).toBe(404);
    expect((await json(wrong)).error.message).toMatch(/part link is invalid/);
    // Another studio's host does not serve it.
    const other = await openShop("order-zip-other", 0);
    expect((await call("GET", first!, { host: studioHost(other.owner.studio.slug) })).status).toBe(404);
    // Spent downloads close the parts page, not parts already asked for; an expired link closes both.
    await rows(shop, "UPDATE download_grants SET downloads = max_downloads WHERE tenant_id = ?", shop.owner.studio.id);
    const spent = await post(`${link.pathname}/zip`);
    expect(spent.status).toBe(403);
    expect((await get(first!)).status).toBe(200);
    await rows(shop, "UPDATE download_grants SET expires_at = ? WHERE tenant_id = ?", Date.now() - 1000, shop.owner.studio.id);
    const closed = await get(`${link.pathname}/zip/${key}/1`);
    expect(closed.status).toBe(403);
    expect((await json(closed)).error.code).toBe("download_expired");
  });
});
