// bench:images settings (the env knobs documented at the top of images.bench.mjs, and the fixed
// ones) and its number formats.
import { round, summary } from "../harness/numbers.mjs";

const ALL_SIZES = [
  { mp: 12, width: 4240, height: 2832 },
  { mp: 24, width: 6000, height: 4000 },
  { mp: 45, width: 8256, height: 5504 },
];
const wanted = (process.env.BENCH_SIZES ?? "12,24,45").split(",").map(Number);
export const SIZES = ALL_SIZES.filter((s) => wanted.includes(s.mp));
export const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 3);
export const RUNS = Number(process.env.BENCH_RUNS ?? 6);
export const THROUGHPUT_JOBS = Number(process.env.BENCH_THROUGHPUT_JOBS ?? 16);
export const WORST = process.env.BENCH_WORST !== "0";
export const WARMUP = 2;
export const FINGERPRINT_REPS = 20; // fingerprints per timed request (its cost is ~1% of a step)
export const FINGERPRINT_TARGET = 0.1; // of the WASM step, per photo
export const STUDIO = "Loupe Bench Studio"; // worker.ts uses defaultWatermark() with this name
export const MARK = { text: STUDIO, opacity: 0.35, scale: 0.4 }; // = defaultWatermark(): centre, 35%, 40% wide
export const TARGETS = { memoryMiB: 96, ratio: 1, photosPerMin: 240 };
export const MiB = 1024 * 1024;

export const mib = (b) => (Number.isFinite(b) ? round(b / MiB, 1) : "n/a");
export const stats = (xs) => summary(xs, ["median", "p95", "min", "max"]);
