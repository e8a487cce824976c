// bench:images' report of the worst admissible inputs (images/blast.mjs): the inputs, a row per
// job, a row per batch (one isolate each), its target and its notes.
import { mib } from "./config.mjs";

const LABELS = {
  a: "(a) direct original",
  b: "(b) master",
  c: "(c) logo watermark on master (b)",
  d: "(d) master (b), orientation 6",
  e: "(e) (d) stored as an original without a master",
  "c@0.4": "(c) at the default scale 0.4",
  "c+o1": "logo (c) on ordinary master o1",
  o1: "o1 ordinary",
  o2: "o2 ordinary",
  o3: "o3 ordinary",
};
const ratio = (x) => x.toFixed(2);
const verdict = (x) => (x > 1 ? " **over**" : "");

/** Every job measured: alone, and in every batch (a, b, c, d three times over; each worst input
 *  before ordinary masters; the ordinary reference). */
const allJobs = (w) => [
  ...Object.values(w.alone),
  ...w.batches.worst4x3.jobs,
  ...Object.values(w.batches.mixed).flatMap((m) => m.jobs),
  ...w.batches.ordinary.jobs,
];
const peakOf = (w) => Math.max(...allJobs(w).map((j) => j.isolateTotalBytes));

export function worstTarget(w) {
  const over = Object.entries(w.alone).filter(([, j]) => j.ofLimit > 1);
  const peak = peakOf(w);
  const mixed = Object.entries(w.batches.mixed).map(([id, m]) => `${id} + o1, o2, o3 ${ratio(m.peakOfLimit)}`);
  return {
    name: "Worst admissible inputs: peak isolate memory (WASM + JS) < 128 MiB, alone and as a batch of 4 in one isolate",
    pass: peak < w.limitBytes,
    detail: `peak ${mib(peak)} MiB = ${ratio(peak / w.limitBytes)} × 128 MiB; over alone: ${over.map(([id, j]) => `${id} ${mib(j.isolateTotalBytes)} MiB (WASM ${mib(j.wasmAfterBytes)})`).join(", ") || "none"}; batch a,b,c,d ${ratio(w.batches.worst4.peakOfLimit)}, ${mixed.join(", ")}`,
  };
}

function jobRow(L, scenario, i, j) {
  const out = j.ok ? "ok" : `failed: ${j.error}`;
  L.push(
    `| ${scenario} | ${i} | ${LABELS[j.job] ?? j.job} | ${j.route ?? ""} | ${mib(j.wasmAfterBytes)} | ${mib(j.jsLiveBeforeBytes)} + ${mib(j.jsGrowthBytes)}${j.gcDuringJob ? " (GC mid-job)" : ""} | ${mib(j.isolateTotalBytes)} | ${ratio(j.ofLimit)}${verdict(j.ofLimit)} | ${out} |`,
  );
}

export function worstMarkdown(w) {
  const L = [];
  const { inputs: I, batches: B } = w;
  L.push("### Worst admissible inputs: blast radius in one isolate (issue 13)");
  L.push("");
  L.push("| Input | What | Bytes | Pixels | Admitted as |");
  L.push("|---|---|---|---|---|");
  for (const id of ["a", "b", "c", "d"]) {
    const x = I[id];
    const adm = w.admitted[id];
    L.push(
      `| (${id}) | ${x.what} | ${x.bytes.toLocaleString("en")} (${mib(x.bytes)} MiB) | ${x.width}×${x.height} | ${adm.as}${adm.route ? ` → ${adm.route}` : ""} |`,
    );
  }
  L.push("");
  L.push("| Isolate | # | Job | Path | WASM after job MiB | JS live before + job growth MiB | Isolate total MiB | ÷ 128 MiB | Output |");
  L.push("|---|---|---|---|---|---|---|---|---|");
  const jobRows = (scenario, jobs) => {
    for (const [i, j] of jobs.entries()) jobRow(L, scenario, i + 1, j);
  };
  for (const [id, j] of Object.entries(w.alone)) jobRow(L, `${id} alone`, 1, j);
  jobRows("batch a, b, c, d", B.worst4.jobs);
  for (const [id, m] of Object.entries(B.mixed)) jobRows(`batch ${id} + o1, o2, o3`, m.jobs);
  jobRows("batch o1, o2, o3 (reference)", B.ordinary.jobs);
  L.push("");
  L.push("| Batch (one isolate, consumer order) | WASM after each job MiB | Peak isolate total MiB (job) | Peak ÷ 128 MiB | The other studios' jobs |");
  L.push("|---|---|---|---|---|");
  const peakJob = (b) => b.jobs.reduce((p, j) => (j.isolateTotalBytes > p.isolateTotalBytes ? j : p));
  const line = (name, b, others) => {
    const p = peakJob(b);
    L.push(
      `| ${name} | ${b.jobs.map((j) => mib(j.wasmAfterBytes)).join(", ")} | ${mib(p.isolateTotalBytes)} (${p.job}) | ${ratio(p.isolateTotalBytes / w.limitBytes)}${verdict(p.isolateTotalBytes / w.limitBytes)} | ${others} |`,
    );
  };
  line("a, b, c, d", B.worst4, "all four worst; all rendered");
  line("a, b, c, d three times over (12 jobs)", B.worst4x3, `WASM after rounds 1, 2, 3: ${B.worst4x3.wasmAfterEachRoundBytes.map(mib).join(", ")} MiB`);
  for (const [id, m] of Object.entries(B.mixed)) {
    const o = m.jobs.slice(1);
    line(
      `${id} + o1, o2, o3`,
      m,
      `${o.every((j) => j.ok) ? "all rendered" : "FAILED"}, outputs ${m.ordinaryIdenticalToFreshIsolate ? "byte-identical to" : "DIFFERENT from"} a fresh isolate's; their totals ${o.map((j) => mib(j.isolateTotalBytes)).join(", ")} MiB`,
    );
  }
  line("o1, o2, o3 (reference)", B.ordinary, "ordinary only");
  return L;
}

