// bench:zip's report: per gallery size, the zip beside its reference (the same originals one by
// one through the single-photo download), as ratios; then what a part may hold within a Worker's
// CPU limit against PART_BYTES; then how it was measured and what to keep in mind.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fmt, round } from "../harness/numbers.mjs";
import { phaseCpu } from "../harness/phases.mjs";
import { root } from "../harness/processes.mjs";
import { closing } from "../harness/report.mjs";
import { CPU_LIMIT_MS, GB, GiB, HEAP, MiB, PART_BYTES, PART_PHOTOS, PHOTO_MAX_MIB, PHOTO_MIN_MIB, REPS, SAMPLE_MS } from "./config.mjs";
import { slopePerGB } from "./whatif.mjs";

const median = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const max = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
};

/** Medians over the passes of one kind of download at one size (peaks: the largest). */
function summarize(runs) {
  const gb = (r) => r.dataBytes / GB;
  return {
    passes: runs.length,
    cpuMsPerGB: median(runs.map((r) => r.cpuMs.loupe / gb(r))),
    cpuMs: median(runs.map((r) => r.cpuMs.loupe)),
    proxyCpuMsPerGB: median(runs.map((r) => (r.cpuMs.proxy == null ? null : r.cpuMs.proxy / gb(r)))),
    benchCpuMsPerGB: median(runs.map((r) => r.cpuMs.bench / gb(r))),
    seconds: median(runs.map((r) => r.seconds)),
    mbPerSecond: median(runs.map((r) => r.bytes / 1e6 / r.seconds)),
    otherCores: max(runs.map((r) => r.cores.others)),
    rssIdle: median(runs.map((r) => r.rss.idle)),
    rssPeakDelta: max(runs.map((r) => r.rss.peakDelta)),
    rssHwmDelta: max(runs.map((r) => r.rss.hwmDelta)),
    heapIdle: median(runs.map((r) => r.heap?.idle)),
    heapPeak: max(runs.map((r) => r.heap?.peak)),
    heapIdleTotal: median(runs.map((r) => r.heap?.idleTotal)),
    heapPeakTotal: max(runs.map((r) => r.heap?.peakTotal)),
    heapSamplesDuring: median(runs.map((r) => r.heap?.samplesDuring)),
    bytes: runs[0]?.bytes ?? null,
    requests: runs[0]?.requests ?? null,
    verified: runs.every((r) => r.verified.ok),
  };
}

export function summarizeSize(s) {
  const zip = summarize(s.runs.filter((r) => r.kind === "zip"));
  const ref = summarize(s.runs.filter((r) => r.kind === "reference"));
  const extra = zip.cpuMsPerGB - ref.cpuMsPerGB;
  const bytesIn = (msPerGB) => (msPerGB > 0 ? (CPU_LIMIT_MS / msPerGB) * GB : null);
  return {
    zip,
    reference: ref,
    ratio: {
      cpu: zip.cpuMsPerGB / ref.cpuMsPerGB,
      wall: zip.seconds / ref.seconds,
      throughput: zip.mbPerSecond / ref.mbPerSecond,
    },
    zipExtraCpuMsPerGB: extra,
    // A part's bytes within the CPU limit: counting all of the workerd's CPU for the zip (an upper
    // bound of the Worker's: it includes the local R2 simulator), and only what zipping added.
    partWithinCpuLimit: {
      allCpuBytes: bytesIn(zip.cpuMsPerGB),
      zipOnlyBytes: bytesIn(extra),
      allCpuVsPartBytes: bytesIn(zip.cpuMsPerGB) / PART_BYTES,
      zipOnlyVsPartBytes: bytesIn(extra) / PART_BYTES,
      partBytesCpuMs: { allCpu: (zip.cpuMsPerGB * PART_BYTES) / GB, zipOnly: (extra * PART_BYTES) / GB },
    },
  };
}

const gbLabel = (gb) => String(round(gb, 2));
const mib = (b, d = 1) => fmt(b == null ? null : b / MiB, d);
const gbs = (b, d = 2) => fmt(b == null ? null : b / GB, d);
const x = (r, d = 2) => (r == null || !Number.isFinite(r) ? "n/a" : `${round(r, d)}×`);
// Zipping's own share (zip − reference) can come out at or below zero: the zip made one request
// where the reference made one per photo, and this run's noise is larger than the CRC-32 costs.
const within = (v, d = 1) => (v == null ? "any size (zip ≤ reference)" : `${gbs(v, d)} GB`);

