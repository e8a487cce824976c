// The studio sees what its storage holds against its plan, and is told what to do when it is
// nearly full, before uploads are refused.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StorageView } from "../../worker/contract/photos";
import { PLAN_QUOTA_BYTES } from "../../worker/domain/photos/limits";
import { fixture, newGallery, settled, uploadOriginal } from "../helpers/galleries";
import { call, json, signUp } from "../helpers/http";

describe("storage", () => {
  it("counts originals, masters and previews against the plan, and says when it is nearly full", async () => {
    const owner = await signUp("storage-meter");
    const read = () => call("GET", `/api/studios/${owner.studio.id}/storage`, { jar: owner.jar }).then((r) => json<StorageView>(r));
    expect(await read()).toEqual({ originals: 0, masters: 0, derivatives: 0, used: 0, quota: PLAN_QUOTA_BYTES.free, nearlyFull: false });
    const g = await newGallery(owner);
    const jpeg = fixture("camera.jpg");
    const id = await uploadOriginal(owner, g.id, "IMG_1.jpg", jpeg);
    expect((await settled(owner, g.id, id)).status).toBe("ready");
    const after = await read();
    expect(after.originals).toBe(jpeg.length);
    expect(after.derivatives).toBeGreaterThan(0);
    expect(after.used).toBeGreaterThanOrEqual(after.originals + after.masters + after.derivatives);
    // A quota this studio nearly fills.
    await env.DIRECTORY.prepare("UPDATE tenants SET storage_quota_bytes = ? WHERE id = ?")
      .bind(Math.ceil(after.used / 0.95), owner.studio.id)
      .run();
    expect(await read()).toMatchObject({ nearlyFull: true });
  });
});
