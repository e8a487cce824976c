// The two ways a client takes a whole gallery's originals, as the client app does it:
//   zip:       POST /g/:id/zip {scope: "gallery", size: "original"} → a plan of numbered parts, then
//              GET each part's url (/zip/<token>): client-zip over the R2 objects, file by file.
//   reference: POST /media/:id/:photo/download {size: "original"} → {url} for each photo, then GET
//              each url (/dl/<token>): the same R2 objects piped to the response, no zipping.
// Only the GETs are measured (the links are all asked for first); the POSTs are timed apart.
import { performance } from "node:perf_hooks";
import { cookieHeader, must } from "../harness/http.mjs";
import { sleep } from "../harness/numbers.mjs";
import { call, nextIp, TAIL_BYTES } from "./config.mjs";
import { checkZip, measured, parseZipTail, pausingGet, settle, streamGet } from "./measure.mjs";
import { slopePerGB } from "./whatif.mjs";

/** A visitor of the gallery with a name (a zip is recorded under one): the cookie it was given. */
export async function visitor(L, galleryId, name) {
  const res = await must(
    call(L.apiPort, "POST", L.studioHost, `/g/${galleryId}/access`, { body: { name }, headers: { "cf-connecting-ip": nextIp() } }),
    200,
    "gallery access",
  );
  return cookieHeader(res.cookies);
}

/** The whole gallery at original size, as the client's "Download all" asks for it. */
async function zipPlan(L, galleryId, cookie) {
  const res = await must(
    call(L.apiPort, "POST", L.studioHost, `/g/${galleryId}/zip`, {
      cookie,
      body: { scope: "gallery", size: "original" },
      headers: { "cf-connecting-ip": nextIp() },
    }),
    201,
    "zip plan",
  );
  return res.json;
}