export function markdown(r) {
  const L = [];
  L.push(
    `### Zip benchmark: "Download all" of originals (${r.date}, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, workerd ${r.machine.workerd} via wrangler ${r.machine.wrangler} dev, client-zip ${r.machine.clientZip})`,
  );
  L.push("");
  L.push(
    `Target (issue 15): CPU ms per GB zipped, and the isolate's memory flat and well under 128 MB at any gallery size. Reference: the same originals fetched one by one through the single-photo download (\`POST /media/:g/:p/download\` → \`GET /dl/…\`): the same R2 reads, no zipping. Downloads ${r.via === "direct" ? "straight to the workerd running Loupe" : "through wrangler dev's proxy"}; ${REPS} pass${REPS > 1 ? "es (medians; peaks are the largest)" : ""} per size. GB = 10^9 bytes of originals, MB/s = 10^6 bytes of the response a second.`,
  );
  L.push("");
  for (const s of r.sizes) {
    const { zip, reference: ref, ratio } = s.summary;
    L.push(`#### ${gbLabel(s.gb)} GB gallery: ${s.photos} photos, ${gbs(s.bytes, 3)} GB of originals, ${s.zipParts} zip part${s.zipParts > 1 ? "s" : ""}`);
    L.push("");
    L.push("| | zip | reference (one by one) | zip / reference |");
    L.push("|---|---|---|---|");
    const row = (label, z, rf, q) => L.push(`| ${label} | ${z} | ${rf} | ${q} |`);
    row("**Loupe workerd CPU ms per GB**", `**${fmt(zip.cpuMsPerGB)}**`, `**${fmt(ref.cpuMsPerGB)}**`, `**${x(ratio.cpu)}**`);
    row("CPU ms in all", fmt(zip.cpuMs), fmt(ref.cpuMs), "");
    row("wall s", fmt(zip.seconds, 1), fmt(ref.seconds, 1), x(ratio.wall));
    row("throughput MB/s", fmt(zip.mbPerSecond), fmt(ref.mbPerSecond), x(ratio.throughput));
    row("requests (GETs) / bytes streamed", `${zip.requests} / ${gbs(zip.bytes, 3)} GB`, `${ref.requests} / ${gbs(ref.bytes, 3)} GB`, "");
    row(
      `workerd RSS: peak − idle (sampled every ${SAMPLE_MS} ms) / VmHWM − idle, MiB`,
      `${mib(zip.rssPeakDelta)} / ${mib(zip.rssHwmDelta)}`,
      `${mib(ref.rssPeakDelta)} / ${mib(ref.rssHwmDelta)}`,
      "",
    );
    row("workerd RSS idle before, MiB", mib(zip.rssIdle, 0), mib(ref.rssIdle, 0), "");
    if (HEAP && zip.heapIdle != null) {
      row(
        "**Loupe isolate: V8 heap used + ArrayBuffers, idle → largest seen (during or right after), MiB**",
        `**${mib(zip.heapIdle)} → ${mib(zip.heapPeak)}**`,
        `**${mib(ref.heapIdle)} → ${mib(ref.heapPeak)}**`,
        "",
      );
      row(
        "Loupe isolate: V8 committed heap (totalSize), idle → largest, MiB",
        `${mib(zip.heapIdleTotal)} → ${mib(zip.heapPeakTotal)}`,
        `${mib(ref.heapIdleTotal)} → ${mib(ref.heapPeakTotal)}`,
        "",
      );
      row("heap answers while the download ran (median)", fmt(zip.heapSamplesDuring), fmt(ref.heapSamplesDuring), "");
    }
    if (r.via === "proxy") row("wrangler proxy workerd CPU ms per GB", fmt(zip.proxyCpuMsPerGB), fmt(ref.proxyCpuMsPerGB), "");
    row("this client's CPU ms per GB (reads, discards; CRC-32 on the reference)", fmt(zip.benchCpuMsPerGB), fmt(ref.benchCpuMsPerGB), "");
    row("other processes' cores during the download (max)", fmt(zip.otherCores, 2), fmt(ref.otherCores, 2), "");
    row("verified", zip.verified ? "✓ entries, sizes, CRC-32s" : "✗", ref.verified ? "✓ sizes, CRC-32s" : "✗", "");
    L.push("");
  }
  liveHeapSection(L, r);
  warmupSection(L, r);
  profileSection(L, r);
  whatIfSection(L, r);
  L.push("#### A part within a Worker's CPU limit");
  L.push("");
  L.push(
    `A Worker's HTTP request may spend ${CPU_LIMIT_MS / 1000} s of CPU by default (Workers Standard; configurable up to 5 min). PART_BYTES in worker/domain/downloads/zip-plan.ts is ${partLabel} (${gbs(PART_BYTES, 3)} GB; also at most ${PART_PHOTOS} photos). "All workerd CPU" charges the zip with everything this workerd did (the local R2 simulator's reads and the response piping included, which in production are not the Worker's): a floor for what fits. "Zipping only" is zip − reference per GB: CRC-32 and framing in JS, the Worker's own share.`,
  );
  L.push("");
  L.push(
    `| gallery | zip CPU ms/GB (all workerd) | of which zipping (zip − reference) | a ${partLabel} part costs CPU s (all / zipping) | part that fits 30 s: all workerd | zipping only | PART_BYTES margin (all / zipping) |`,
  );
  L.push("|---|---|---|---|---|---|---|");
  for (const s of r.sizes) {
    const p = s.summary.partWithinCpuLimit;
    L.push(
      `| ${gbLabel(s.gb)} GB | ${fmt(s.summary.zip.cpuMsPerGB)} | ${fmt(s.summary.zipExtraCpuMsPerGB)} | ${fmt(p.partBytesCpuMs.allCpu / 1000, 1)} / ${fmt(p.partBytesCpuMs.zipOnly / 1000, 1)} | ${within(p.allCpuBytes)} | ${within(p.zipOnlyBytes)} | ${x(p.allCpuVsPartBytes, 1)} / ${p.zipOnlyBytes == null ? "—" : x(p.zipOnlyVsPartBytes, 1)} |`,
    );
  }
  const wi = r.whatif?.layouts?.single;
  if (wi) {
    const fast = wi["byob-1mib"].cpuMsPerGB - wi.reference.cpuMsPerGB;
    const slow = wi["as-loupe"].cpuMsPerGB - wi.reference.cpuMsPerGB;
    L.push(
      "",
      `By the what-if, zipping over 1 MiB reads costs ${fmt(fast)} CPU ms per GB beyond the reference (${fmt(slow)} over each body as it comes): a ${partLabel} part would cost ${fmt((fast * PART_BYTES) / GB / 1000, 1)} s of CPU for its zipping, and the part that fits 30 s would be ${gbs(fast > 0 ? (CPU_LIMIT_MS / fast) * GB : null, 1)} GB.`,
    );
  }
  L.push("");
  L.push(`**Verdict:** ${r.verdict.join(" ")}`);
  return closing(L, r, r.totalSeconds);
}

