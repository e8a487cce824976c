// `npm run bench:zip`: "Download all" (issue 15) inside workerd: CPU ms per GB zipped and the
// memory it holds, beside a reference in the same run, as ratios.
//   1. Loupe runs as `npm start` does (scripts/start.mjs → wrangler dev → workerd, fresh state dir,
//      from a snapshot of the working tree), signed in as the demo studio. One public gallery with
//      downloads up to original size grows through the sizes (BENCH_ZIP_GB, in GB of originals):
//      originals of 20–25 MiB (the fixture JPEG padded with random comment segments), uploaded the
//      dashboard's way (master, multipart original, complete); every photo ready before measuring.
//   2. At each size, while nothing else is sent to Loupe:
//        zip        POST /g/:id/zip {scope: "gallery", size: "original"}, then GET every part's url
//                   (client-zip over R2, file by file), streamed and thrown away here, its central
//                   directory parsed from the last bytes and checked against the uploads.
//        reference  the same originals through the single-photo download: a link per photo (POST
//                   /media/:g/:p/download {size: "original"}), then each GET /dl/… one after another:
//                   the same R2 reads with no zipping.
//      Measured across the GETs: CPU ticks of the workerd running Loupe (per GB), wall time and MB/s,
//      that process's RSS every 50 ms and its VmHWM (peak − idle), and the Loupe isolate's V8 heap
//      through the inspector. Reported: ratios zip / reference, and the part size that fits a
//      Worker's 30 s of CPU against PART_BYTES (worker/domain/downloads/zip-plan.ts).
// Writes tests/bench/results/zip.json and zip.md and prints the tables.
//
// Before the sizes, a warm-up gallery (BENCH_ZIP_WARMUP_GB) is zipped and fetched once each way,
// reported apart (the first zip compiles client-zip and grows the heap), and zipped once more under
// V8's sampling profiler (BENCH_ZIP_PROFILE=1) to show where the zip's time goes.
// At one size (BENCH_ZIP_LIVE_AT_GB, the middle one), the gallery is zipped once more with the
// client pausing every BENCH_ZIP_LIVE_EVERY_GB and a GC forced at each pause: the heap the zip
// keeps alive as it goes.
// Last, with Loupe stopped, a what-if outside Loupe (zip/whatif.mjs): the same client-zip over
// miniflare's R2 in a bare worker, as Loupe calls it and with each body read in 1 MiB BYOB chunks.
// Knobs (env): BENCH_ZIP_GB=0.5,1,2  BENCH_ZIP_WARMUP_GB=0.1  BENCH_ZIP_PROFILE=1
// BENCH_ZIP_LIVE_EVERY_GB=0.25 (0: no probe)  BENCH_ZIP_LIVE_AT_GB=1  BENCH_ZIP_WHATIF_GB=0.3 (0: none)
// BENCH_ZIP_WHATIF_LAYOUTS=single (or single,multipart)  BENCH_ZIP_REPS=1 (passes per size; the order of zip and
// reference alternates)  BENCH_ZIP_PHOTO_MIB=20,25  BENCH_ZIP_VIA=direct|proxy (downloads straight
// to Loupe's workerd, or through wrangler dev's public port)  BENCH_ZIP_HEAP=1 (0: no inspector)
// BENCH_ZIP_SAMPLE_MS=50  BENCH_ZIP_UPLOAD_LANES=2  BENCH_ZIP_SNAPSHOT=1
import { devProcesses, devWorkerds, startLoupe, userEntryPort } from "./harness/loupe.mjs";
import { round } from "./harness/numbers.mjs";
import { phase, phases, runSeconds, setPhase, startRun } from "./harness/phases.mjs";
import { selfTicks } from "./harness/proc-stats.mjs";
import { exitOnSignals, stopChild } from "./harness/processes.mjs";
import { devVersions, machine, roundNumbers, version, writeResults } from "./harness/report.mjs";
import {
  call,
  GB,
  HEAP,
  LIVE_AT_GB,
  LIVE_EVERY_GB,
  PHOTO_MAX_MIB,
  PHOTO_MIN_MIB,
  PROFILE,
  REPS,
  SAMPLE_MS,
  SIZES_GB,
  SNAPSHOT,
  UPLOAD_LANES,
  VIA,
  WARMUP_GB,
  WHATIF_GB,
  WHATIF_LAYOUTS,
} from "./zip/config.mjs";
import { referenceDownload, zipDownload, zipLiveHeap } from "./zip/downloads.mjs";
import { connectHeap } from "./zip/inspector.mjs";
import { caveatNotes, markdown, methodNotes, summarizeSize, verdictNotes } from "./zip/report.mjs";
import { growGallery, newGallery, waitReady } from "./zip/seed.mjs";
import { whatIf } from "./zip/whatif.mjs";

