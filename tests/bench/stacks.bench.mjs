// `npm run bench:stacks`: similar shots on a made-up wedding (tests/bench/stacks/scenes.mjs):
// bursts (drift, subject movement, fresh noise, exposure steps), near misses seconds apart (the
// same place re-framed, another subject), the same scene half a minute later, singles, and frames
// blurred on purpose. Each master goes through the product's own renderDerivatives in workerd
// (tests/bench/worker.ts POST /derive, which answers the fingerprint), and the frames through its
// stackFrames (POST /stack); only the photos are made in Node. Reports pairwise precision and
// recall of the stacks and how many blurred frames come out soft, against the truth the shoot
// was planned with. Writes tests/bench/results/stacks.json and stacks.md.
//
// Knobs (env): BENCH_SEEDS=7,8 (shoots to generate; 1–3 are the ones the thresholds were tuned on).
import path from "node:path";
import { performance } from "node:perf_hooks";
import { round } from "./harness/numbers.mjs";
import { exitOnSignals, tempDir } from "./harness/processes.mjs";
import { roundNumbers, writeResults } from "./harness/report.mjs";
import { machine } from "./images/report.mjs";
import { bundleWorker, cleanup, startWorkerd } from "./images/workerd.mjs";
import { H, makeFrame, makeScene, plan, W } from "./stacks/scenes.mjs";
import { quantile } from "./stats.mjs";

const SEEDS = (process.env.BENCH_SEEDS ?? "7,8").split(",").map(Number);
const TUNED_ON = [1, 2, 3];
const TARGETS = { precision: 0.9, recall: 0.9, softRecall: 0.9, falseFlags: 0.05 };
const log = (...a) => console.log(...a);
exitOnSignals("stopping workerd and cleaning up", cleanup);

function hamming(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) for (let x = Number.parseInt(a[i], 16) ^ Number.parseInt(b[i], 16); x; x &= x - 1) d++;
  return d;
}
const share = (n, d) => (d ? n / d : null);
const blurName = (b) => (b ? (b.sigma ? `Gaussian σ ${b.sigma} px` : `shake ${b.len} px`) : "none");
const range = (xs) => (xs.length ? { n: xs.length, min: Math.min(...xs), p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) } : { n: 0 });

/** Every frame of every shoot through renderDerivatives, two isolates at a time while Node draws the next. */
async function fingerprints(urls) {
  const frames = [];
  const busy = new Set();
  let lane = 0;
  for (const seed of SEEDS) {
    const p = plan(seed);
    const t0 = performance.now();
    let current = -1;
    let scene = null;
    for (const [i, f] of p.frames.entries()) {
      const kind = p.scenes[f.scene];
      if (f.scene !== current) [current, scene] = [f.scene, await makeScene(kind.seed, kind)];
      const master = await makeFrame(scene, f.shot);
      while (busy.size >= urls.length) await Promise.race(busy);
      const url = urls[lane++ % urls.length];
      const frame = {
        id: `s${seed}-${String(i).padStart(3, "0")}`,
        seed,
        // Shoots a day apart, so they never meet.
        takenAt: f.takenAt + (seed - SEEDS[0]) * 86_400_000,
        burst: f.burst && `${seed}-${f.burst}`,
        blurred: f.blurred,
        blur: f.shot.blur ?? null,
        kind: kind.clean ? "clean" : kind.bokeh ? "bokeh" : "texture",
        ev: f.shot.ev ?? 0,
        iso: f.shot.iso,
      };
      frames.push(frame);
      const job = fetch(new URL("/derive", url), { method: "POST", body: master })
        .then((r) => r.json())
        .then((d) => Object.assign(frame, d.fingerprint))
        .finally(() => busy.delete(job));
      busy.add(job);
    }
    await Promise.all(busy);
    log(`seed ${seed}: ${p.frames.length} frames of ${p.scenes.length} scenes made and fingerprinted in ${round((performance.now() - t0) / 1000)} s`);
  }
  return frames;
}

