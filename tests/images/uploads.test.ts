// Uploads: master first, resumable originals, and every kind of bad file refused with its reason.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fixture, listPhotos, newGallery, photosPath, rawPut, sendParts, settled, startUpload, uploadOriginal } from "../helpers/galleries";
import { call, json, signUp } from "../helpers/http";
import { corruptJpeg, padJpeg } from "../helpers/jpeg";

const MiB = 1024 * 1024;

async function r2Keys(prefix: string): Promise<string[]> {
  return (await env.MEDIA.list({ prefix })).objects.map((o) => o.key);
}

describe("uploads", () => {
  it("a browser-made master makes the photo proofable before its original has arrived", async () => {
    const owner = await signUp("master-first");
    const gallery = await newGallery(owner);
    const original = padJpeg(fixture("camera.jpg"), 9 * MiB);
    const { photo, upload } = await json(await startUpload(owner, gallery.id, "IMG_7001.jpg", original.length, { contentType: "image/jpeg" }));
    expect(upload.partCount).toBe(2);
    const master = await rawPut(owner, `${photosPath(owner, gallery.id)}/${photo.id}/master`, fixture("camera.jpg"), "image/jpeg");
    expect(master.status, await master.clone().text()).toBe(200);
    const proofable = await settled(owner, gallery.id, photo.id);
    expect(proofable.status).toBe("ready");
    expect(proofable.original).toBe("uploading");
    expect(proofable.exif).toBeNull();

    await sendParts(owner, gallery.id, photo.id, original, upload.partSize);
    const done = await call("POST", `${photosPath(owner, gallery.id)}/${photo.id}/original/complete`, { jar: owner.jar });
    expect(done.status, await done.clone().text()).toBe(200);
    const full = await settled(owner, gallery.id, photo.id, 20_000, (p) => p.exif !== null);
    expect(full.original).toBe("stored");
    expect(full.exif!.camera).toBe("Canon EOS R5");
    const stored = await env.MEDIA.head(`t/${owner.studio.id}/g/${gallery.id}/p/${photo.id}/original`);
    expect(stored!.size).toBe(original.length);
  });

  it("resumes an interrupted multipart upload without re-sending finished parts", async () => {
    const owner = await signUp("resume-upload");
    const gallery = await newGallery(owner);
    const original = padJpeg(fixture("camera.jpg"), 17 * MiB);
    const { photo, upload } = await json(await startUpload(owner, gallery.id, "IMG_7002.jpg", original.length));
    expect(upload.partCount).toBe(3);
    const base = `${photosPath(owner, gallery.id)}/${photo.id}/original`;

    // Parts 1 and 3 arrive; the connection drops before part 2.
    await sendParts(owner, gallery.id, photo.id, original, upload.partSize, [1, 3]);
    const early = await call("POST", `${base}/complete`, { jar: owner.jar });
    expect(early.status).toBe(409);
    expect((await json(early)).error.message).toMatch(/missing part 2/);

    // Reconnected, the uploader asks what arrived and sends only the rest.
    const parts = await json(await call("GET", `${base}/parts`, { jar: owner.jar }));
    expect(parts.received).toEqual([1, 3]);
    const missing = Array.from({ length: parts.partCount }, (_, i) => i + 1).filter((n) => !parts.received.includes(n));
    expect(missing).toEqual([2]);
    const [resent] = await sendParts(owner, gallery.id, photo.id, original, upload.partSize, missing);
    expect((await json(resent!)).received).toEqual([1, 2, 3]);
    expect((await call("POST", `${base}/complete`, { jar: owner.jar })).status).toBe(200);

    const stored = await env.MEDIA.get(`t/${owner.studio.id}/g/${gallery.id}/p/${photo.id}/original`);
    const bytes = new Uint8Array(await stored!.arrayBuffer());
    expect(bytes.length).toBe(original.length);
    expect(bytes.every((b, i) => b === original[i])).toBe(true);
    expect((await settled(owner, gallery.id, photo.id)).status).toBe("ready");
  });
});

