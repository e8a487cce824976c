// bench:web's gallery: WEB_PHOTOS distinct JPEGs uploaded through the dashboard API the uploader's
// way (no originals: proofing needs none), then watched until the queue made every derivative.
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { must } from "../harness/http.mjs";
import { countBy, mapLimit, round, sleep } from "../harness/numbers.mjs";
import { CONCURRENCY, call, PHOTOS, PROCESS_TIMEOUT_MS, STALL_MS } from "./config.mjs";

/** A distinct 900×600 JPEG: its own gradient, disc and number. */
function photoSvg(i) {
  const hue = (i * 137.508) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},50%,30%)"/></linearGradient></defs><rect width="900" height="600" fill="url(#g)"/><circle cx="${200 + ((i * 53) % 500)}" cy="${150 + ((i * 31) % 300)}" r="90" fill="hsl(${(hue + 180) % 360},70%,60%)"/><text x="450" y="340" font-size="120" font-family="sans-serif" text-anchor="middle" fill="white">#${i + 1}</text></svg>`;
}
const makeJpeg = (i) =>
  sharp(Buffer.from(photoSvg(i)))
    .jpeg({ quality: 82 })
    .toBuffer();

/** Every photo of the gallery, a page (of 200) at a time as the API answers them. */
async function allPhotos(L, photosPath) {
  const list = [];
  let cursor = "";
  do {
    const r = await call(L.port, "GET", L.appHost, `${photosPath}?limit=200${cursor}`, { cookie: L.cookie });
    if (r.status !== 200) throw new Error(`list photos: ${r.status}`);
    list.push(...r.json.photos);
    cursor = r.json.next ? `&cursor=${encodeURIComponent(r.json.next)}` : "";
  } while (cursor);
  return list;
}

export async function makeGallery(L) {
  const base = `/api/studios/${L.studioId}/galleries`;
  const g = (
    await must(
      call(L.port, "POST", L.appHost, base, { cookie: L.cookie, body: { title: `Bench: ${PHOTOS} photos`, visibility: "public" } }),
      201,
      "create gallery",
    )
  ).json.gallery;
  const photosPath = `${base}/${g.id}/photos`;
  const t0 = performance.now();
  let uploaded = 0,
    bytes = 0;
  const errors = [];
  const progress = { readyAt: [] }; // [seconds since first upload, ready count]
  let uploadsDone = false;
  let lastUploadAt = null;
  let lastReady = -1,
    lastProgressAt = performance.now();

  // Watch the queue from the start: ready count over time.
  const watch = (async () => {
    const deadline = t0 + PROCESS_TIMEOUT_MS + 120_000;
    while (performance.now() < deadline) {
      await sleep(2000);
      const list = await allPhotos(L, photosPath).catch(() => null);
      if (!list) continue;
      const ready = list.filter((p) => p.status === "ready").length;
      const failed = list.filter((p) => p.status === "failed");
      progress.readyAt.push([round((performance.now() - t0) / 1000, 1), ready]);
      progress.last = {
        ready,
        failed: failed.length,
        total: list.length,
        failures: failed.slice(0, 5).map((p) => `${p.filename}: ${p.failureReason}`),
        byStatus: countBy(list, (p) => p.status),
      };
      if (ready + failed.length !== lastReady) {
        lastReady = ready + failed.length;
        lastProgressAt = performance.now();
      }
      // Every photo whose master arrived is ready or failed (a failed upload leaves its photo "uploading").
      if (uploadsDone && ready + failed.length >= list.filter((p) => p.status !== "uploading").length) return { allDoneAt: performance.now() };
      if (uploadsDone && performance.now() - lastProgressAt > STALL_MS) return { stalled: true };
      if (uploadsDone && performance.now() - lastUploadAt > PROCESS_TIMEOUT_MS) return { timedOut: true };
    }
    return { timedOut: true };
  })();

  await mapLimit(
    Array.from({ length: PHOTOS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      try {
        const jpeg = await makeJpeg(i);
        const filename = `BENCH_${String(i + 1).padStart(4, "0")}.jpg`;
        const start = await must(
          call(L.port, "POST", L.appHost, photosPath, { cookie: L.cookie, body: { filename, size: jpeg.length, contentType: "image/jpeg" } }),
          201,
          `start ${filename}`,
        );
        await must(
          call(L.port, "PUT", L.appHost, `${photosPath}/${start.json.photo.id}/master`, { cookie: L.cookie, body: new Uint8Array(jpeg), type: "image/jpeg" }),
          200,
          `master ${filename}`,
        );
        uploaded++;
        bytes += jpeg.length;
        if (uploaded % 100 === 0)
          console.log(`    ${uploaded}/${PHOTOS} uploaded (${((performance.now() - t0) / 1000).toFixed(0)} s; ${progress.last?.ready ?? 0} ready)`);
      } catch (err) {
        errors.push(String(err.message).slice(0, 200));
      }
    },
  );
  uploadsDone = true;
  lastUploadAt = performance.now();
  const uploadSeconds = (lastUploadAt - t0) / 1000;
  console.log(
    `    uploads done in ${uploadSeconds.toFixed(1)} s (${errors.length} failed${errors.length ? `: ${errors.slice(0, 3).join(" | ")}` : ""}); waiting for the queue…`,
  );
  const end = await watch;
  const last = progress.last ?? { ready: 0, failed: 0, total: 0, failures: [] };
  return {
    galleryId: g.id,
    photosPath,
    upload: {
      photos: PHOTOS,
      uploaded,
      failed: errors.length,
      errors: errors.slice(0, 5),
      seconds: round(uploadSeconds, 1),
      meanBytes: round(bytes / Math.max(1, uploaded), 0),
      concurrency: CONCURRENCY,
    },
    processing: {
      ready: last.ready,
      failed: last.failed,
      timedOut: !!end.timedOut,
      stalled: !!end.stalled,
      byStatus: last.byStatus,
      failures: last.failures,
      secondsFromFirstUpload: end.allDoneAt ? round((end.allDoneAt - t0) / 1000, 1) : null,
      secondsAfterLastUpload: end.allDoneAt ? round((end.allDoneAt - lastUploadAt) / 1000, 1) : null,
      photosPerMinute: end.allDoneAt ? round(last.ready / ((end.allDoneAt - t0) / 60000), 0) : null,
      readyAt: progress.readyAt,
    },
  };
}