/** How far the live heap moves once the first chunks are in flight (every sample after the first). */
const drift = (h) => {
  const later = h.points.slice(1).map((p) => p.live);
  return later.length ? Math.max(...later) - Math.min(...later) : 0;
};
/** Growth per GB once streaming (least squares over the samples after the first): the trend, not the chunks in flight. */
const steadySlope = (h) => slopePerGB(h.points.slice(1).filter((p) => p.bytes < 0.95 * h.bytes));
/** Flat: once streaming, the live heap grows by under 1 MiB (one chunk) per GB sent. */
const flat = (h) => h.points.length > 3 && steadySlope(h) < MiB;
const partLabel = PART_BYTES % GiB === 0 ? `${PART_BYTES / GiB} GiB` : `${PART_BYTES / MiB} MiB`;

function liveHeapSection(L, r) {
  const h = r.liveHeap;
  if (!h) return;
  L.push(`#### The heap a zip keeps alive as it streams (the ${gbLabel(h.gb)} GB gallery once more; GC forced every ${r.config.liveEveryGB} GB)`);
  L.push("");
  L.push(`| streamed, GB | ${h.points.map((p) => gbs(p.bytes, 2)).join(" | ")} | after |`);
  L.push(`|---|${h.points.map(() => "---").join("|")}|---|`);
  L.push(`| **live heap (used + ArrayBuffers after a full GC), MiB** | ${h.points.map((p) => `**${mib(p.live)}**`).join(" | ")} | ${mib(h.after)} |`);
  L.push("");
  const at128 = h.bytesPerGB > 0 ? (128 * MiB - h.points[0].live) / h.bytesPerGB : null;
  L.push(
    `Growth ${mib(h.bytesPerGB)} MiB per GB streamed (least squares)${flat(h) ? `; ${mib(h.points[1].live - h.points[0].live)} MiB as the first chunks go into flight, then ${mib(steadySlope(h))} MiB per GB (samples within ${mib(drift(h))} MiB of each other) to the end: the live heap holds the few 1 MiB chunks in flight, not what has been sent` : ", all of it given back when the part ends: pending promises per chunk that passes through JS, rooted in workerd"}.${flat(h) ? "" : ` A part of PART_BYTES would end holding about ${mib(h.points[0].live + (h.bytesPerGB * PART_BYTES) / GB, 0)} MiB live; at this rate the isolate's 128 MB would be reached by the live heap alone after about ${gbs(at128 != null ? at128 * GB : null, 1)} GB in one response (garbage not yet collected comes on top).`}`,
  );
  L.push("");
}