function evaluate(frames, placements) {
  const out = { pairs: { tp: 0, fp: 0, fn: 0 }, hamming: { withinBurst: [], nearMiss: [], apart: [] } };
  for (let i = 0; i < frames.length; i++) {
    for (let j = i + 1; j < frames.length; j++) {
      const [a, b] = [frames[i], frames[j]];
      if (a.seed !== b.seed) continue;
      const truth = a.burst !== null && a.burst === b.burst;
      const said = placements[a.id].stackId !== null && placements[a.id].stackId === placements[b.id].stackId;
      if (truth && said) out.pairs.tp++;
      else if (said) out.pairs.fp++;
      else if (truth) out.pairs.fn++;
      const d = hamming(a.phash, b.phash);
      if (truth) out.hamming.withinBurst.push(d);
      else if (Math.abs(a.takenAt - b.takenAt) <= 3000) out.hamming.nearMiss.push(d);
      else out.hamming.apart.push(d);
    }
  }
  const { tp, fp, fn } = out.pairs;
  out.pairs.precision = share(tp, tp + fp);
  out.pairs.recall = share(tp, tp + fn);
  for (const k of Object.keys(out.hamming)) out.hamming[k] = range(out.hamming[k]);
  const soft = (xs) => ({
    n: xs.length,
    flagged: xs.filter((f) => placements[f.id].soft).length,
    share: share(xs.filter((f) => placements[f.id].soft).length, xs.length),
  });
  const inBurst = (f) => f.burst !== null;
  const blurred = frames.filter((f) => f.blurred);
  const sharp = frames.filter((f) => !f.blurred);
  out.soft = {
    blurred: soft(blurred),
    blurredInBursts: soft(blurred.filter(inBurst)),
    blurredSingles: soft(blurred.filter((f) => !inBurst(f))),
    falseFlags: soft(sharp),
    falseFlagsInBursts: soft(sharp.filter(inBurst)),
    falseFlagsSingles: soft(sharp.filter((f) => !inBurst(f))),
  };
  out.byBlur = Object.fromEntries([...new Set(blurred.map((f) => blurName(f.blur)))].map((b) => [b, soft(blurred.filter((f) => blurName(f.blur) === b))]));
  // Sharpness beside the sharpest unblurred frame of the same burst, and on its own.
  const best = {};
  for (const f of frames) if (f.burst && !f.blurred) best[f.burst] = Math.max(best[f.burst] ?? 0, f.sharpness);
  out.sharpness = {
    ratioBlurredInBursts: range(blurred.filter(inBurst).map((f) => f.sharpness / best[f.burst])),
    ratioSharpInBursts: range(sharp.filter(inBurst).map((f) => f.sharpness / best[f.burst])),
    blurred: range(blurred.map((f) => f.sharpness)),
    sharpByKind: Object.fromEntries(["texture", "bokeh", "clean"].map((k) => [k, range(sharp.filter((f) => f.kind === k).map((f) => f.sharpness))])),
  };
  const bursts = new Set(frames.filter(inBurst).map((f) => f.burst));
  const stacks = new Set(
    Object.values(placements)
      .map((p) => p.stackId)
      .filter(Boolean),
  );
  const exact = [...bursts].filter((b) => {
    const ids = new Set(frames.filter((f) => f.burst === b).map((f) => placements[f.id].stackId));
    const [only] = ids;
    return ids.size === 1 && only && frames.filter((f) => placements[f.id].stackId === only).every((f) => f.burst === b);
  }).length;
  out.counts = {
    photos: frames.length,
    bursts: bursts.size,
    framesInBursts: frames.filter(inBurst).length,
    singles: frames.filter((f) => !inBurst(f)).length,
    blurred: blurred.length,
    stacksFound: stacks.size,
    burstsFoundExactly: exact,
  };
  return out;
}

const pct = (x) => (x == null ? "n/a" : `${(100 * x).toFixed(1)}%`);
const r3 = (r) => (r.n ? `${round(r.min, 3)} / ${round(r.p50, 3)} / ${round(r.max, 3)}` : "n/a");

