// bench:images' report: the targets, the notes that explain the method, and the markdown table.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { round } from "../harness/numbers.mjs";
import { worstMarkdown, worstNotes, worstTarget } from "./blast-report.mjs";
import { FINGERPRINT_REPS, FINGERPRINT_TARGET, MiB, mib, PHOTOS, RUNS, STUDIO, TARGETS, WARMUP } from "./config.mjs";

const require = createRequire(import.meta.url);

/** The machine as this report has always named it (workerd: the version miniflare pins). */
export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim(),
    memGiB: round(os.totalmem() / 2 ** 30),
    node: process.versions.node,
    workerd: JSON.parse(readFileSync(require.resolve("miniflare/package.json"), "utf8")).dependencies?.workerd ?? "?",
  };
}

export function targets(sizes, rotated, worst) {
  const maxIso = Math.max(...sizes.map((s) => s.wasm.memory.isolatePeakBytes));
  const maxRss1 = Math.max(...sizes.map((s) => s.wasm.memory.workerdRssGrowthFirstCallBytes));
  const maxRss = Math.max(...sizes.map((s) => s.wasm.memory.workerdRssGrowthBytes));
  return [
    {
      name: `Peak isolate memory < ${TARGETS.memoryMiB} MiB at every size (orientation 1)`,
      pass: sizes.every((s) => s.wasm.memory.isolatePeakBytes < TARGETS.memoryMiB * MiB),
      detail: `max ${mib(maxIso)} MiB WASM+JS (${sizes.map((s) => `${s.mp} MP ${mib(s.wasm.memory.isolatePeakBytes)}`).join(", ")}); workerd RSS growth (upper bound) 1st call max ${mib(maxRss1)} MiB, all calls max ${mib(maxRss)} MiB; orientation 6: ${mib(rotated.isolatePeakBytes)} MiB`,
    },
    {
      name: "WASM step per photo no slower than sharp's whole pipeline (median and p95, every size)",
      pass: sizes.every((s) => s.ratio.median <= TARGETS.ratio && s.ratio.p95 <= TARGETS.ratio),
      detail: sizes.map((s) => `${s.mp} MP ${s.ratio.median.toFixed(2)}× / ${s.ratio.p95.toFixed(2)}×`).join(", "),
    },
    {
      name: `≥ ${TARGETS.photosPerMin} photos/min on this ${os.cpus().length}-core machine (2 concurrent requests, 2 isolates)`,
      pass: sizes.every((s) => s.wasmTwoIsolates.photosPerMin >= TARGETS.photosPerMin),
      detail: sizes.map((s) => `${s.mp} MP ${s.wasmTwoIsolates.photosPerMin}/min (1 isolate: ${s.wasm.oneIsolate2Concurrent.photosPerMin})`).join(", "),
    },
    {
      name: `Similar-shots fingerprint (hash + sharpness) ≤ ${FINGERPRINT_TARGET * 100}% of the WASM step per photo (median, every size)`,
      pass: sizes.every((s) => s.fingerprintShare <= FINGERPRINT_TARGET),
      detail: sizes.map((s) => `${s.mp} MP ${s.wasm.fingerprint.ms.median} ms = ${(100 * s.fingerprintShare).toFixed(2)}%`).join(", "),
    },
    ...(worst ? [worstTarget(worst)] : []),
  ];
}

/** What the isolate itself reports of its memory (a note; the probe is dropped from the sizes),
 *  and the notes on the method. */