/** `beforeGets`: run after the workerd settled, right before the first GET (the profiler starts there). */
export async function zipDownload(L, pids, heap, galleryId, photos, { beforeGets } = {}) {
  const cookie = await visitor(L, galleryId, "Bench Zip");
  const t0 = performance.now();
  const ticks0 = pids.ticks();
  const plan = await zipPlan(L, galleryId, cookie);
  const planMs = performance.now() - t0;
  const planCpuMs = (pids.ticks() - ticks0) * 10;
  const settledIn = await settle(pids.user);
  await beforeGets?.();
  const m = await measured(pids, heap, async () => {
    const parts = [];
    for (const part of plan.parts) {
      const r = await streamGet(L.dlPort, L.studioHost, part.url, { headers: { cookie, "cf-connecting-ip": nextIp() }, tail: TAIL_BYTES });
      if (r.status !== 200) throw new Error(`zip part ${part.n}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
      parts.push({ part, r });
    }
    return parts;
  });
  // Checked after the clock stopped: each part's central directory against the uploaded files.
  const checks = m.out.map(({ part, r }) => {
    const zip = parseZipTail(r.tail, r.bytes);
    const expected = zip.entries.map((e) => photos.find((p) => p.filename === e.name)).filter(Boolean);
    const c = checkZip(zip, r.bytes, expected);
    return {
      n: part.n,
      filename: part.filename,
      planned: { photos: part.photos, bytes: part.bytes },
      bytes: r.bytes,
      contentLength: r.headers["content-length"] ?? null,
      ttfbMs: r.ttfbMs,
      seconds: r.totalMs / 1000,
      ...c,
    };
  });
  const entries = checks.reduce((n, c) => n + c.entries, 0);
  const dataBytes = checks.reduce((n, c) => n + c.dataBytes, 0);
  const expectBytes = photos.reduce((n, p) => n + p.size, 0);
  const problems = checks.flatMap((c) => c.problems);
  if (entries !== photos.length) problems.push(`${entries} entries in all parts, ${photos.length} photos uploaded`);
  if (dataBytes !== expectBytes) problems.push(`${dataBytes} bytes in the entries, ${expectBytes} uploaded`);
  if (plan.photos !== photos.length || plan.skipped !== 0) problems.push(`the plan holds ${plan.photos} photos (${plan.skipped} skipped) of ${photos.length}`);
  const bytes = checks.reduce((n, c) => n + c.bytes, 0);
  return {
    kind: "zip",
    plan: { photos: plan.photos, skipped: plan.skipped, bytes: plan.bytes, parts: plan.parts.length, ms: planMs, cpuMs: planCpuMs },
    settledSeconds: settledIn,
    requests: plan.parts.length,
    bytes,
    dataBytes,
    ...strip(m),
    parts: checks,
    verified: { ok: problems.length === 0, entries, dataBytes, framingBytes: bytes - dataBytes, problems: problems.slice(0, 10) },
  };
}

export async function referenceDownload(L, pids, heap, galleryId, photos) {
  const cookie = await visitor(L, galleryId, "Bench Reference");
  const t0 = performance.now();
  const ticks0 = pids.ticks();
  const links = [];
  for (const p of photos) {
    const r = await must(
      call(L.apiPort, "POST", L.studioHost, `/media/${galleryId}/${p.id}/download`, {
        cookie,
        body: { size: "original" },
        headers: { "cf-connecting-ip": nextIp() },
      }),
      200,
      `download link for ${p.filename}`,
    );
    links.push({ photo: p, url: r.json.url });
  }
  const linksMs = performance.now() - t0;
  const linksCpuMs = (pids.ticks() - ticks0) * 10;
  const settledIn = await settle(pids.user);
  const m = await measured(pids, heap, async () => {
    const got = [];
    for (const { photo, url } of links) {
      const r = await streamGet(L.dlPort, L.studioHost, url, { headers: { cookie }, crc: true });
      if (r.status !== 200) throw new Error(`download of ${photo.filename}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
      got.push({ photo, r });
    }
    return got;
  });
  const problems = [];
  for (const { photo, r } of m.out) {
    if (r.bytes !== photo.size) problems.push(`${photo.filename}: ${r.bytes} bytes, uploaded ${photo.size}`);
    if (r.crc !== photo.crc) problems.push(`${photo.filename}: CRC-32 differs from the upload`);
  }
  const bytes = m.out.reduce((n, { r }) => n + r.bytes, 0);
  const ttfb = m.out.map(({ r }) => r.ttfbMs).sort((a, b) => a - b);
  return {
    kind: "reference",
    links: { count: links.length, ms: linksMs, cpuMs: linksCpuMs },
    settledSeconds: settledIn,
    requests: links.length,
    bytes,
    dataBytes: bytes,
    ...strip(m),
    ttfbMsMedian: ttfb[Math.floor(ttfb.length / 2)],
    verified: { ok: problems.length === 0, files: m.out.length, dataBytes: bytes, problems: problems.slice(0, 10) },
  };
}

const strip = (m) => {
  const { out: _out, ...rest } = m;
  return rest;
};

/**
 * The isolate's live heap while a zip streams: the client stops reading every `everyBytes`, the
 * isolate goes idle on backpressure, and the bench forces a full GC through the inspector and reads
 * the heap that survives it. Not timed (the GCs cost seconds); the zip is the same as above.
 */
export async function zipLiveHeap(L, heap, galleryId, everyBytes) {
  const cookie = await visitor(L, galleryId, "Bench Zip heap");
  const plan = await zipPlan(L, galleryId, cookie);
  const live = async () => {
    await heap.gc();
    const h = await heap.usage();
    return h.used + h.backing;
  };
  const points = [{ bytes: 0, live: await live() }];
  let streamed = 0;
  for (const part of plan.parts) {
    const r = await pausingGet(L.dlPort, L.studioHost, part.url, {
      headers: { cookie, "cf-connecting-ip": nextIp() },
      everyBytes,
      onPause: async (bytes) => {
        await sleep(300);
        points.push({ bytes: streamed + bytes, live: await live() });
      },
    });
    streamed += r.bytes;
  }
  const after = await live();
  // Growth by least squares, over the pauses before the last 5% (a pause at the very end may come
  // after the part was done and its heap given back).
  const slope = slopePerGB(points.filter((p) => p.bytes < 0.95 * streamed));
  return { bytes: streamed, parts: plan.parts.length, points, after, bytesPerGB: slope };
}