function whatIfSection(L, r) {
  const w = r.whatif;
  if (!w) return;
  L.push(
    `#### What-if, outside Loupe: the same client-zip over the same local R2, in a bare worker (${w.objects} objects of ${w.objectBytes / MiB} MiB, ${gbs(w.objects * w.objectBytes, 2)} GB; compatibility ${w.compatibilityDate}, ${w.compatibilityFlags.join(", ")}; CPU: the least of ${w.passes} downloads)`,
  );
  L.push("");
  L.push(
    "| objects stored | download | workerd CPU ms per GB | minus the reference's | MB/s | live heap after a GC at each 50 MB pause (0 MB first; the last may come after the end), MiB |",
  );
  L.push("|---|---|---|---|---|---|");
  const what = {
    reference: "reference: each body piped to the response (as /dl/)",
    "as-loupe": "zip over each R2 body as it comes (as zip-stream.ts did before zip-entries.ts)",
    "byob-1mib": "**zip, each R2 body read with a BYOB reader's readAtLeast(1 MiB) (as zip-entries.ts does)**",
  };
  for (const [layout, modes] of Object.entries(w.layouts)) {
    const ref = modes.reference.cpuMsPerGB;
    for (const [mode, v] of Object.entries(modes)) {
      L.push(
        `| ${layout === "multipart" ? "multipart, 8 MiB parts (as Loupe's)" : "one put"} | ${what[mode]} | ${fmt(v.cpuMsPerGB)} | ${mode === "reference" ? "" : fmt(v.cpuMsPerGB - ref)} | ${fmt(v.mbPerSecond)} | ${v.liveHeap ? v.liveHeap.map((p) => mib(p.live)).join(", ") : ""} |`,
      );
    }
  }
  L.push("");
  L.push(
    "Local R2 hands a body to JS in small chunks; client-zip then pays a read, a generator step, BigInt arithmetic, a CRC call and an enqueue per chunk, and the response keeps promises per chunk until it ends. Read in 1 MiB chunks (filled natively), the zip costs about the CRC-32 over every byte on top of the reference, and the heap holds the chunks in flight, not the history.",
  );
  if (w.layouts.multipart)
    L.push(
      "",
      "Multipart objects cost the local simulator far more to read (it streams each part through JS in its own isolate), in every row; one put shows the zip's own cost without that. Over multipart objects the BYOB reads' CPU varied widely between runs here (readAtLeast over the simulator's JS-fed stream).",
    );
  L.push("");
}

