// bench:zip settings (the env knobs documented at the top of zip.bench.mjs) and what its parts share.
import { readFileSync } from "node:fs";
import { Agent } from "node:http";
import { httpClient } from "../harness/http.mjs";

const list = (s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number);

/** Gallery sizes in GB (10^9 bytes), smallest first: the gallery grows from one to the next. */
export const SIZES_GB = list(process.env.BENCH_ZIP_GB ?? "0.5,1,2").sort((a, b) => a - b);
/** The warm-up gallery, GB: zipped and fetched once each way before the sizes, and profiled. */
export const WARMUP_GB = Number(process.env.BENCH_ZIP_WARMUP_GB ?? 0.1);
/** One more zip of the warm-up gallery under V8's sampling profiler (through the inspector). */
export const PROFILE = process.env.BENCH_ZIP_PROFILE !== "0";
/** The live-heap probe: one more zip of the largest gallery, pausing every this many GB to force a GC (0: none). */
export const LIVE_EVERY_GB = Number(process.env.BENCH_ZIP_LIVE_EVERY_GB ?? 0.25);
/** The size after whose passes the probe runs (default the middle one). */
export const LIVE_AT_GB = Number(process.env.BENCH_ZIP_LIVE_AT_GB ?? SIZES_GB[Math.floor((SIZES_GB.length - 1) / 2)]);
/** How the what-if stores its objects: "single" (one put) and/or "multipart" (8 MiB parts, as Loupe). */
export const WHATIF_LAYOUTS = (process.env.BENCH_ZIP_WHATIF_LAYOUTS ?? "single")
  .split(",")
  .map((x) => x.trim())
  .filter((x) => x === "single" || x === "multipart");
/** The what-if outside Loupe (zip/whatif.mjs), GB of 20 MiB objects (0: none). */
export const WHATIF_GB = Number(process.env.BENCH_ZIP_WHATIF_GB ?? 0.3);
/** Passes per size; each pass downloads the reference and then the zip (or the other way round on odd passes). */
export const REPS = Math.max(1, Number(process.env.BENCH_ZIP_REPS ?? 1));
/** Originals' sizes, MiB: uniform between the two. */
export const [PHOTO_MIN_MIB, PHOTO_MAX_MIB] = list(process.env.BENCH_ZIP_PHOTO_MIB ?? "20,25");
/** "direct": downloads straight to the workerd that runs Loupe; "proxy": through wrangler dev's public port. */
export const VIA = process.env.BENCH_ZIP_VIA === "proxy" ? "proxy" : "direct";
export const SNAPSHOT = process.env.BENCH_ZIP_SNAPSHOT !== "0";
/** The isolate's V8 heap through the inspector during each download (0: RSS only). */
export const HEAP = process.env.BENCH_ZIP_HEAP !== "0";
export const SAMPLE_MS = Number(process.env.BENCH_ZIP_SAMPLE_MS ?? 50);
export const UPLOAD_LANES = Number(process.env.BENCH_ZIP_UPLOAD_LANES ?? 2);

export const GB = 1e9;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;
// The worker's own constants, read from its source (this bench runs without a TS loader), so the
// report always judges the part size the code has.
const planSource = readFileSync(new URL("../../../worker/domain/downloads/zip-plan.ts", import.meta.url), "utf8");
const constant = (name) => {
  const m = new RegExp(`export const ${name} = ([^;]+);`).exec(planSource);
  if (!m || !/^[\d\s*_]+$/.test(m[1])) throw new Error(`zip-plan.ts: ${name} is not a plain product of numbers`);
  // Only digits, spaces, * and _ (checked above): safe to evaluate as arithmetic.
  return Number(new Function(`return ${m[1].replace(/_/g, "")};`)());
};
export const PART_BYTES = constant("PART_BYTES");
export const PART_PHOTOS = constant("PART_PHOTOS");
/** A Worker's CPU limit per HTTP request (Workers Standard default; configurable up to 5 min). */
export const CPU_LIMIT_MS = 30_000;
/** What the zip's tail is kept for (its central directory), however long the stream. */
export const TAIL_BYTES = 8 * MiB;

export const call = httpClient({ agent: new Agent({ keepAlive: true, maxSockets: 8 }), timeoutMs: 120_000 });

// Routes that check a secret (the download link, the zip plan, gallery access) draw on a per-IP
// budget of 20 a minute (worker/http/rate-limit.ts guessLimit). wrangler dev passes on the
// CF-Connecting-IP a client sends, so each such request comes from an address of its own
// (TEST-NET-2, never loopback, which is spared only the site-wide budget).
let ipCounter = 0;
export const nextIp = () => {
  ipCounter += 1;
  return `198.18.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
};