describe("bad files", () => {
  it("each bad file gets its own clear error, and nothing else in the gallery changes", async () => {
    const owner = await signUp("bad-files");
    const gallery = await newGallery(owner);
    const good = await uploadOriginal(owner, gallery.id, "keeper.jpg", fixture("camera.jpg"));
    await settled(owner, gallery.id, good);
    const before = JSON.stringify(await listPhotos(owner, gallery.id));
    const prefix = `t/${owner.studio.id}/g/${gallery.id}/`;
    const keysBefore = await r2Keys(prefix);

    async function attempt(filename: string, bytes: Uint8Array, declared?: string) {
      const start = await startUpload(owner, gallery.id, filename, bytes.length, declared ? { contentType: declared } : {});
      if (start.status !== 201) return start;
      const { photo, upload } = await json(start);
      for (const r of await sendParts(owner, gallery.id, photo.id, bytes, upload.partSize)) if (r.status !== 200) return r;
      return call("POST", `${photosPath(owner, gallery.id)}/${photo.id}/original/complete`, { jar: owner.jar });
    }
    const camera = fixture("camera.jpg");
    const cases: [string, Uint8Array, string | undefined, number, string, RegExp][] = [
      ["truncated.jpg", camera.subarray(0, Math.floor(camera.length * 0.6)), undefined, 422, "file_truncated", /"truncated\.jpg" is incomplete/],
      ["renamed.jpg", fixture("small.png"), undefined, 415, "unsupported_file", /"renamed\.jpg" is named \.jpg but its content is a PNG/],
      [
        "notes.jpg",
        new TextEncoder().encode("Shot list:\n- rings\n- first dance\n"),
        "image/jpeg",
        415,
        "unsupported_file",
        /"notes\.jpg" is not a JPEG, PNG or WebP image: it is a text file/,
      ],
      ["notes.txt", new TextEncoder().encode("hello"), "text/plain", 415, "unsupported_file", /"notes\.txt" is text\/plain/],
      ["empty.jpg", new Uint8Array(0), undefined, 400, "empty_file", /"empty\.jpg" is empty \(0 bytes\)/],
    ];
    for (const [name, bytes, declared, status, code, message] of cases) {
      const res = await attempt(name, bytes, declared);
      const body = await json(res);
      expect(res.status, `${name}: ${JSON.stringify(body)}`).toBe(status);
      expect(body.error.code, name).toBe(code);
      expect(body.error.message, name).toMatch(message);
    }
    const huge = await startUpload(owner, gallery.id, "huge.jpg", 300 * MiB);
    expect(huge.status).toBe(413);
    expect((await json(huge)).error).toMatchObject({ code: "file_too_large", message: expect.stringMatching(/"huge\.jpg" is 300 MB; the limit is 200 MB/) });

    await env.DIRECTORY.prepare("UPDATE tenants SET storage_quota_bytes = ? WHERE id = ?")
      .bind(3 * MiB, owner.studio.id)
      .run();
    const over = await startUpload(owner, gallery.id, "over.jpg", 2 * MiB);
    expect(over.status).toBe(413);
    expect((await json(over)).error).toMatchObject({ code: "quota_exceeded", message: expect.stringMatching(/"over\.jpg" \(2\.0 MB\) does not fit/) });

    expect(JSON.stringify(await listPhotos(owner, gallery.id))).toBe(before);
    expect(await r2Keys(prefix)).toEqual(keysBefore);
  });

  it("a file no decoder can read fails that photo only, with a reason, and can be retried", async () => {
    const owner = await signUp("corrupt-file");
    const gallery = await newGallery(owner);
    const bad = await uploadOriginal(owner, gallery.id, "broken.jpg", corruptJpeg(fixture("camera.jpg")));
    const good = await uploadOriginal(owner, gallery.id, "fine.jpg", fixture("camera.jpg"));
    const failed = await settled(owner, gallery.id, bad);
    expect(failed.status).toBe("failed");
    expect(failed.failureReason).toMatch(/"broken\.jpg" could not be decoded/);
    expect((await settled(owner, gallery.id, good)).status).toBe("ready");

    const retry = await call("POST", `${photosPath(owner, gallery.id)}/${bad}/retry`, { jar: owner.jar });
    expect(retry.status).toBe(200);
    expect((await json(retry)).photo.status).toBe("processing");
    const again = await settled(owner, gallery.id, bad);
    expect(again.status).toBe("failed");
    // A good photo uploaded after the failure still goes through the same isolate's WASM.
    const later = await uploadOriginal(owner, gallery.id, "after.jpg", fixture("portrait-orient6.jpg"));
    expect((await settled(owner, gallery.id, later)).status).toBe("ready");
  });

  it("a photo the queue lost is shown as stuck after 10 minutes and can be sent again", async () => {
    const owner = await signUp("stuck-photo");
    const gallery = await newGallery(owner);
    const id = await uploadOriginal(owner, gallery.id, "lost.jpg", fixture("camera.jpg"));
    expect((await settled(owner, gallery.id, id)).status).toBe("ready");
    // What a dropped queue message leaves behind: processing, and nothing coming.
    const d1 = (env as unknown as Record<string, D1Database>)[`TENANT_DB_${owner.studio.shard}`]!;
    const lost = async (ago: number) =>
      d1
        .prepare("UPDATE photos SET status = 'processing', updated_at = ? WHERE id = ?")
        .bind(Date.now() - ago, id)
        .run();
    await lost(60_000);
    const early = await call("POST", `${photosPath(owner, gallery.id)}/${id}/retry`, { jar: owner.jar });
    expect(early.status).toBe(400);
    expect((await json(early)).error.message).toMatch(/"lost\.jpg" has not failed and is not stuck/);
    expect((await listPhotos(owner, gallery.id))[0]).toMatchObject({ status: "processing", stuck: false });
    await lost(11 * 60_000);
    expect((await listPhotos(owner, gallery.id))[0]).toMatchObject({ status: "processing", stuck: true });
    const retry = await call("POST", `${photosPath(owner, gallery.id)}/${id}/retry`, { jar: owner.jar });
    expect(retry.status).toBe(200);
    expect((await json(retry)).photo).toMatchObject({ status: "processing", stuck: false });
    expect((await settled(owner, gallery.id, id)).status).toBe("ready");
  });
});