export function notes(sizes) {
  const apis = sizes[0]?.wasm.memoryApisInside ?? {};
  const allZero = (v) => v && typeof v === "object" && Object.values(v).every((x) => x === 0);
  const insideNote = Object.entries(apis)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : allZero(v) ? "all zeros (stub)" : "reports numbers"}`)
    .join("; ");
  for (const s of sizes) delete s.wasm.memoryApisInside;
  const noop = sizes.map((s) => `${s.mp} MP ${s.wasm.noopRoundTripMs.median} ms`).join(", ");
  const notes = [
    "Photos are synthetic (gradients, shapes, lines, multi-scale texture, per-pixel sensor-like noise), JPEG q90, in a temp dir that is deleted. Masters (≤ 2048 px long edge, JPEG q90) are made with sharp as setup; they stand in for the browser's createImageBitmap/OffscreenCanvas step and are not timed.",
    `WASM step = one renderDerivatives(master, 1, defaultWatermark("${STUDIO}"), null) call in workerd (Miniflare API on the wrangler-bundled tests/bench/worker.ts), timed from Node as the HTTP round trip of POST /derive minus the median round trip of a no-op POST /noop with the same body, per photo (baseline ${noop}). Clocks inside workerd do not advance during synchronous work, so nothing is timed inside. The first ${WARMUP} calls per isolate are warm-up (cold: ${sizes.map((s) => s.wasm.coldFirstCallsMs[0]).join(", ")} ms).`,
    "sharp whole job = read original already in memory → decode (libvips shrink-on-load) to 1600 px → 600 px thumbnail JPEG q80 + 1600 px preview with an SVG text watermark at 35% opacity, 40% of the width, centred, JPEG q82; run in a child Node process, sequential, sharp.concurrency(1) and sharp.cache(false) for a single-thread comparison. Its throughput runs 2 jobs at once (2 libuv threads, 1 libvips thread each).",
    "WASM throughput: 2 requests always in flight. '2 isolates' = two workerd processes, one request each (how 2 cores are used: one isolate runs JS on one thread); '1 isolate' = both requests to one workerd, which serialises them. The photos/min target is judged on 2 isolates.",
    `Memory in the isolate (MiB = 2^20 bytes): WASM = photon's WebAssembly.Memory buffer.byteLength after each call (it never shrinks, so the last value is the peak; initial ${mib(sizes[0]?.wasm.memory.wasmInitialBytes ?? 0)} MiB). Nothing inside workerd reports the JS heap (${insideNote}), so JS comes from V8 itself via the inspector (Runtime.getHeapUsage: usedSize + backingStorageSize, i.e. V8 heap + ArrayBuffers; WASM memory not included): the isolate's JS at start (${mib(sizes[0]?.wasm.memory.jsStartBytes ?? 0)} MiB, before any request) + the most one /derive request added (sampled right before sending and right after the response, so the request body, photon's JS-side copies and the outputs are counted; garbage of earlier requests is not). Samples where a GC ran mid-call (growth < body size) under-count and are ignored by the max (${sizes.reduce((a, s) => a + s.wasm.memory.callsShrunkByGc, 0)} of ${sizes.reduce((a, s) => a + s.wasm.stepMs.n + WARMUP, 0)}).`,
    "Cross-check from outside (an upper bound, not the isolate figure): workerd RSS growth = VmHWM of the workerd process after the first /derive call, and after all calls, minus its VmHWM after no-op requests with the same bodies. It counts WASM growth and JS, but also V8's compiled code for photon's WASM, allocator slack and, for 'all calls', garbage V8 had not collected yet (V8 collects it under memory pressure). sharp child RSS growth = peak RSS of the sharp-only Node process during the sequential runs (sampled every 2 ms) minus its RSS just before them (originals already loaded).",
    `p95 = linear interpolation over the ${PHOTOS * RUNS} samples per size. This is a shared ${os.cpus().length}-vCPU VM: run-to-run differences of ±20% in ms and photos/min were seen while building the bench; compare the two sides within one run.`,
    "Local workerd does not enforce the 128 MB isolate limit; these numbers are what production would count against it, measured here.",
    `Similar-shots fingerprint = worker/images/similarity.ts fingerprint() (64-bit DCT hash and sharpness on the 600 px thumbnail raster, capped by the sharpest edges of the 1600 px preview raster, both before any watermark) on each master's own rasters, which renderDerivatives computes it from (its time is inside the WASM step above; this column is its share). Timed in the same isolate and run as POST /fingerprint with ${FINGERPRINT_REPS} fingerprints in one request minus the same request with none (same raster bodies), divided by ${FINGERPRINT_REPS}; ${RUNS} samples per photo after one warm-up request.`,
  ];
  return { insideNote, notes };
}

