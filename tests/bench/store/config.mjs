// bench:store settings (the env knobs documented at the top of store.bench.mjs, and the fixed
// ones), and what every part of it shares: its HTTP pools and its statistics.
import { Agent } from "node:http";
import { httpClient } from "../harness/http.mjs";
import { summary } from "../harness/numbers.mjs";

export const RATE = Number(process.env.STORE_RATE ?? 100);
export const SECONDS = Number(process.env.STORE_SECONDS ?? 20);
export const STEP_SECONDS = Number(process.env.STORE_STEP_SECONDS ?? 10);
export const MAX_STEPS = Number(process.env.STORE_MAX_STEPS ?? 4);
export const FIXED_STEPS =
  process.env.STORE_STEPS === undefined
    ? null
    : process.env.STORE_STEPS.split(",")
        .map((x) => x.trim())
        .filter(Boolean)
        .map(Number);
export const MAX_INFLIGHT = Number(process.env.STORE_MAX_INFLIGHT ?? 256);
export const RETRIES = Number(process.env.STORE_RETRIES ?? 3);
export const LANES = Number(process.env.STORE_ORDER_LANES ?? 6);
export const SEED = Number(process.env.STORE_SEED ?? 6);
export const SNAPSHOT = process.env.STORE_SNAPSHOT !== "0";
// "proxy": events through wrangler dev's public port, as a browser's requests go; "direct": to the
// port of the workerd that runs Loupe, without wrangler's proxy workerd and its logging (production
// has neither). Results of a direct run go to store-direct.{json,md}.
export const VIA = process.env.STORE_VIA === "direct" ? "direct" : "proxy";
export const EVENTS_PER_ORDER = 5.7; // the mix in store.bench.mjs's header, in expectation
export const ordersFor = (rate, seconds) => Math.max(5, Math.ceil((rate * seconds) / EVENTS_PER_ORDER));
export const ORDERS = process.env.STORE_ORDERS ? Number(process.env.STORE_ORDERS) : ordersFor(RATE, SECONDS);
export const MIN_RATE = 5,
  MAX_RATE = 1600; // where doubling or halving stops
export const PRICE = 500; // the digital item, minor units
export const PARTIAL = 200;
export const REQUEST_TIMEOUT_MS = 60_000;
export const CONNECT_SECRET = "whsec_bench_connect";
export const PLATFORM_SECRET = "whsec_bench_platform";
export const KEEP_UP = { minShare: 0.95, maxP99Ms: 1000 }; // "keeps up": see methodNotes() in store/report.mjs
export const RATE_TARGET = 100;

// Setting up (orders, the shop) and the events themselves use separate keep-alive pools.
export const call = httpClient({ agent: new Agent({ keepAlive: true, maxSockets: 16 }), timeoutMs: REQUEST_TIMEOUT_MS });
export const eventAgent = new Agent({ keepAlive: true, maxSockets: MAX_INFLIGHT });

export const stat = (xs) => summary(xs, ["p50", "p95", "p99", "mean", "max"]);
