// bench:images' worst admissible inputs: the blast radius of one studio's file in the isolate that
// runs a queue batch. Every job goes through POST /job (tests/bench/worker.ts: obtainMaster, then
// renderDerivatives, as pipeline.ts does) back to back in one workerd, in the consumer's order.
import { performance } from "node:perf_hooks";
import { round } from "../harness/numbers.mjs";
import { MiB } from "./config.mjs";
import { startWorkerd } from "./workerd.mjs";
import { bigLogo, bigMaster, directOriginal } from "./worst.mjs";

export const LIMIT_BYTES = 128 * MiB;
// The watermark settings that make the most of a logo: as large as the preview, faded (a second
// copy of the layer), on the thumbnails too (the logo is decoded twice per job).
export const LOGO_STYLE = { enabled: true, kind: "logo", text: "", position: "center", opacity: 0.5, scale: 1, thumbnails: true };
const logoRoute = (style) => `/job?kind=master&style=${encodeURIComponent(JSON.stringify(style))}`;

async function post(wd, route, body) {
  const res = await fetch(new URL(route, wd.url), { method: "POST", body });
  const json = await res.json().catch(() => null);
  if (!res.ok || !json) throw new Error(`${route}: HTTP ${res.status}`);
  return json;
}

/** The inputs, and proof that the product's upload checks and the queue's routing admit them. */
async function makeInputs(script) {
  const [a, b, c] = [await directOriginal(), await bigMaster(), await bigLogo()];
  const checks = [
    ["a", "original", "a.jpg", a.bytes, "direct"],
    ["b", "master", "b.jpg", b.bytes],
    ["c", "logo", "logo.png", c.bytes, "stored as uploaded"],
    ["d", "master", "d.jpg", b.rotated],
    ["e", "original", "e.jpg", b.rotated, "IMAGES binding"],
  ];
  const wd = await startWorkerd(script);
  const admitted = {};
  try {
    for (const [id, as, name, bytes, route] of checks) {
      const r = await post(wd, `/admit?as=${as}&name=${name}`, bytes);
      if (!r.ok || (route && r.route !== route))
        throw new Error(`worst input ${id} is not admitted as ${as}${route ? ` (${route})` : ""}: ${JSON.stringify(r)}`);
      admitted[id] = { as, ...r };
    }
  } finally {
    await wd.stop();
  }
  const info = (x, what) => ({ what, bytes: x.bytes.length, width: x.width, height: x.height });
  return {
    a,
    b,
    c,
    summary: {
      a: { ...info(a, "direct original: progressive 4:4:4 JPEG q100 of pixel noise, ICC_PROFILE chunks after the frame header"), imageBytes: a.imageBytes },
      b: {
        ...info(b, `master: progressive 4:4:4 JPEG q${b.quality} of pixel noise (highest quality under 6 MiB), ICC_PROFILE padding`),
        imageBytes: b.imageBytes,
      },
      c: { ...info(c, `logo PNG, ${c.depth === "ushort" ? 16 : 8}-bit, ${c.channels} channels (a disc + ${c.noisyRows} rows of noise)`), depth: c.depth },
      d: { what: "master (b) with an EXIF orientation 6 tag, the same size", bytes: b.rotated.length, width: 2048, height: 2048 },
    },
    admitted,
  };
}

/** Jobs back to back in one fresh isolate; a full GC before each (so "JS before" is what the
 *  isolate holds live, not earlier jobs' garbage), heap sampled before and after each. */
async function batch(script, logo, jobs) {
  const wd = await startWorkerd(script, { inspector: true });
  try {
    const stand = await post(wd, "/logo", logo); // R2 stand-in: held in the isolate, not counted below
    const rows = [];
    for (const j of jobs) {
      await wd.inspect.gc();
      const before = await wd.inspect.heap();
      const t0 = performance.now();
      const r = await post(wd, j.route, j.body);
      const ms = performance.now() - t0;
      const after = await wd.inspect.heap();
      const jsBefore = before.used + before.backing - stand.logoBytes;
      const jsGrowth = after.used + after.backing - (before.used + before.backing);
      const total = r.wasmMemoryBytes + jsBefore + jsGrowth;
      rows.push({
        job: j.id,
        ok: r.ok,
        error: r.error,
        route: r.route,
        digest: r.digest,
        roundTripMs: round(ms),
        wasmAfterBytes: r.wasmMemoryBytes,
        jsLiveBeforeBytes: jsBefore,
        jsGrowthBytes: jsGrowth,
        gcDuringJob: jsGrowth < j.body.length, // a GC ran mid-job: growth under-counts
        isolateTotalBytes: total,
        ofLimit: total / LIMIT_BYTES,
      });
    }
    return { jobs: rows, peakBytes: Math.max(...rows.map((x) => x.isolateTotalBytes)), peakOfLimit: Math.max(...rows.map((x) => x.ofLimit)) };
  } finally {
    await wd.stop();
  }
}

