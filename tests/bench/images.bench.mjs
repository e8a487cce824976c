// `npm run bench:images`: the WASM step of the image pipeline (renderDerivatives inside workerd)
// against sharp doing the whole original-to-derivatives job natively, on the same photos.
// Writes tests/bench/results/images.json and images.md and prints the table.
//
// Knobs (env): BENCH_SIZES=12,24,45  BENCH_PHOTOS=3  BENCH_RUNS=6 (runs per photo; samples per
// size = photos × runs)  BENCH_THROUGHPUT_JOBS=16 (jobs per size for the 2-concurrent runs)
// BENCH_WORST=1 (the worst admissible inputs: blast radius in one isolate; 0 skips it).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { round } from "./harness/numbers.mjs";
import { exitOnSignals, tempDir } from "./harness/processes.mjs";
import { roundNumbers, writeResults } from "./harness/report.mjs";
import { benchWorst } from "./images/blast.mjs";
import { FINGERPRINT_REPS, MARK, mib, PHOTOS, RUNS, SIZES, THROUGHPUT_JOBS, WARMUP, WORST } from "./images/config.mjs";
import { benchRotated, benchSharp, benchWasm, benchWasmTwoIsolates } from "./images/measure.mjs";
import { machine, markdown, notes as reportNotes, targets as reportTargets } from "./images/report.mjs";
import { bundleWorker, cleanup } from "./images/workerd.mjs";
import { makeMaster, makePhoto } from "./photos.mjs";

const log = (...a) => console.log(...a);
exitOnSignals("stopping workerd and cleaning up", cleanup);

async function main() {
  const started = performance.now();
  const tmpDir = tempDir("loupe-image-bench-");
  log(`image bench: sizes ${SIZES.map((s) => `${s.mp} MP`).join(", ")}, ${PHOTOS} photos each, ${RUNS} runs per photo; temp dir ${tmpDir}`);

  log("bundling tests/bench/worker.ts with wrangler…");
  const script = await bundleWorker(path.join(tmpDir, "bundle"));

  const sizes = [];
  for (const size of SIZES) {
    const t0 = performance.now();
    const paths = [],
      masters = [];
    let origBytes = 0,
      masterBytes = 0;
    for (let p = 0; p < PHOTOS; p++) {
      const original = await makePhoto(size.width, size.height, size.mp * 100 + p + 1);
      const file = path.join(tmpDir, `photo-${size.mp}mp-${p + 1}.jpg`);
      await writeFile(file, original);
      const master = await makeMaster(original);
      paths.push(file);
      masters.push(master);
      origBytes += original.length;
      masterBytes += master.length;
    }
    log(
      `${size.mp} MP: ${PHOTOS} photos generated, avg ${mib(origBytes / PHOTOS)} MiB original, ${mib(masterBytes / PHOTOS)} MiB master (${round((performance.now() - t0) / 1000)} s)`,
    );

    const sharpRes = await benchSharp(paths);
    log(`  sharp whole job: median ${sharpRes.wholeMs.median} ms, p95 ${sharpRes.wholeMs.p95} ms, ${sharpRes.twoJobs.photosPerMin} photos/min with 2 jobs`);
    const wasm = await benchWasm(script, masters);
    log(
      `  WASM step: median ${wasm.stepMs.median} ms, p95 ${wasm.stepMs.p95} ms (no-op round trip ${wasm.noopRoundTripMs.median} ms subtracted); 1 isolate ×2 requests ${wasm.oneIsolate2Concurrent.photosPerMin} photos/min`,
    );
    log(
      `  similar-shots fingerprint: median ${wasm.fingerprint.ms.median} ms per photo = ${round((100 * wasm.fingerprint.ms.median) / wasm.stepMs.median, 2)}% of the WASM step`,
    );
    const two = await benchWasmTwoIsolates(script, masters);
    log(
      `  WASM 2 isolates: ${two.photosPerMin} photos/min; peak isolate memory ${mib(wasm.memory.isolatePeakBytes)} MiB (WASM ${mib(wasm.memory.wasmPeakBytes)} + JS ${mib(wasm.memory.jsPeakBytes)})`,
    );
    sizes.push({
      mp: size.mp,
      width: size.width,
      height: size.height,
      photos: PHOTOS,
      originalAvgBytes: Math.round(origBytes / PHOTOS),
      masterAvgBytes: Math.round(masterBytes / PHOTOS),
      sharp: sharpRes,
      wasm,
      wasmTwoIsolates: two,
      fingerprintShare: wasm.fingerprint.ms.median / wasm.stepMs.median,
      ratio: {
        median: wasm.stepMs.median / sharpRes.wholeMs.median,
        p95: wasm.stepMs.p95 / sharpRes.wholeMs.p95,
        throughput: two.photosPerMin / sharpRes.twoJobs.photosPerMin,
      },
      _masters: masters,
    });
  }

  const mid = sizes.find((s) => s.mp === 24) ?? sizes[0];
  const rotatedRes = await benchRotated(script, mid._masters[0]);
  const rotated = { mp: mid.mp, ...rotatedRes };
  log(`  orientation 6 (${mid.mp} MP master): peak isolate memory ${mib(rotated.isolatePeakBytes)} MiB`);
  let worst = null;
  if (WORST) {
    log(`worst admissible inputs: alone, as a batch of 4 in one isolate, and before ordinary ${mid.mp} MP masters…`);
    worst = await benchWorst(script, mid._masters, log);
  }
  for (const s of sizes) delete s._masters;

  const targets = reportTargets(sizes, rotated, worst);
  const { insideNote, notes } = reportNotes(sizes);

  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    config: {
      photosPerSize: PHOTOS,
      runsPerPhoto: RUNS,
      samplesPerSize: PHOTOS * RUNS,
      warmup: WARMUP,
      throughputJobs: THROUGHPUT_JOBS,
      watermark: MARK,
      fingerprintReps: FINGERPRINT_REPS,
    },
    memoryApisInsideWorkerd: insideNote,
    sizes,
    rotated,
    worst,
    targets,
    notes,
    durationS: 0,
  };
  report.durationS = round((performance.now() - started) / 1000);
  const md = `${markdown(report)}\n\nTotal bench time ${report.durationS} s.\n`;
  await writeResults("images", JSON.stringify(report, roundNumbers(3), 2), md);
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  console.error("image bench failed:", e?.stack ?? e);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
