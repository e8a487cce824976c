// bench:web settings (the env knobs documented at the top of web.bench.mjs, and the fixed ones),
// and what every part of it shares: one keep-alive pool for its own requests, its statistics.
import { Agent } from "node:http";
import { httpClient } from "../harness/http.mjs";
import { summary } from "../harness/numbers.mjs";

export const PHOTOS = Number(process.env.WEB_PHOTOS ?? 1000);
export const COLD = Number(process.env.WEB_COLD ?? 5);
export const WARM = Number(process.env.WEB_WARM ?? 5);
export const DASH_RUNS = Number(process.env.WEB_DASH_RUNS ?? 3);
export const CONCURRENCY = Number(process.env.WEB_CONCURRENCY ?? 8);
export const PROCESS_TIMEOUT_MS = Number(process.env.WEB_PROCESS_TIMEOUT_S ?? 480) * 1000;
export const STALL_MS = Number(process.env.WEB_STALL_S ?? 90) * 1000;
export const SNAPSHOT = process.env.WEB_SNAPSHOT !== "0";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const VIEWPORT = { width: 1280, height: 860 };
export const PAGE_TIMEOUT_MS = 60_000;
export const SETTLE_MS = 750; // after interactive: late paint entries, errors, requests still finishing
export const DASH_WATCH_MS = 6_500; // dashboard: how long its 2 s refresh is watched after the first listing
export const TARGET_FIRST_THUMB_MS = 1000;
export const TARGET_JS_GZIP_BYTES = 100_000; // "100 KB" read as 100,000 bytes (stricter than 100 KiB)

export const call = httpClient({ agent: new Agent({ keepAlive: true, maxSockets: 32 }) });

export const stat = (xs) => summary(xs, ["p50", "p95", "min", "max"]);
export const kb = (bytes) => (bytes == null ? "n/a" : `${(bytes / 1000).toFixed(1)} KB`);