function warmupSection(L, r) {
  const w = r.warmup;
  if (!w?.runs.length) return;
  L.push(`#### Warm-up (a gallery of its own: ${w.photos} photos, ${gbs(w.bytes, 3)} GB; the first downloads in the process, not in the tables above)`);
  L.push("");
  L.push(
    "| | CPU ms per GB | MB/s | workerd RSS VmHWM − idle, MiB | isolate heap used + ArrayBuffers idle → largest, MiB | committed heap idle → largest, MiB |",
  );
  L.push("|---|---|---|---|---|---|");
  for (const x of w.runs) {
    L.push(
      `| ${x.kind} | ${fmt(x.cpuMs.loupe / (x.dataBytes / GB))} | ${fmt(x.bytes / 1e6 / x.seconds)} | ${mib(x.rss.hwmDelta ?? x.rss.peakDelta)} | ${x.heap ? `${mib(x.heap.idle)} → ${mib(x.heap.peak)}` : "n/a"} | ${x.heap ? `${mib(x.heap.idleTotal)} → ${mib(x.heap.peakTotal)}` : "n/a"} |`,
    );
  }
  L.push("");
}

// client-zip's own functions by their names in its bundle (the worker's bundle keeps them, maybe
// with a numeric suffix): the CRC-32 loop and the generator that reads each file and feeds it.
function clientZipNames() {
  try {
    const src = readFileSync(path.join(root, "node_modules", "client-zip", "index.js"), "utf8");
    return {
      crc: /function (\w+)\(e,n=0\)\{n=~n;for/.exec(src)?.[1] ?? null,
      gen: /async function\*(\w+)\(e\)\{let\{bytes:n\}=e/.exec(src)?.[1] ?? null,
    };
  } catch {
    return { crc: null, gen: null };
  }
}

function label(fn, names) {
  const name = fn.split(" ")[0];
  const is = (n) => n && new RegExp(`^${n}\\d*$`).test(name);
  if (is(names.crc)) return "client-zip: CRC-32, a table lookup per byte";
  if (is(names.gen)) return "client-zip: the generator reading each file (await read(), BigInt sizes, CRC call)";
  if (name === "(program)") return "V8/workerd native code outside JS (stream plumbing, I/O)";
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "(idle)") return "isolate idle (waiting on R2 or the client)";
  if (name === "enqueue" || name === "pull" || name === "read") return "stream calls";
  if (name === "(anonymous)" && !fn.includes(" ")) return "built-ins (promises, stream reads, typed arrays)";
  return "";
}

function profileSection(L, r) {
  const p = r.profile;
  if (!p) return;
  const names = clientZipNames();
  const busy = p.functions.filter((f) => f.fn.split(" ")[0] !== "(idle)").reduce((n, f) => n + f.ms, 0);
  L.push(
    `#### Where a zip's time goes in Loupe's isolate (V8 sampling profiler, 500 µs, one more zip of the warm-up gallery: ${gbs(p.dataBytes, 3)} GB in ${fmt(p.seconds, 1)} s, workerd CPU ${fmt(p.cpuMs.loupe)} ms)`,
  );
  L.push("");
  L.push("| function (self time) | ms | share of non-idle | what it is |");
  L.push("|---|---|---|---|");
  for (const f of p.functions.slice(0, 10)) {
    const idle = f.fn.split(" ")[0] === "(idle)";
    L.push(`| \`${f.fn}\` | ${fmt(f.ms)} | ${idle ? "" : `${fmt((100 * f.ms) / busy, 1)}%`} | ${label(f.fn, names)} |`);
  }
  L.push("");
  L.push(
    `Profile time is the isolate thread's wall time by sample (non-idle ${fmt(busy)} ms here, against ${fmt(p.cpuMs.loupe)} ms of the whole workerd's CPU: the R2 simulator's isolate and workerd's I/O threads are outside this profile; on a shared, busy machine a sample also counts time the thread waited for a core).`,
  );
  L.push("");
}

export function verdictNotes(r) {
  const S = r.sizes.map((s) => s.summary);
  const heaps = S.map((s) => s.zip.heapPeak).filter((v) => v != null);
  const rssd = S.map((s) => s.zip.rssHwmDelta ?? s.zip.rssPeakDelta).filter((v) => v != null);
  const cpu = S.map((s) => s.zip.cpuMsPerGB);
  const out = [];
  out.push(
    `Zipping costs ${fmt(Math.min(...cpu))}–${fmt(Math.max(...cpu))} workerd CPU ms per GB, ${S.map((s) => x(s.ratio.cpu)).join(" / ")} the reference's at ${r.sizes.map((s) => `${gbLabel(s.gb)}`).join(" / ")} GB (zipping's own share ${S.map((s) => fmt(s.zipExtraCpuMsPerGB)).join(" / ")} ms/GB${S.some((s) => s.zipExtraCpuMsPerGB <= 0) ? ": at or below zero where one zip request cost less than a request per photo, within this run's noise; the what-if below measures the CRC-32's share apart" : ""}).`,
  );
  const committed = S.map((s) => s.zip.heapPeakTotal).filter((v) => v != null);
  if (heaps.length) {
    const top = Math.max(...heaps, ...committed);
    out.push(
      `Loupe's isolate right after each zip (garbage included, as V8 had not collected it): heap used + ArrayBuffers ${heaps.map((h) => mib(h)).join(" / ")} MiB, committed heap ${committed.map((h) => mib(h)).join(" / ")} MiB (${top < 128 * MiB ? "under" : "over"} 128 MB).`,
    );
  }
  if (r.liveHeap)
    out.push(
      flat(r.liveHeap)
        ? `Memory is flat: with GCs forced mid-stream, Loupe's live heap did not grow with what had been sent (${mib(steadySlope(r.liveHeap))} MiB per GB after the first samples; ${mib(r.liveHeap.points[0].live)} MiB idle, ${mib(Math.max(...r.liveHeap.points.map((p) => p.live)))} MiB at most, the 1 MiB chunks in flight).`
        : `Memory is not flat: while a zip streams, Loupe's isolate keeps about ${mib(r.liveHeap.bytesPerGB)} MiB alive per GB sent (measured with GCs forced mid-stream), given back only when the part ends; a ${partLabel} part ends near ${mib(r.liveHeap.points[0].live + (r.liveHeap.bytesPerGB * PART_BYTES) / GB, 0)} MiB live, before garbage.`,
    );
  if (rssd.length) out.push(`The workerd process grew by at most ${rssd.map((b) => mib(b)).join(" / ")} MiB RSS during the zip.`);
  out.push(
    `A ${partLabel} part (PART_BYTES) costs ${S.map((s) => fmt(s.partWithinCpuLimit.partBytesCpuMs.allCpu / 1000, 1)).join(" / ")} s of all-workerd CPU here, ${S.map((s) => fmt(s.partWithinCpuLimit.partBytesCpuMs.zipOnly / 1000, 1)).join(" / ")} s counting zipping only, against a ${CPU_LIMIT_MS / 1000} s limit: the part that fits is ${S.map((s) => within(s.partWithinCpuLimit.allCpuBytes, 2)).join(" / ")} (all) or ${S.map((s) => within(s.partWithinCpuLimit.zipOnlyBytes, 2)).join(" / ")} (zipping only), PART_BYTES being ${gbs(PART_BYTES, 2)} GB.`,
  );
  const wi = r.whatif?.layouts?.single;
  if (wi)
    out.push(
      `Outside Loupe (what-if, one-put objects), reading each R2 body in 1 MiB BYOB chunks makes the same client-zip zip cost ${fmt(wi["byob-1mib"].cpuMsPerGB - wi.reference.cpuMsPerGB)} instead of ${fmt(wi["as-loupe"].cpuMsPerGB - wi.reference.cpuMsPerGB)} CPU ms per GB over the reference, and keeps its heap from growing.`,
    );
  if (!r.sizes.every((s) => s.summary.zip.verified && s.summary.reference.verified)) out.push("**Some download did not verify: see the JSON.**");
  return out;
}

export function methodNotes(r) {
  return [
    `Loupe as \`npm start\` runs it (scripts/start.mjs → wrangler dev → workerd, fresh state dir${r.tree.snapshot ? ", from a snapshot of the working tree" : ""}), signed in as the demo studio. One public gallery with downloads up to original size grows through the sizes (${r.sizes.map((s) => `${gbLabel(s.gb)} GB`).join(", ")}), seeded the uploader's way through the dashboard API: a master (the fixture camera.jpg, 640×427) first, then the original in R2 multipart parts of 8 MiB, then complete; the queue made thumbnails and previews, and every photo was ready before anything was measured.`,
    `Originals: tests/fixtures/camera.jpg padded to ${PHOTO_MIN_MIB}–${PHOTO_MAX_MIB} MiB (uniform) with JPEG comment segments of random bytes between its headers and its scan: valid JPEGs, each different, incompressible like camera data. Their CRC-32s (node:zlib) are kept to check the downloads against.`,
    `Zip: a visitor with a name (POST /g/:id/access), POST /g/:id/zip {scope: "gallery", size: "original"}, then each part's url GET, read and thrown away as it streams (only the last 8 MiB kept): its central directory is parsed (zip64 records followed) and every entry's name, size, CRC-32 and method (stored) checked against the uploads, the entries laid out in order, their data adding up to the originals. Reference: a download link for each photo (POST /media/:g/:p/download {size: "original"}), all asked for first, then the links fetched one after another, each body's length and CRC-32 checked. Only the GETs are measured; the plan and the links are timed apart (in the JSON).`,
    `CPU: utime + stime ticks (1/100 s, all threads) of the workerd running Loupe, from /proc, just before the first GET and after the last byte; nothing else was sent to Loupe meanwhile, and before each measurement the bench waited until that workerd spent at most 3 ticks in a second. Divided by the GB of originals (the same bytes for both).`,
    `Memory: the workerd's VmRSS every ${SAMPLE_MS} ms, peak minus the median of 10 samples in the second before; VmHWM after the download (reset through /proc/<pid>/clear_refs just before) minus the same idle figure.${HEAP ? ` The isolate running Loupe (workerd's inspector target core:user:loupe, reached through wrangler dev's inspector proxy, which holds workerd's one session): Runtime.getHeapUsage (V8 heap used + ArrayBuffer backing stores) every ${SAMPLE_MS} ms (one at a time), the largest of those answered during the download and the one right after it, without forcing a GC (garbage counts until V8 collects it); and V8's committed heap (totalSize).` : ""}`,
    `Parts within the CPU limit: ${CPU_LIMIT_MS / 1000} s ÷ CPU ms per GB, against PART_BYTES (${PART_BYTES / GiB} GiB).`,
    `Phases (machine cores busy, and by other processes): ${phaseCpu(r.phases)}.`,
  ];
}

export function caveatNotes(r) {
  const out = [
    "RSS is the whole workerd process: the runtime, every isolate (Loupe's, its Durable Objects', miniflare's R2, D1, queue and cache simulators) and their buffers; it is not an isolate's memory. The isolate's own figure is the inspector's heap (V8 heap + ArrayBuffers; WASM memory, unused here, would not be in it). workerd does not enforce the 128 MB isolate limit locally, so nothing here would have been killed either way.",
    "Local R2 is miniflare's simulator in the same workerd: its CPU is in both columns, and in production it is not the Worker's. Loupe's originals are stored multipart (8 MiB parts), and the simulator streams such an object part by part through JS in its own isolate: most of the reference's CPU here is that (the what-if measures one-put objects piped out for well under 1 s per GB). So zip − reference is the estimate of what zipping costs the Worker itself; the all-workerd figure is an upper bound. Production R2 may hand bodies over in larger chunks than the simulator does, and zipping's cost here is mostly per chunk (see the profile and the what-if), so it may cost less there; the CRC-32 over every byte (about 3 s per GB here) it pays anyway.",
    "The reference also verifies a JWT and reads D1 once per photo on its GETs; that fixed cost per request (tens of requests) is small beside the bytes but lowers the ratio slightly.",
    `This machine's CPU (${r.machine.cpu}) is not Cloudflare's; ticks have a 10 ms resolution (immaterial over seconds of CPU). Client and server share ${r.machine.cpu.split("×")[0].trim()} cores: wall time and MB/s include this client reading the bytes${r.via === "proxy" ? " and wrangler's proxy forwarding them" : ""}; the CPU ticks are the workerd's own whatever the contention.`,
  ];
  if (r.config.heap && !r.heapWhy)
    out.push(
      "workerd answers the inspector only between the isolate's tasks, and a zip keeps Loupe's isolate busy from the first byte to the last: for the zips few or no heap answers came during the download (the count is in the tables), so their 'largest seen' is mostly the heap right after the last byte. The committed heap (V8 grows it to hold a peak and does not give it back while busy) and the process's VmHWM bound what the zip can have held meanwhile.",
    );
  if (r.heapWhy) out.push(`The isolate heap could not be read: ${r.heapWhy}.`);
  if (r.reloads.length) out.push(`wrangler dev reloaded the worker during the run: ${JSON.stringify(r.reloads)}.`);
  return out;
}
