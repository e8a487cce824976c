// Defaults for new galleries: the studio sets its usual watermark, downloads, price sheet, expiry
// and selection rules once; each new gallery starts with them, and the new-gallery form still wins.
import { describe, expect, it } from "vitest";
import type { GalleryDefaults, GalleryDefaultsResponse } from "../../worker/contract/galleries";
import { newGallery } from "../helpers/galleries";
import { call, expectError, joinAsStaff, json, signUp } from "../helpers/http";
import { SHEET, storePath } from "../store/helpers";

const DAY = 24 * 60 * 60 * 1000;

describe("defaults for new galleries", () => {
  it("start every new gallery with the studio's watermark, downloads, sheet, expiry and selection rules", async () => {
    const o = await signUp("defaults-studio", { name: "Harbour & Pine" });
    const path = `/api/studios/${o.studio.id}/gallery-defaults`;
    const fresh = await json<GalleryDefaultsResponse>(await call("GET", path, { jar: o.jar }));
    expect(fresh.defaults).toEqual({
      visibility: "unlisted",
      expiresInDays: null,
      downloadMode: "off",
      watermark: { enabled: true, text: "Harbour & Pine", position: "center", opacity: 0.35, scale: 0.4 },
      selection: { listsAllowed: true, minPerList: null, maxPerList: null },
      priceSheetId: null,
    } satisfies GalleryDefaults);

    const sheet = (await json(await call("POST", `${storePath(o)}/price-sheets`, { jar: o.jar, body: SHEET }))).priceSheet;
    const set = await call("PUT", path, {
      jar: o.jar,
      body: {
        visibility: "public",
        expiresInDays: 30,
        downloadMode: "web",
        watermark: { text: "© Harbour & Pine", position: "bottom-right", opacity: 0.5 },
        selection: { maxPerList: 40 },
        priceSheetId: sheet.id,
      },
    });
    expect(set.status, await set.clone().text()).toBe(200);
    // A later change to one part keeps the rest.
    const later = await json<GalleryDefaultsResponse>(await call("PUT", path, { jar: o.jar, body: { watermark: { scale: 0.25 } } }));
    expect(later.defaults.watermark).toEqual({ enabled: true, text: "© Harbour & Pine", position: "bottom-right", opacity: 0.5, scale: 0.25 });

    const before = Date.now();
    const g = await newGallery(o, { title: "Jones Wedding" });
    expect(g).toMatchObject({
      visibility: "public",
      downloads: { mode: "web" },
      watermark: { enabled: true, kind: "text", text: "© Harbour & Pine", position: "bottom-right", opacity: 0.5, scale: 0.25 },
      selection: { listsAllowed: true, minPerList: null, maxPerList: 40 },
      priceSheetId: sheet.id,
    });
    expect(g.expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(g.expiresAt).toBeLessThan(Date.now() + 30 * DAY + 1000);

    // What the form says wins.
    const own = await newGallery(o, {
      title: "Private shoot",
      visibility: "unlisted",
      expiresAt: null,
      downloads: { mode: "off" },
      watermark: { text: "Proof" },
    });
    expect(own).toMatchObject({ visibility: "unlisted", expiresAt: null, downloads: { mode: "off" }, watermark: { text: "Proof", position: "bottom-right" } });
  });

  it("refuses bad defaults by field, another studio's sheet, and staff, and changes nothing", async () => {
    const o = await signUp("defaults-bad");
    const other = await signUp("defaults-other");
    const otherSheet = (await json(await call("POST", `${storePath(other)}/price-sheets`, { jar: other.jar, body: SHEET }))).priceSheet;
    const path = `/api/studios/${o.studio.id}/gallery-defaults`;
    const before = await json<GalleryDefaultsResponse>(await call("GET", path, { jar: o.jar }));
    const refusals: [unknown, RegExp][] = [
      [{ expiresInDays: 0 }, /expiresInDays/],
      [{ expiresInDays: 2.5 }, /expiresInDays/],
      [{ visibility: "password" }, /visibility/],
      [{ downloadMode: "everything" }, /downloadMode/],
      [{ watermark: { opacity: 3 } }, /watermark\.opacity/],
      [{ watermark: { kind: "logo" } }, /watermark/],
      [{ selection: { dueAt: Date.now() } }, /selection/],
      [{ selection: { minPerList: 50, maxPerList: 10 } }, /minPerList/],
      [{ priceSheetId: otherSheet.id }, /priceSheetId/],
      [{ colour: "red" }, /colour/],
    ];
    for (const [body, names] of refusals) await expectError(await call("PUT", path, { jar: o.jar, body }), 400, "invalid_input", names);

    const staff = await joinAsStaff(o, "staff@defaults-bad.test", "Kai");
    expect((await call("GET", path, { jar: staff })).status).toBe(200);
    await expectError(await call("PUT", path, { jar: staff, body: { downloadMode: "original" } }), 403, "forbidden");

    expect(await json(await call("GET", path, { jar: o.jar }))).toEqual(before);
  });
});
