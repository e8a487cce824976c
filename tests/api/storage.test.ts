// The studio sees what its storage holds against its plan, and is told what to do when it is
// nearly full, before uploads are refused.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StorageView } from "../../worker/contract/photos";
import { DERIVATIVE_RESERVE, PLAN_QUOTA_BYTES } from "../../worker/domain/photos/limits";
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

  it("keeps the studio's usage equal to the sum over its photos through uploads, processing and deletions", async () => {
    const owner = await signUp("storage-kept");
    const other = await signUp("storage-kept-other");
    const d1 = (env as unknown as Record<string, D1Database>)[`TENANT_DB_${owner.studio.shard}`]!;
    /** The row the quota reads, and the sums quota.ts once scanned every photo for. */
    const compare = async () => {
      const kept = await d1.prepare("SELECT used, originals, masters, derivatives FROM storage_usage WHERE tenant_id = ?").bind(owner.studio.id).first();
      const summed = await d1
        .prepare(
          "SELECT coalesce(sum(size + max(master_bytes + derivative_bytes, ?)), 0) AS used, coalesce(sum(size), 0) AS originals, coalesce(sum(master_bytes), 0) AS masters, coalesce(sum(derivative_bytes), 0) AS derivatives FROM photos WHERE tenant_id = ?",
        )
        .bind(DERIVATIVE_RESERVE, owner.studio.id)
        .first();
      expect(kept ?? { used: 0, originals: 0, masters: 0, derivatives: 0 }).toEqual(summed);
      return summed as { used: number };
    };
    const read = () => call("GET", `/api/studios/${owner.studio.id}/storage`, { jar: owner.jar }).then((r) => json<StorageView>(r));
    const jpeg = fixture("camera.jpg");
    const g = await newGallery(owner);
    const kept = await newGallery(owner);
    const ids = [];
    for (const name of ["A.jpg", "B.jpg"]) ids.push(await uploadOriginal(owner, g.id, name, jpeg));
    const stays = await uploadOriginal(owner, kept.id, "C.jpg", jpeg);
    for (const [gallery, id] of [
      [g.id, ids[0]!],
      [g.id, ids[1]!],
      [kept.id, stays],
    ] as const)
      expect((await settled(owner, gallery, id)).status).toBe("ready");
    // Another studio's photos are its own.
    const theirs = await newGallery(other);
    await uploadOriginal(other, theirs.id, "D.jpg", jpeg);
    const full = await compare();
    expect((await read()).used).toBe(full.used);

    expect((await call("DELETE", `/api/studios/${owner.studio.id}/galleries/${g.id}/photos/${ids[0]}`, { jar: owner.jar })).status).toBe(204);
    await compare();
    expect((await call("DELETE", `/api/studios/${owner.studio.id}/galleries/${g.id}`, { jar: owner.jar })).status).toBe(204);
    const left = await compare();
    expect(left.used).toBeLessThan(full.used);
    expect(await read()).toMatchObject({ used: left.used, originals: jpeg.length });
  });
});
