// bench:images' two sides on one size's photos: renderDerivatives in workerd (timed from Node as a
// round trip minus a no-op's, memory from the isolate's inspector) and sharp's whole job in a child.
// In the same isolate, the similar-shots fingerprint's own cost, for its share of the step.
import { performance } from "node:perf_hooks";
import { round, summary } from "../harness/numbers.mjs";
import { statusBytes } from "../harness/proc-stats.mjs";
import { quantile } from "../stats.mjs";
import { FINGERPRINT_REPS, MARK, RUNS, stats, THROUGHPUT_JOBS, WARMUP } from "./config.mjs";
import { forkSharp, startWorkerd } from "./workerd.mjs";

async function post(url, route, body) {
  const t0 = performance.now();
  const res = await fetch(new URL(route, url), { method: "POST", body });
  const json = await res.json().catch(() => null);
  const ms = performance.now() - t0;
  if (!res.ok || !json) throw new Error(`${route}: HTTP ${res.status}`);
  return { ms, json };
}

async function twoLanes(jobs, fn) {
  let next = 0;
  const t0 = performance.now();
  const lane = async (laneNo) => {
    while (next < jobs) {
      const i = next++;
      await fn(i, laneNo);
    }
  };
  await Promise.all([lane(0), lane(1)]);
  return performance.now() - t0;
}

/**
 * JS memory of the isolate, from V8 through the inspector (nothing inside workerd reports it):
 * V8 heap used + ArrayBuffer backing stores, WASM memory excluded. Garbage of earlier requests
 * stays counted until V8 collects it, so a call's share is the growth across it: sampled just
 * before the request is sent (its body not yet allocated) and right after the response.
 */
function memoryTracker(wd, start) {
  const startBytes = start.used + start.backing;
  const m = { wasmPeakBytes: 0, jsStartBytes: startBytes, jsCallMaxBytes: 0, callsShrunkByGc: 0 };
  return {
    m,
    async derive(route, body) {
      const before = await wd.inspect.heap();
      const r = await post(wd.url, route, body);
      const after = await wd.inspect.heap();
      const grew = after.used + after.backing - (before.used + before.backing);
      if (grew < body.length) m.callsShrunkByGc++; // a GC ran: this sample under-counts, the max ignores it
      m.jsCallMaxBytes = Math.max(m.jsCallMaxBytes, grew);
      m.wasmPeakBytes = Math.max(m.wasmPeakBytes, r.json.wasmMemoryBytes);
      return r;
    },
    get jsPeakBytes() {
      return m.jsStartBytes + m.jsCallMaxBytes;
    },
    get isolatePeakBytes() {
      return m.wasmPeakBytes + m.jsStartBytes + m.jsCallMaxBytes;
    },
  };
}

/**
 * The fingerprint renderDerivatives computes (worker/images/similarity.ts) on each master's own
 * thumbnail and preview rasters: FINGERPRINT_REPS of them in one request, minus a request with the same body
 * and no work, divided by the reps. It is part of the step timed above; this is its share.
 */
async function fingerprintCost(url, masters) {
  const per = [];
  for (const m of masters) {
    const res = await fetch(new URL("/thumb", url), { method: "POST", body: m });
    const raster = new Uint8Array(await res.arrayBuffer());
    const size = (k) => res.headers.get(k);
    const route = (reps) => `/fingerprint?w=${size("x-width")}&h=${size("x-height")}&pw=${size("x-preview-width")}&ph=${size("x-preview-height")}&reps=${reps}`;
    await post(url, route(FINGERPRINT_REPS), raster); // JIT warm-up, as for the step
    for (let run = 0; run < RUNS; run++) {
      const none = (await post(url, route(0), raster)).ms;
      per.push(((await post(url, route(FINGERPRINT_REPS), raster)).ms - none) / FINGERPRINT_REPS);
    }
  }
  return { ms: summary(per, ["median", "p95", "min", "max"], 2), reps: FINGERPRINT_REPS, samplesMs: per.map((x) => round(x, 2)) };
}