/** What the logo limit was, what it is, and what the runs before it and before the fade-first change measured. */
function logoFix(w) {
  const { b, c } = w.alone;
  const cs = w.alone["c@0.4"];
  const peak = peakOf(w);
  return `The logo limit (commit 0d49fe0, "Logos are stored at most 1200 px, scaled down by the IMAGES binding"): a logo used to be stored as uploaded up to MAX_LOGO_PIXELS = 4,000,000 px and 2 MiB, and the previous run of this section measured a 2000×2000 logo (c) at 135.2 MiB of WASM and 186.4 MiB isolate total (1.46 × 128 MiB; 1.35 in the batch a, b, c, d; 129.9 MiB = 1.01 at the default scale 0.4). Now a logo is stored at most LOGO_MAX_EDGE = 1200 px on its long edge (MAX_LOGO_PIXELS = 1200 × 1200): an upload up to 4000 px and 2 MiB is scaled down by the IMAGES binding at upload, and the image worker refuses to decode a stored logo over MAX_LOGO_PIXELS, so the worst logo it can be handed is the 1200×1200 (c) here. In this run (c) alone: WASM ${mib(c.wasmAfterBytes)} + JS ${mib(c.jsLiveBeforeBytes)} + ${mib(c.jsGrowthBytes)} = ${mib(c.isolateTotalBytes)} MiB = ${ratio(c.ofLimit)} × 128 MiB, against (b), the same master without the logo, at WASM ${mib(b.wasmAfterBytes)} + JS ${mib(b.jsLiveBeforeBytes)} + ${mib(b.jsGrowthBytes)} = ${mib(b.isolateTotalBytes)} MiB (at scale 0.4: ${mib(cs.isolateTotalBytes)} MiB = ${ratio(cs.ofLimit)}); batch a, b, c, d peak ${ratio(w.batches.worst4.peakOfLimit)}; the section's peak, over every job alone and in every batch, ${mib(peak)} MiB = ${ratio(peak / w.limitBytes)} × 128 MiB, ${peak < w.limitBytes ? "under" : "still over"} the limit. The fade (worker/images/draw-watermark.ts logoLayer) now happens before the logo is scaled, while it is at most 1200 px, so the scaled layer (up to 1600×1600 at scale 1) is no longer copied out of WASM and back: the run before that change measured the section's peak at 129.3 MiB = 1.01 × 128 MiB ((c) in the batch c + o1, o2, o3; (c) alone 129.2 MiB with WASM 77.8), this run ${mib(peak)} MiB = ${ratio(peak / w.limitBytes)} × 128 MiB with (c) alone at WASM ${mib(c.wasmAfterBytes)}.`;
}