startRun("starting Loupe");
exitOnSignals("stopping Loupe");

const gbText = (b) => `${(b / GB).toFixed(2)} GB`;

function line(kind, r) {
  const v = r.verified.ok ? "verified" : `NOT VERIFIED: ${r.verified.problems.join("; ")}`;
  const heap = r.heap
    ? `, heap ${(r.heap.idle / 2 ** 20).toFixed(1)} → ${(r.heap.peak / 2 ** 20).toFixed(1)} MiB (committed ${(r.heap.peakTotal / 2 ** 20).toFixed(1)}, ${r.heap.samplesDuring} samples during)`
    : "";
  return `    ${kind.padEnd(14)} ${gbText(r.dataBytes)} in ${r.seconds.toFixed(1)} s (${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s): workerd ${r.cpuMs.loupe} CPU ms [proxy ${r.cpuMs.proxy}, wrangler ${r.cpuMs.wrangler}, bench ${r.cpuMs.bench}] (${(r.cpuMs.loupe / (r.dataBytes / GB)).toFixed(0)} ms/GB), RSS +${((r.rss.hwmDelta ?? r.rss.peakDelta) / 2 ** 20).toFixed(1)} MiB${heap}; ${v}`;
}

async function main() {
  console.log(`zip bench: gallery sizes ${SIZES_GB.join(", ")} GB, originals ${PHOTO_MIN_MIB}–${PHOTO_MAX_MIB} MiB, ${REPS} pass(es) each, downloads ${VIA}`);
  const L = await startLoupe({ name: "zip", call, snapshot: SNAPSHOT });
  const w = devWorkerds(L.child.pid, L.port);
  L.dlPort = VIA === "direct" ? await userEntryPort(call, w.user, L.appHost) : L.port;
  // Setting up (uploads, plans, links) goes the same way as the downloads; it is not measured.
  L.apiPort = L.dlPort;
  const pids = { user: w.user, proxy: w.proxy, wrangler: devProcesses(L.child.pid, L.port).wrangler, ticks: () => selfTicks(w.user) };
  console.log(`  Loupe up on port ${L.port} (${runSeconds().toFixed(0)} s); its workerd is pid ${w.user}; downloads go to port ${L.dlPort}`);
  const { heap, why: heapWhy } = HEAP ? await connectHeap(w.proxy) : { heap: null, why: "BENCH_ZIP_HEAP=0" };
  if (HEAP && !heap) console.log(`  !! no isolate heap figures: ${heapWhy}`);

  // Warm-up on a small gallery of its own, reported apart: the first zip in the process compiles
  // client-zip's code and grows the isolate's heap, once; then the profile of one zip.
  setPhase("warm-up");
  const warm = await newGallery(L, "Zip bench warm-up");
  const warmGrown = await growGallery(L, warm.id, [], WARMUP_GB * GB);
  await waitReady(L, warm.id, warmGrown.added.length);
  const warmup = [];
  for (const kind of ["zip", "reference"]) {
    const r = kind === "zip" ? await zipDownload(L, pids, heap, warm.id, warmGrown.added) : await referenceDownload(L, pids, heap, warm.id, warmGrown.added);
    console.log(line(`warm ${kind}`, r));
    warmup.push(r);
  }
  let profile = null;
  if (PROFILE && heap) {
    setPhase("profiling a zip");
    const r = await zipDownload(L, pids, null, warm.id, warmGrown.added, { beforeGets: () => heap.profileStart() });
    profile = { ...(await heap.profileStop()), cpuMs: r.cpuMs, dataBytes: r.dataBytes, seconds: r.seconds };
    console.log(
      `  profiled zip: ${profile.functions
        .slice(0, 6)
        .map((f) => `${f.fn} ${f.ms.toFixed(0)} ms`)
        .join(", ")}`,
    );
  }

  setPhase("creating the gallery");
  const gallery = await newGallery(L, "Zip bench");
  const photos = [];
  const sizes = [];
  let liveHeap = null;
  for (const gb of SIZES_GB) {
    setPhase(`${gb} GB: uploading`);
    const grown = await growGallery(L, gallery.id, photos, gb * GB);
    photos.push(...grown.added);
    console.log(
      `  ${gb} GB: uploaded ${grown.added.length} more originals (${gbText(grown.bytes)}) in ${grown.seconds.toFixed(0)} s (${(grown.bytes / 1e6 / grown.seconds).toFixed(0)} MB/s); waiting until ready…`,
    );
    setPhase(`${gb} GB: processing`);
    const readySeconds = await waitReady(L, gallery.id, photos.length);
    const snapshot = photos.slice();
    const bytes = snapshot.reduce((n, p) => n + p.size, 0);
    const runs = [];
    for (let rep = 0; rep < REPS; rep++) {
      const order = rep % 2 === 0 ? ["reference", "zip"] : ["zip", "reference"];
      for (const kind of order) {
        setPhase(`${gb} GB: ${kind}${REPS > 1 ? ` (pass ${rep + 1})` : ""}`);
        const r = kind === "zip" ? await zipDownload(L, pids, heap, gallery.id, snapshot) : await referenceDownload(L, pids, heap, gallery.id, snapshot);
        r.pass = rep + 1;
        console.log(line(kind, r));
        runs.push(r);
      }
    }
    const s = {
      gb,
      photos: snapshot.length,
      bytes,
      zipParts: runs.find((r) => r.kind === "zip").plan.parts,
      upload: { photos: grown.added.length, bytes: grown.bytes, seconds: grown.seconds },
      readySeconds,
      runs,
    };
    s.summary = summarizeSize(s);
    sizes.push(s);
    if (heap && LIVE_EVERY_GB > 0 && gb === LIVE_AT_GB) {
      setPhase(`${gb} GB: live heap`);
      liveHeap = await zipLiveHeap(L, heap, gallery.id, LIVE_EVERY_GB * GB);
      liveHeap.gb = gb;
      console.log(
        `  live heap during a zip of ${gbText(liveHeap.bytes)} (GC forced every ${LIVE_EVERY_GB} GB): ${liveHeap.points.map((p) => (p.live / 2 ** 20).toFixed(1)).join(" → ")} MiB, ${(liveHeap.bytesPerGB / 2 ** 20).toFixed(1)} MiB per GB; ${(liveHeap.after / 2 ** 20).toFixed(1)} MiB after`,
      );
    }
  }
  heap?.close();
  setPhase(null);
  await stopChild(L.child, 5000);
  let whatif = null;
  if (WHATIF_GB > 0) {
    setPhase("what-if outside Loupe");
    console.log(`  what-if: client-zip over miniflare's R2 in a bare worker, ${WHATIF_GB} GB…`);
    whatif = await whatIf(WHATIF_GB);
    setPhase(null);
  }

  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine({ ...devVersions(), clientZip: version("client-zip") }),
    via: VIA,
    config: {
      sizesGB: SIZES_GB,
      warmupGB: WARMUP_GB,
      profile: PROFILE,
      liveEveryGB: LIVE_EVERY_GB,
      liveAtGB: LIVE_AT_GB,
      whatifLayouts: WHATIF_LAYOUTS,
      whatifGB: WHATIF_GB,
      reps: REPS,
      photoMiB: [PHOTO_MIN_MIB, PHOTO_MAX_MIB],
      sampleMs: SAMPLE_MS,
      heap: HEAP,
      uploadLanes: UPLOAD_LANES,
    },
    tree: L.tree,
    heapWhy: heap ? null : heapWhy,
    warmup: { photos: warmGrown.added.length, bytes: warmGrown.bytes, runs: warmup },
    profile,
    sizes,
    liveHeap,
    whatif,
    phases,
    reloads: L.reloads(),
  };
  result.verdict = verdictNotes(result);
  result.method = methodNotes(result);
  result.caveats = caveatNotes(result);
  result.totalSeconds = round(runSeconds(), 1);
  await writeResults("zip", JSON.stringify(result, roundNumbers(3), 2), markdown(result));
  if (!sizes.every((s) => s.summary.zip.verified && s.summary.reference.verified)) throw new Error("a download did not verify (see zip.json)");
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`zip bench failed (${phase()}): ${err.stack ?? err}`);
    process.exit(1);
  },
);