/** Timings and memory of renderDerivatives for one size's masters, in a fresh workerd. */
export async function benchWasm(script, masters) {
  const wd = await startWorkerd(script, { inspector: true });
  try {
    const mem = memoryTracker(wd, await wd.inspect.heap()); // before any request
    const probe = await (await fetch(new URL("/probe", wd.url))).json();
    // No-op requests first: the transfer baseline, and the RSS baseline before any decode.
    for (const m of masters) {
      await post(wd.url, "/noop", m);
      await post(wd.url, "/noop", m);
    }
    const rssBase = wd.pid ? statusBytes(wd.pid, "VmHWM") : NaN;

    const cold = [];
    let rssFirst = NaN;
    for (let i = 0; i < WARMUP; i++) {
      cold.push((await mem.derive("/derive", masters[i % masters.length])).ms);
      if (i === 0 && wd.pid) rssFirst = statusBytes(wd.pid, "VmHWM");
    }
    const noop = masters.map(() => []);
    const derive = masters.map(() => []);
    let output = null;
    for (let run = 0; run < RUNS; run++) {
      for (let p = 0; p < masters.length; p++) {
        noop[p].push((await post(wd.url, "/noop", masters[p])).ms);
        const r = await mem.derive("/derive", masters[p]);
        derive[p].push(r.ms);
        output = r.json;
      }
    }
    const rssPeak = wd.pid ? statusBytes(wd.pid, "VmHWM") : NaN;
    const fingerprint = await fingerprintCost(wd.url, masters);
    const noopMedian = noop.map((xs) => quantile(xs, 0.5));
    const net = derive.flatMap((xs, p) => xs.map((ms) => ms - noopMedian[p]));

    // Throughput of ONE isolate with 2 concurrent requests (no memory sampling: calls overlap).
    const wall1 = await twoLanes(THROUGHPUT_JOBS, async (i) => {
      await post(wd.url, "/derive", masters[i % masters.length]);
    });
    return {
      memoryApisInside: probe.apis,
      stepMs: stats(net),
      fingerprint,
      rawRoundTripMs: stats(derive.flat()),
      noopRoundTripMs: stats(noop.flat()),
      coldFirstCallsMs: cold.map((x) => round(x)),
      samplesMs: net.map((x) => round(x)),
      lastOutput: output,
      memory: {
        wasmInitialBytes: probe.wasmMemoryBytes,
        ...mem.m,
        jsPeakBytes: mem.jsPeakBytes,
        isolatePeakBytes: mem.isolatePeakBytes,
        workerdVmHwmBaseBytes: rssBase,
        workerdVmHwmPeakBytes: rssPeak,
        workerdRssGrowthBytes: rssPeak - rssBase,
        workerdRssGrowthFirstCallBytes: rssFirst - rssBase,
      },
      oneIsolate2Concurrent: { jobs: THROUGHPUT_JOBS, wallMs: round(wall1), photosPerMin: round((THROUGHPUT_JOBS / wall1) * 60000) },
    };
  } finally {
    await wd.stop();
  }
}

/** Two workerd processes (two isolates), one request in flight on each. */
export async function benchWasmTwoIsolates(script, masters) {
  const a = await startWorkerd(script);
  const b = await startWorkerd(script);
  try {
    for (const wd of [a, b]) for (let i = 0; i < WARMUP; i++) await post(wd.url, "/derive", masters[i % masters.length]);
    const wall = await twoLanes(THROUGHPUT_JOBS, async (i, lane) => {
      await post((lane ? b : a).url, "/derive", masters[i % masters.length]);
    });
    return { jobs: THROUGHPUT_JOBS, wallMs: round(wall), photosPerMin: round((THROUGHPUT_JOBS / wall) * 60000) };
  } finally {
    await Promise.allSettled([a.stop(), b.stop()]);
  }
}

/** An orientation-6 master (originals whose master came from the IMAGES binding keep the rotation). */
export async function benchRotated(script, master) {
  const wd = await startWorkerd(script, { inspector: true });
  try {
    const mem = memoryTracker(wd, await wd.inspect.heap());
    const ms = [];
    for (let i = 0; i < 1 + 4; i++) ms.push((await mem.derive("/derive?orientation=6", master)).ms);
    return { runs: ms.length - 1, roundTripMs: stats(ms.slice(1)), ...mem.m, jsPeakBytes: mem.jsPeakBytes, isolatePeakBytes: mem.isolatePeakBytes };
  } finally {
    await wd.stop();
  }
}

export async function benchSharp(paths) {
  const { child, stop } = forkSharp();
  try {
    const msg = await new Promise((resolve, reject) => {
      child.once("message", resolve);
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`sharp child exited (${code})`)));
      child.send({ paths, runsPerPhoto: RUNS, throughputJobs: THROUGHPUT_JOBS, mark: MARK });
    });
    if (!msg.ok) throw new Error(msg.error);
    return {
      wholeMs: stats(msg.samples),
      samplesMs: msg.samples.map((x) => round(x)),
      output: msg.warm,
      rssBaseBytes: msg.rssBase,
      rssPeakBytes: msg.rssPeak,
      rssGrowthBytes: msg.rssPeak - msg.rssBase,
      twoJobs: { ...msg.throughput, wallMs: round(msg.throughput.wallMs), photosPerMin: round((msg.throughput.jobs / msg.throughput.wallMs) * 60000) },
    };
  } finally {
    stop();
  }
}
