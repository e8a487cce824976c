// The V8 heap of the isolate that runs Loupe, through its inspector: Runtime.getHeapUsage is the
// isolate's own figure (V8 heap used + ArrayBuffer backing stores), which is what a Worker's
// 128 MB counts, unlike the workerd process's RSS (the runtime, R2 and D1 simulators, every
// isolate). workerd takes one inspector session per isolate and wrangler dev's inspector proxy (a
// worker in its proxy workerd) holds it, reconnecting when pushed off; so the bench is that proxy's
// DevTools client (its /json lists one target, at ws://<host>/ws), the way a browser's DevTools is.
import WebSocket from "ws";
import { listeningPorts } from "../tree.mjs";

async function findTarget(pid) {
  for (const port of listeningPorts(pid)) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json`, { signal: AbortSignal.timeout(2000) })).json();
      const t = Array.isArray(targets) && targets.find((x) => x.description === "workers" && x.webSocketDebuggerUrl);
      if (t) return t;
    } catch {
      /* not the inspector proxy */
    }
  }
  return null;
}

/** A session on Loupe's isolate, or null (with why) when the inspector cannot be reached. */
export async function connectHeap(proxyPid) {
  const target = await findTarget(proxyPid);
  if (!target) return { heap: null, why: `no DevTools target on the ports of wrangler's proxy workerd (${proxyPid})` };
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  try {
    await new Promise((res, rej) => {
      ws.once("open", res);
      ws.once("error", rej);
    });
  } catch (err) {
    return { heap: null, why: `inspector: ${err.message}` };
  }
  let id = 1_000_000; // clear of the ids the proxy gives its own messages to the runtime
  const pending = new Map();
  ws.on("message", (m) => {
    const text = String(m);
    if (text.slice(0, 120).includes('"HeapProfiler.addHeapSnapshotChunk"')) return; // a snapshot taken for its GC
    const d = JSON.parse(text);
    const done = d.id && pending.get(d.id);
    if (done) {
      pending.delete(d.id);
      done(d);
    }
  });
  ws.on("error", () => {});
  // workerd answers the inspector between the isolate's tasks: while a zip keeps it busy, an
  // answer can wait many seconds.
  const send = (method, params = {}, timeoutMs = 120_000) =>
    new Promise((res, rej) => {
      const i = ++id;
      const timer = setTimeout(() => {
        pending.delete(i);
        rej(new Error(`inspector ${method} timed out`));
      }, timeoutMs);
      pending.set(i, (d) => {
        clearTimeout(timer);
        d.error ? rej(new Error(d.error.message)) : res(d.result);
      });
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  const heap = {
    /** V8 heap used and ArrayBuffer backing stores, bytes. */
    async usage() {
      const r = await send("Runtime.getHeapUsage");
      return { used: r.usedSize, total: r.totalSize, backing: r.backingStorageSize ?? 0 };
    },
    /** A full GC: a heap snapshot (its chunks are dropped), as HeapProfiler.collectGarbage gets no answer from workerd. */
    gc: () => send("HeapProfiler.takeHeapSnapshot", { reportProgress: false }, 300_000),
    /** V8's sampling CPU profiler on the isolate (workerd handles Profiler.start/stop itself). */
    profileStart: async (intervalUs = 500) => {
      await send("Profiler.enable");
      await send("Profiler.setSamplingInterval", { interval: intervalUs });
      await send("Profiler.start");
    },
    /** Stops it; self time per function (ms of samples; wall time of the isolate's thread, not CPU). */
    profileStop: async () => {
      const r = await send("Profiler.stop");
      if (!r?.profile) throw new Error(`Profiler.stop answered ${JSON.stringify(r).slice(0, 200)}`);
      return selfTimes(r.profile);
    },
    close: () => ws.close(),
  };
  try {
    await heap.usage();
  } catch (err) {
    ws.close();
    return { heap: null, why: `Runtime.getHeapUsage: ${err.message}` };
  }
  return { heap, why: null };
}

/**
 * Self time per function from a V8 CPU profile. A sample's time is the delta before it; the first
 * delta (from Profiler.start, however long ago the profiler thread began) and any gap over 50 ms
 * are dropped as not the isolate's work.
 */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map();
  let total = 0;
  profile.samples.forEach((sample, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (i === 0 || dt > 50) return;
    const f = byId.get(sample).callFrame;
    const where = f.url ? `${f.url.split("/").pop()}:${f.lineNumber + 1}` : "";
    const key = `${f.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
    ms.set(key, (ms.get(key) ?? 0) + dt);
    total += dt;
  });
  return { totalMs: total, functions: [...ms].map(([fn, t]) => ({ fn, ms: t })).sort((a, b) => b.ms - a.ms) };
}