function markdown(rep) {
  const { counts: c, pairs: p, soft: s, hamming: h, sharpness: sh, thresholds: t } = rep.result;
  const L = [
    `### Similar shots benchmark (${rep.date.slice(0, 10)}, ${rep.machine.cpus}× ${rep.machine.cpuModel}, Node ${rep.machine.node}, workerd ${rep.machine.workerd})`,
    "",
    `Shoots (seeds) ${SEEDS.join(", ")}; thresholds tuned on seeds ${TUNED_ON.join(", ")}${SEEDS.some((s) => TUNED_ON.includes(s)) ? " (the tuning run)" : ", not these"}. ${c.photos} photos (${W}×${H} masters): ${c.bursts} bursts of ${c.framesInBursts} frames, ${c.singles} frames alone (near misses, the same scene half a minute later, singles), ${c.blurred} blurred on purpose. Thresholds: link within ${t.LINK_GAP_MS / 1000} s and ≤ ${t.HASH_NEAR} bits; soft below ${t.SOFT_RATIO} × the stack's sharpest or below ${t.SOFT_FLOOR}.`,
    "",
    "| Measure | Result | Target |",
    "|---|---|---|",
    `| Pairwise precision (frame pairs put in one stack that are one burst) | **${p.precision?.toFixed(3)}** (${p.tp} of ${p.tp + p.fp}) | ≥ ${TARGETS.precision} |`,
    `| Pairwise recall (frame pairs of one burst put in one stack) | **${p.recall?.toFixed(3)}** (${p.tp} of ${p.tp + p.fn}) | ≥ ${TARGETS.recall} |`,
    `| Bursts found exactly (one stack, nothing else in it) | ${c.burstsFoundExactly} of ${c.bursts}; ${c.stacksFound} stacks in all | |`,
    `| Blurred frames flagged soft | **${pct(s.blurred.share)}** (${s.blurred.flagged} of ${s.blurred.n}) | ≥ ${pct(TARGETS.softRecall)} |`,
    `| … in a burst (against its sharpest frame) | ${pct(s.blurredInBursts.share)} (${s.blurredInBursts.flagged} of ${s.blurredInBursts.n}) | |`,
    `| … alone (the absolute floor only) | ${pct(s.blurredSingles.share)} (${s.blurredSingles.flagged} of ${s.blurredSingles.n}) | |`,
    `| Sharp frames flagged soft (false flags) | **${pct(s.falseFlags.share)}** (${s.falseFlags.flagged} of ${s.falseFlags.n}) | ≤ ${pct(TARGETS.falseFlags)} |`,
    `| … in a burst / alone | ${pct(s.falseFlagsInBursts.share)} (${s.falseFlagsInBursts.flagged} of ${s.falseFlagsInBursts.n}) / ${pct(s.falseFlagsSingles.share)} (${s.falseFlagsSingles.flagged} of ${s.falseFlagsSingles.n}) | |`,
    "",
    "| Blur (master px; ×3 at 24 MP full size) | Flagged soft |",
    "|---|---|",
    ...Object.entries(rep.result.byBlur).map(([b, x]) => `| ${b} | ${x.flagged} of ${x.n} |`),
    "",
    "| Distribution (min / median / max) | Value |",
    "|---|---|",
    `| Hamming distance, frame pairs of one burst | ${h.withinBurst.min} / ${h.withinBurst.p50} / ${h.withinBurst.max} (p95 ${h.withinBurst.p95}) |`,
    `| Hamming distance, other pairs ≤ 3 s apart (near misses) | ${h.nearMiss.min} / ${h.nearMiss.p50} / ${h.nearMiss.max} |`,
    `| Hamming distance, all other pairs | ${h.apart.min} / ${h.apart.p50} / ${h.apart.max} |`,
    `| Sharpness ÷ burst's sharpest, blurred frames | ${r3(sh.ratioBlurredInBursts)} |`,
    `| Sharpness ÷ burst's sharpest, sharp frames (exposure steps, noise, movement) | ${r3(sh.ratioSharpInBursts)} |`,
    `| Sharpness, blurred frames | ${r3(sh.blurred)} |`,
    ...Object.entries(sh.sharpByKind).map(([k, r]) => `| Sharpness, sharp frames, ${k} scenes | ${r3(r)} |`),
    "",
    "| Target | Result |",
    "|---|---|",
    ...rep.targets.map((x) => `| ${x.name} | ${x.pass ? "PASS" : "FAIL"} |`),
    "",
    "Notes:",
    ...rep.notes.map((n) => `- ${n}`),
  ];
  return `${L.join("\n")}\n\nTotal bench time ${rep.durationS} s.\n`;
}

