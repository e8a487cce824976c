// The studio's logo and home-page cover: uploaded from the dashboard, re-encoded and resized by the
// IMAGES binding, shown on the website, the gallery pages and in the studio's mail; bad files are
// refused by name and change nothing.
import { describe, expect, it } from "vitest";
import type { ProfileResponse, StudioResponse } from "../../worker/contract/studios";
import { fixture, newGallery, rawPut } from "../helpers/galleries";
import { call, expectError, joinAsStaff, json, signUp, studioHost } from "../helpers/http";
import { pixelSize, syntheticJpeg } from "../helpers/jpeg";
import { sentTo, until } from "../helpers/mail";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

describe("the studio's logo and cover", () => {
  it("uploads a logo and a cover, shows them on the site, the gallery pages and the mail, and replaces and removes them", async () => {
    const o = await signUp("brand-studio", { name: "Lumen & Co" });
    const base = `/api/studios/${o.studio.id}/brand`;
    const host = studioHost("brand-studio");

    // A JPEG straight from a camera becomes a PNG logo, its metadata gone.
    const logoRes = await rawPut(o, `${base}/logo`, fixture("camera.jpg"), "image/jpeg");
    expect(logoRes.status, await logoRes.clone().text()).toBe(200);
    const { profile } = await json<ProfileResponse>(logoRes);
    expect(profile.logoFile).toMatch(/^logo-[a-z0-9]+\.png$/);
    const logo = await call("GET", `/brand/${profile.logoFile}`, { host });
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(logo.headers.get("cache-control")).toContain("immutable");
    const logoBytes = new Uint8Array(await logo.clone().arrayBuffer());
    expect([...logoBytes.subarray(0, 4)]).toEqual(PNG_MAGIC);
    expect(new TextDecoder("latin1").decode(logoBytes)).not.toContain("Canon");
    expect(await pixelSize(logo)).toEqual([640, 427]);
    // Mail clients embed it from anywhere; the dashboard reads it through its own host.
    expect(logo.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const inDashboard = await call("GET", `${base}/logo`, { jar: o.jar });
    expect(inDashboard.status).toBe(200);
    expect(inDashboard.headers.get("content-type")).toBe("image/png");
    await expectError(await call("GET", `${base}/cover`, { jar: o.jar }), 404, "not_found", /no cover/);

    // A 3000 px cover is stored at 2400.
    const cover = syntheticJpeg(3000, 2000, (x, y) => [(x / 12) & 255, (y / 8) & 255, 90]);
    const coverRes = await rawPut(o, `${base}/cover`, cover, "image/jpeg");
    expect(coverRes.status, await coverRes.clone().text()).toBe(200);
    const coverFile = (await json<ProfileResponse>(coverRes)).profile.coverFile!;
    expect(await pixelSize(await call("GET", `/brand/${coverFile}`, { host }))).toEqual([2400, 1600]);

    const home = await (await call("GET", "/", { host })).text();
    expect(home).toContain(`background-image:url(/brand/${coverFile})`);
    expect(home).toContain(`src="/brand/${profile.logoFile}"`);
    const g = await newGallery(o, { visibility: "public" });
    expect(await (await call("GET", `/g/${g.id}`, { host })).text()).toContain(
      `<img class="studio-logo" src="/brand/${profile.logoFile}" alt="Lumen &amp; Co"`,
    );

    // The studio's mail to a client carries the logo.
    await call("POST", `/api/studios/${o.studio.id}/galleries/${g.id}/invites`, { jar: o.jar, body: { name: "Ivy", email: "ivy@brand-studio.test" } });
    const [mail] = await until(
      "the invite mail",
      () => sentTo("ivy@brand-studio.test"),
      (m) => m.length === 1,
    );
    expect(mail!.html).toContain(`<img src="http://${host}/brand/${profile.logoFile}" alt="Lumen &amp; Co"`);

    // Another studio's host does not serve this studio's files.
    await signUp("brand-neighbour");
    expect((await call("GET", `/brand/${profile.logoFile}`, { host: studioHost("brand-neighbour") })).status).toBe(404);

    // A new logo takes a new name; the old file stays, for the mail that shows it.
    const again = await json<ProfileResponse>(await rawPut(o, `${base}/logo`, fixture("logo.png"), "image/png"));
    expect(again.profile.logoFile).not.toBe(profile.logoFile);
    expect((await call("GET", `/brand/${profile.logoFile}`, { host })).status).toBe(200);
    expect((await call("GET", `/brand/${again.profile.logoFile}`, { host })).status).toBe(200);
    expect((await call("GET", "/brand/logo-nosuchfile.png", { host })).status).toBe(404);

    const removed = await call("DELETE", `${base}/cover`, { jar: o.jar });
    expect((await json<ProfileResponse>(removed)).profile.coverFile).toBeNull();
    expect(await (await call("GET", "/", { host })).text()).not.toContain("background-image");
  });

  it("refuses files that are not images, too large, too small, or from staff, and changes nothing", async () => {
    const o = await signUp("brand-bad");
    const base = `/api/studios/${o.studio.id}/brand`;
    const before = (await json<StudioResponse>(await call("GET", `/api/studios/${o.studio.id}`, { jar: o.jar }))).studio.profile;
    await expectError(await rawPut(o, `${base}/logo`, new TextEncoder().encode("not an image, just words"), "image/png"), 415, "unsupported_file", /The logo/);
    await expectError(
      await rawPut(o, `${base}/cover`, fixture("camera.jpg"), "image/jpeg"),
      400,
      "invalid_input",
      /The cover photo is 640 px wide; it must be at least 1200/,
    );
    await expectError(await rawPut(o, `${base}/logo`, new Uint8Array(3 * 1024 * 1024).fill(0xff), "image/png"), 413, "file_too_large", /The logo is over 2 MB/);
    await expectError(await rawPut(o, `${base}/banner`, fixture("logo.png"), "image/png"), 400, "invalid_input", /kind/);
    await expectError(
      await call("PUT", `${base}/logo`, { jar: o.jar, body: { url: "https://example.com/logo.png" } }),
      415,
      "unsupported_media_type",
      /raw request body/,
    );
    await expectError(await call("GET", "/brand/..%2F..%2Fsecret.png", { host: studioHost("brand-bad") }), 404, "not_found");

    // Staff see the brand but do not change it.
    const staff = await joinAsStaff(o, "staff@brand-bad.test", "Sol");
    await expectError(
      await call("PUT", `${base}/logo`, { jar: staff, rawBody: fixture("logo.png"), headers: { "content-type": "image/png" } }),
      403,
      "forbidden",
    );
    await expectError(await call("DELETE", `${base}/logo`, { jar: staff }), 403, "forbidden");

    const after = (await json<StudioResponse>(await call("GET", `/api/studios/${o.studio.id}`, { jar: o.jar }))).studio.profile;
    expect(after).toEqual(before);
  });
});