/** The worst inputs alone, as one batch of 4, repeated, and mixed with ordinary 24 MP masters. */
export async function benchWorst(script, ordinaryMasters, log) {
  const t0 = performance.now();
  const { a, b, c, summary, admitted } = await makeInputs(script);
  log(`  worst inputs made and admitted (${round((performance.now() - t0) / 1000)} s): a ${summary.a.bytes} B, b ${summary.b.bytes} B, c ${summary.c.bytes} B`);
  const J = {
    a: { id: "a", route: "/job?kind=original", body: a.bytes },
    b: { id: "b", route: "/job?kind=master", body: b.bytes },
    c: { id: "c", route: logoRoute(LOGO_STYLE), body: b.bytes },
    d: { id: "d", route: "/job?kind=master&orientation=6", body: b.rotated },
    e: { id: "e", route: "/job?kind=original", body: b.rotated },
    "c@0.4": { id: "c@0.4", route: logoRoute({ ...LOGO_STYLE, scale: 0.4 }), body: b.bytes },
    "c+o1": { id: "c+o1", route: logoRoute(LOGO_STYLE), body: ordinaryMasters[0] },
  };
  const ordinary = ordinaryMasters.slice(0, 3).map((m, i) => ({ id: `o${i + 1}`, route: "/job?kind=master", body: m }));
  const alone = {};
  for (const id of Object.keys(J)) {
    alone[id] = (await batch(script, c.bytes, [J[id]])).jobs[0];
    log(
      `  alone ${id}: WASM ${round(alone[id].wasmAfterBytes / MiB)} MiB, total ${round(alone[id].isolateTotalBytes / MiB)} MiB (${alone[id].ofLimit.toFixed(2)} of 128 MiB)`,
    );
  }
  const reference = await batch(script, c.bytes, ordinary);
  const four = [J.a, J.b, J.c, J.d];
  const repeated = await batch(script, c.bytes, [...four, ...four, ...four]);
  // The heaviest photo file on a path the product takes ((d) is not one: stored masters are upright).
  const worstFile = ["a", "b", "e"].reduce((w, id) => (alone[id].isolateTotalBytes > alone[w].isolateTotalBytes ? id : w));
  const mixed = {};
  for (const id of ["c", worstFile]) {
    const r = await batch(script, c.bytes, [J[id], ...ordinary]);
    const same = r.jobs.slice(1).every((x, i) => x.ok && x.digest === reference.jobs[i].digest);
    mixed[id] = { ...r, ordinaryOk: r.jobs.slice(1).every((x) => x.ok), ordinaryIdenticalToFreshIsolate: same };
    log(
      `  batch ${id} + 3 ordinary: peak ${round(r.peakBytes / MiB)} MiB (${r.peakOfLimit.toFixed(2)}), ordinary outputs identical to a fresh isolate's: ${same}`,
    );
  }
  const firstRound = { jobs: repeated.jobs.slice(0, 4) };
  firstRound.peakBytes = Math.max(...firstRound.jobs.map((x) => x.isolateTotalBytes));
  firstRound.peakOfLimit = firstRound.peakBytes / LIMIT_BYTES;
  const wasmRounds = [0, 1, 2].map((k) => Math.max(...repeated.jobs.slice(4 * k, 4 * k + 4).map((x) => x.wasmAfterBytes)));
  log(
    `  batch a,b,c,d: peak ${round(firstRound.peakBytes / MiB)} MiB (${firstRound.peakOfLimit.toFixed(2)}); WASM after rounds 1–3: ${wasmRounds.map((x) => round(x / MiB)).join(", ")} MiB`,
  );
  return {
    limitBytes: LIMIT_BYTES,
    logoStyle: LOGO_STYLE,
    inputs: summary,
    admitted,
    alone,
    batches: { worst4: firstRound, worst4x3: { ...repeated, wasmAfterEachRoundBytes: wasmRounds }, ordinary: reference, mixed },
    worstFile,
    durationS: round((performance.now() - t0) / 1000),
  };
}