async function main() {
  const started = performance.now();
  const tmp = tempDir("loupe-stacks-bench-");
  log(`stacks bench: seeds ${SEEDS.join(", ")}; bundling tests/bench/worker.ts with wrangler…`);
  const script = await bundleWorker(path.join(tmp, "bundle"));
  const isolates = [await startWorkerd(script), await startWorkerd(script)];
  let frames;
  let stacked;
  try {
    frames = await fingerprints(isolates.map((w) => w.url));
    const body = JSON.stringify(frames.map(({ id, takenAt, phash, sharpness }) => ({ id, takenAt, phash, sharpness })));
    stacked = await (await fetch(new URL("/stack", isolates[0].url), { method: "POST", body })).json();
  } finally {
    await Promise.allSettled(isolates.map((w) => w.stop()));
  }
  const result = { ...evaluate(frames, stacked.placements), thresholds: stacked.thresholds };
  const { pairs, soft } = result;
  const targets = [
    { name: `Pairwise precision ≥ ${TARGETS.precision}`, pass: pairs.precision >= TARGETS.precision },
    { name: `Pairwise recall ≥ ${TARGETS.recall}`, pass: pairs.recall >= TARGETS.recall },
    { name: `Blurred frames flagged soft ≥ ${TARGETS.softRecall}`, pass: soft.blurred.share >= TARGETS.softRecall },
    { name: `Sharp frames flagged soft ≤ ${TARGETS.falseFlags}`, pass: soft.falseFlags.share <= TARGETS.falseFlags },
  ];
  const notes = [
    "Photos are made in Node with sharp (tests/bench/stacks/scenes.mjs): a scene is a background of tests/bench/photos.mjs texture (or, for 'clean' scenes, a studio-like backdrop of flat shapes with no texture; for 'bokeh' scenes, the background blurred as by a wide aperture) with a subject (another such picture in an ellipse) in front. A burst: 3–8 frames 0.2–1.5 s apart, the camera drifting up to ~2% of the width, the subject moving ±40 px, fresh sensor noise every frame (±12, ±4 for clean scenes, ±24 for one dark burst in seven), every fourth burst bracketed −1/0/+1 EV; every third has one or two frames blurred. Near misses: seconds after a burst, the same place panned by a third of the frame or zoomed 1.8×, then another scene; some scenes come back 30 s later (alike, not within seconds). Singles: sharp of every kind, and a third blurred. Capture times have whole seconds, as EXIF does.",
    "Each master (2048×1365 JPEG q90, what the pipeline decodes) is sent to workerd (Miniflare on the wrangler-bundled tests/bench/worker.ts, two isolates): POST /derive runs the product's renderDerivatives and answers the fingerprint it computed on the thumbnail and preview rasters (the hash and the sharpness on the 600 px thumbnail, capped by the sharpest edges of the 1600 px preview); then POST /stack runs the product's stackFrames on every frame (id, capture time, hash, sharpness). The pipeline's restack does the same clustering on a ±60 s window of the gallery read from D1 (tested in tests/images/similarity.test.ts).",
    "Pairwise precision/recall: over all pairs of frames of one shoot, a pair is positive when both frames are in the same planned burst; predicted positive when both are in the same stack. Blurred frames flagged soft: every frame blurred on purpose, in a burst or alone; false flags: every other frame flagged soft.",
    `The thresholds (worker/domain/photos/stacks.ts) and the sharpness measure's parameters (worker/images/similarity.ts) were chosen on shoots ${TUNED_ON.join(", ")}; run with BENCH_SEEDS=${TUNED_ON.join(",")} to see those. These photos are synthetic: real bursts (people turning, flash, zoom) and real scenes (fog, night, smooth skin, heavy noise) vary more, so treat the absolute floor for frames alone as the weakest part. The plan blurs singles of 'clean' scenes only (every third single, and those fall on the studio-like scenes), so the frames-alone row says nothing of blurred textures alone.`,
  ];
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    config: { seeds: SEEDS, tunedOn: TUNED_ON },
    result,
    targets,
    notes,
    frames,
    durationS: 0,
  };
  report.durationS = round((performance.now() - started) / 1000);
  await writeResults("stacks", JSON.stringify(report, roundNumbers(4), 2), markdown(report));
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  console.error("stacks bench failed:", e?.stack ?? e);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
