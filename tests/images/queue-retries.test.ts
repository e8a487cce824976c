// The consumer's retry policy, driven through the exported queue handler with real bindings:
// a transient failure is retried with backoff; the last attempt marks the photo failed with a
// reason; one bad message never decides the fate of the others in its batch.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { backoffSeconds, MAX_ATTEMPTS } from "../../worker/images/queue";
import worker from "../../worker/index";
import { fixture, listPhotos, newGallery, photosPath, rawPut, settled, startUpload } from "../helpers/galleries";
import { json, signUp } from "../helpers/http";

async function masterOnlyPhoto(slug: string) {
  const owner = await signUp(slug);
  const g = await newGallery(owner);
  const { photo } = await json(await startUpload(owner, g.id, "IMG_1.jpg", 50_000));
  await rawPut(owner, `${photosPath(owner, g.id)}/${photo.id}/master`, fixture("camera.jpg"), "image/jpeg");
  await settled(owner, g.id, photo.id);
  // The master disappears behind the pipeline's back: a failure that a retry might cure.
  await env.MEDIA.delete(`t/${owner.studio.id}/g/${g.id}/p/${photo.id}/master.jpg`);
  const shard = owner.studio.shard === 0 ? env.TENANT_DB_0 : env.TENANT_DB_1;
  await shard.prepare("UPDATE photos SET status = 'processing' WHERE id = ?").bind(photo.id).run();
  return { owner, g, photoId: photo.id as string };
}

function message(id: string, attempts: number, body: unknown) {
  return { id, timestamp: new Date(), attempts, body };
}

describe("queue retries", () => {
  it("retries a transient failure with growing backoff, then fails the photo with the reason", async () => {
    const { owner, g, photoId } = await masterOnlyPhoto("retry-policy");
    const job = { kind: "photo", tenantId: owner.studio.id, photoId };

    const early = createMessageBatch("loupe-images", [message("m1", 1, job)]);
    const ctx1 = createExecutionContext();
    await worker.queue(early, env, ctx1);
    const r1 = await getQueueResult(early, ctx1);
    expect(r1.explicitAcks).toEqual([]);
    expect(r1.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m1"]);
    // The delays double from 5 s; the last retry waits under three minutes.
    expect(Array.from({ length: MAX_ATTEMPTS }, (_, i) => backoffSeconds(i + 1))).toEqual([5, 10, 20, 40, 80, 160]);
    expect((await listPhotos(owner, g.id))[0]!.status).toBe("processing");

    const last = createMessageBatch("loupe-images", [message("m2", MAX_ATTEMPTS, job)]);
    const ctx2 = createExecutionContext();
    await worker.queue(last, env, ctx2);
    const r2 = await getQueueResult(last, ctx2);
    expect(r2.explicitAcks).toEqual(["m2"]);
    const [photo] = await listPhotos(owner, g.id);
    expect(photo!.status).toBe("failed");
    expect(photo!.failureReason).toMatch(new RegExp(`Processing failed after ${MAX_ATTEMPTS} attempts: the master is missing`));
  });

  it("acks malformed messages and good ones in the same batch independently", async () => {
    const { owner, photoId } = await masterOnlyPhoto("retry-batch");
    const batch = createMessageBatch("loupe-images", [
      message("bad", 1, { kind: "photo" }),
      message("transient", 1, { kind: "photo", tenantId: owner.studio.id, photoId }),
      message("gone", 1, { kind: "photo", tenantId: owner.studio.id, photoId: "p_deleted" }),
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["bad", "gone"]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["transient"]);
  });
});