export function markdown(r) {
  const L = [];
  L.push(
    `### Image pipeline benchmark (${r.date.slice(0, 10)}, ${r.machine.cpus}× ${r.machine.cpuModel}, Node ${r.machine.node}, workerd ${r.machine.workerd})`,
  );
  L.push("");
  L.push(
    `${r.config.photosPerSize} photos per size; ${r.config.samplesPerSize} timed runs per size for each side (${r.config.runsPerPhoto} per photo, after ${WARMUP} warm-up); throughput from ${r.config.throughputJobs} jobs per size, 2 in flight.`,
  );
  L.push("");
  L.push(
    "| Size | Original JPEG | Master JPEG | WASM step ms (median / p95) | of which fingerprint ms (median / p95; share of step) | sharp whole job ms (median / p95) | WASM ÷ sharp (median / p95) | WASM photos/min: 2 isolates (1 isolate) | sharp photos/min (2 jobs) | Throughput WASM ÷ sharp | Peak isolate memory: WASM + JS = total MiB | workerd RSS growth MiB: 1st call / all calls | sharp child RSS growth MiB |",
  );
  L.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const s of r.sizes) {
    const m = s.wasm.memory;
    L.push(
      `| ${s.mp} MP ${s.width}×${s.height} | ${mib(s.originalAvgBytes)} MiB | ${mib(s.masterAvgBytes)} MiB | ${s.wasm.stepMs.median} / ${s.wasm.stepMs.p95} | ${s.wasm.fingerprint.ms.median} / ${s.wasm.fingerprint.ms.p95} (${(100 * s.fingerprintShare).toFixed(2)}%) | ${s.sharp.wholeMs.median} / ${s.sharp.wholeMs.p95} | ${s.ratio.median.toFixed(2)} / ${s.ratio.p95.toFixed(2)} | ${s.wasmTwoIsolates.photosPerMin} (${s.wasm.oneIsolate2Concurrent.photosPerMin}) | ${s.sharp.twoJobs.photosPerMin} | ${s.ratio.throughput.toFixed(2)} | ${mib(m.wasmPeakBytes)} + ${mib(m.jsPeakBytes)} = ${mib(m.isolatePeakBytes)} | ${mib(m.workerdRssGrowthFirstCallBytes)} / ${mib(m.workerdRssGrowthBytes)} | ${mib(s.sharp.rssGrowthBytes)} |`,
    );
  }
  if (r.rotated) {
    const o = r.rotated;
    L.push(
      `| ${o.mp} MP, EXIF orientation 6 (memory check) | | | round trip ${o.roundTripMs.median} / ${o.roundTripMs.p95} | | | | | | | ${mib(o.wasmPeakBytes)} + ${mib(o.jsPeakBytes)} = ${mib(o.isolatePeakBytes)} | | |`,
    );
  }
  L.push("");
  L.push("| Target | Result |");
  L.push("|---|---|");
  for (const t of r.targets) L.push(`| ${t.name} | ${t.pass ? "PASS" : "FAIL"}: ${t.detail} |`);
  L.push("");
  L.push("Notes:");
  for (const n of r.notes) L.push(`- ${n}`);
  if (r.worst) {
    L.push("", ...worstMarkdown(r.worst), "", "Notes on the worst inputs:");
    for (const n of worstNotes(r.worst)) L.push(`- ${n}`);
    L.push(`- This section took ${r.worst.durationS} s.`);
  }
  return L.join("\n");
}