export function worstNotes(w) {
  const s = w.logoStyle;
  return [
    logoFix(w),
    `Inputs (made with sharp, deterministic): (a) ${w.inputs.a.width}×${w.inputs.a.height} = ${(w.inputs.a.width * w.inputs.a.height).toLocaleString("en")} px (limit 3,000,000), image data ${mib(w.inputs.a.imageBytes)} MiB, padded to ${w.inputs.a.bytes.toLocaleString("en")} B (limit 12 MiB = 12,582,912 B); (b) image data ${mib(w.inputs.b.imageBytes)} MiB, padded to ${w.inputs.b.bytes.toLocaleString("en")} B (limit 6 MiB = 6,291,456 B); (c) ${w.inputs.c.bytes.toLocaleString("en")} B (limit 2 MiB = 2,097,152 B), ${w.inputs.c.width}×${w.inputs.c.height} = ${(w.inputs.c.width * w.inputs.c.height).toLocaleString("en")} px (limit for a stored logo 1200 × 1200 = 1,440,000); (d) ${w.inputs.d.bytes.toLocaleString("en")} B. Pixel noise makes every byte image data; progressive 4:4:4 makes jpeg-decoder hold all DCT coefficients of three full-size planes; the padding is APP2 ICC_PROFILE chunks placed after the frame header, which jpeg-decoder keeps in WASM while decoding. The logo is a disc on transparency with rows of noise added until its PNG is as close under 2 MiB as it gets; at 1200 px it is stored as uploaded, so these are the bytes the image worker decodes.`,
    "Admission is checked by the product's own code in workerd (POST /admit in tests/bench/worker.ts): sniffImage on the first 256 KiB (the JPEG frame header must be found there, so padding before it is refused as damaged), checkExtension, checkComplete on the last 64 bytes, and the limits as upload.ts (putOriginalPart, completeOriginal, putMaster) and watermark-changes.ts (storableLogo: a logo over 1200 px is scaled down, one at most 1200 px stored as uploaded) apply them, with pipeline.ts storedLogo's check before a stored logo is decoded; the original's route (direct vs IMAGES binding) is obtainMaster's rule. The bench stops if any input is refused.",
    `A job = POST /job: the queue job's path from stored bytes to derivatives as pipeline.ts runs it: for an original originalHead + readHeader + readExif, then obtainMaster (R2 stood in by the request body, one buffer as R2's arrayBuffer() gives; a ranged read is a copy), then renderDerivatives with watermark settings that pass watermarkSchema; the logo is copied per job as media.get(logoKey).arrayBuffer() would. The R2/D1 writes and the room notice are left out. Logo settings for (c): ${JSON.stringify(s)} (scale 1 = the logo as large as the preview; thumbnails marked too, so the logo is decoded twice per job). Ordinary jobs o1–o3 are the first three 24 MP photos' masters of the table above with the default text watermark.`,
    "(d) passes orientation 6 to renderDerivatives for a stored master, which the product never does (browser masters are upright, orientation 1); an original needing rotation reaches WASM as (e): obtainMaster sends a >3 MP original to the IMAGES binding, stood in here by an echo of the file (orientation tag kept, so uprightJpeg decodes, turns and re-encodes it before renderDerivatives). The real binding re-encodes at q90, so (e) over-states its input.",
    "Memory: WASM = photon's memory after the job (it never shrinks, so it is the job's peak). JS: a full GC before each job (the inspector's HeapProfiler.takeHeapSnapshot; HeapProfiler.collectGarbage gets no answer from workerd), then Runtime.getHeapUsage (V8 heap + ArrayBuffers) before and after it. 'JS live before' is what the isolate still holds (the 2 MiB logo held as the R2 stand-in is subtracted); 'job growth' is everything the job allocated, its own garbage included. Isolate total = WASM after + JS live before + job growth: an upper bound of the job's peak (WASM and JS peaks may not coincide). 'GC mid-job' marks a sample where V8 collected during the job, so the growth under-counts.",
    "Batches run in one fresh workerd each, jobs back to back in the consumer's order (handleImageBatch awaits one message after another; max_batch_size = 4 in wrangler.toml). A batch with a worst input first and three ordinary masters after it (the logo job (c), and the heaviest photo file alone among a, b and e, the ones on paths the product takes) shows whether other studios' jobs still render in that isolate and whether their outputs are byte-identical (SHA-256 of thumbnail and preview) to a fresh isolate's. 'Three times over' runs a, b, c, d twelve jobs long in one isolate: does WASM keep growing or plateau.",
    "128 MiB: the Workers isolate limit (JS heap + WASM) as issue 13 counts it. Local workerd does not enforce it, so every job here finishes and the outputs can be compared; what production does with an isolate past it (and with the rest of its batch) is not reproduced here.",
  ];
}
