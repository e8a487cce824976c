// What-if, outside Loupe: the same client-zip over the same local R2 (miniflare, in workerd, with
// Loupe's compatibility date and flags; objects of 20 MiB stored multipart in 8 MiB parts as
// Loupe's originals are) in a bare worker, three ways:
//   as-loupe   makeZip over each R2 object's body as it comes (what zip-stream.ts does)
//   byob-1mib  the same, but each body read with a BYOB reader's readAtLeast(1 MiB) (a workerd
//              extension), so client-zip and the response see 1 MiB chunks instead of R2's small ones
//   reference  the objects one by one, each body piped to the response natively (what /dl/ does)
// Objects stored one way or both (BENCH_ZIP_WHATIF_LAYOUTS): multipart (as Loupe's originals; miniflare's R2 then streams each part
// through JS in its own isolate, which production R2 does not) and in one put. For each: workerd CPU
// ms per GB, the least of two downloads nothing interrupts, and the isolate's live heap (GC forced
// through the inspector) while the client pauses every 50 MB. It shows what the bytes
// cost per chunk rather than per byte, and whether memory stays flat, with nothing else in the way.
import { readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { Miniflare } from "miniflare";
import WebSocket from "ws";
import { sleep } from "../harness/numbers.mjs";
import { procStat, selfTicks } from "../harness/proc-stats.mjs";
import { root } from "../harness/processes.mjs";
import { descendants } from "../stats.mjs";
import { MiB, WHATIF_LAYOUTS } from "./config.mjs";
import { pausingGet } from "./measure.mjs";

const OBJECT_BYTES = 20 * MiB;
const PASSES = 2;

const WORKER = `
import { makeZip } from "./client-zip.js";
const BIG = 1024 * 1024;
/** An R2 body read natively in chunks of BIG bytes (the last one shorter). */
function rechunked(body, size) {
  const reader = body.getReader({ mode: "byob" });
  let left = size;
  return new ReadableStream({
    async pull(c) {
      if (left <= 0) return c.close();
      const want = Math.min(BIG, left);
      const { value, done } = await reader.readAtLeast(want, new Uint8Array(want));
      if (done && !value?.length) return c.close();
      left -= value.length;
      c.enqueue(value);
    },
  });
}
export default {
  async fetch(req, env) {
    const u = new URL(req.url);
    const n = Number(u.searchParams.get("n"));
    const mode = u.searchParams.get("mode");
    const layout = u.searchParams.get("layout"); // "m": multipart in 8 MiB parts, as Loupe's originals; "s": one put
    if (mode === "put") {
      const i = Number(u.searchParams.get("i"));
      if (layout === "s") {
        await env.B.put("s" + i, new Uint8Array(${OBJECT_BYTES}).fill(i & 0xff));
        return new Response("ok");
      }
      const up = await env.B.createMultipartUpload("m" + i);
      const parts = [];
      for (let off = 0; off < ${OBJECT_BYTES}; off += ${8 * MiB}) {
        const len = Math.min(${8 * MiB}, ${OBJECT_BYTES} - off);
        parts.push(await up.uploadPart(parts.length + 1, new Uint8Array(len).fill(i & 0xff)));
      }
      await up.complete(parts);
      return new Response("ok");
    }
    if (mode === "reference") {
      const o = await env.B.get(layout + u.searchParams.get("i"));
      return new Response(o.body, { headers: { "content-length": String(o.size) } });
    }
    async function* entries() {
      for (let i = 0; i < n; i++) {
        const o = await env.B.get(layout + i);
        yield { name: "IMG_" + i + ".jpg", input: mode === "byob-1mib" ? rechunked(o.body, o.size) : o.body, size: o.size, lastModified: new Date(0) };
      }
    }
    return new Response(makeZip(entries()), { headers: { "content-type": "application/zip" } });
  },
};`;

/** Least-squares growth of live heap against bytes streamed, bytes per GB (null under 2 points). */
export function slopePerGB(points) {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((a, p) => a + p.bytes, 0) / n;
  const my = points.reduce((a, p) => a + p.live, 0) / n;
  const den = points.reduce((a, p) => a + (p.bytes - mx) ** 2, 0);
  return den ? (points.reduce((a, p) => a + (p.bytes - mx) * (p.live - my), 0) / den) * 1e9 : null;
}

function compat() {
  const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
  return {
    date: /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1],
    flags: JSON.parse(/^compatibility_flags\s*=\s*(\[[^\]]*\])/m.exec(toml)?.[1] ?? "[]"),
  };
}

function get(url, pathname) {
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path: pathname, agent: false }, (res) => {
      let bytes = 0;
      res.on("data", (d) => {
        bytes += d.length;
      });
      res.on("end", () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

async function inspector(mf) {
  const base = (await mf.getInspectorURL()).href.replace(/^ws/, "http");
  const targets = await (await fetch(new URL("/json", base))).json();
  const t = targets.find((x) => x.id.startsWith("core:user:"));
  const ws = new WebSocket(t.webSocketDebuggerUrl, { maxPayload: 2 ** 30 });
  await new Promise((res, rej) => {
    ws.once("open", res);
    ws.once("error", rej);
  });
  let id = 0;
  const pending = new Map();
  ws.on("message", (m) => {
    const text = String(m);
    if (text.slice(0, 120).includes('"HeapProfiler.addHeapSnapshotChunk"')) return;
    const d = JSON.parse(text);
    if (d.id && pending.has(d.id)) {
      pending.get(d.id)(d.result);
      pending.delete(d.id);
    }
  });
  const send = (method, params = {}) =>
    new Promise((res) => {
      const i = ++id;
      pending.set(i, res);
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  return {
    async live() {
      await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const h = await send("Runtime.getHeapUsage");
      return h.usedSize + (h.backingStorageSize ?? 0);
    },
    close: () => ws.close(),
  };
}

/** Runs the what-if with `gb` GB of 20 MiB objects; returns per mode CPU ms/GB, MB/s and live-heap growth. */
export async function whatIf(gb) {
  const n = Math.max(1, Math.round((gb * 1e9) / OBJECT_BYTES));
  const LAYOUTS = WHATIF_LAYOUTS.map((l) => (l === "multipart" ? "m" : "s"));
  const c = compat();
  const mf = new Miniflare({
    name: "zipwhatif",
    modules: [
      { type: "ESModule", path: "index.js", contents: WORKER },
      { type: "ESModule", path: "client-zip.js", contents: readFileSync(path.join(root, "node_modules", "client-zip", "index.js"), "utf8") },
    ],
    compatibilityDate: c.date,
    compatibilityFlags: c.flags,
    r2Buckets: ["B"],
    inspectorPort: 0,
    port: 0,
  });
  try {
    const url = await mf.ready;
    for (const layout of LAYOUTS) for (let i = 0; i < n; i++) await get(url, `/?mode=put&layout=${layout}&i=${i}`);
    const workerd = descendants(process.pid).find((p) => procStat(p)?.comm.startsWith("workerd"));
    const heap = await inspector(mf);
    const out = { objects: n, objectBytes: OBJECT_BYTES, compatibilityDate: c.date, compatibilityFlags: c.flags, passes: PASSES, layouts: {} };
    for (const layout of LAYOUTS) {
      const modes = {};
      for (const mode of ["reference", "as-loupe", "byob-1mib"]) {
        // CPU: the least of PASSES uninterrupted downloads (this machine is shared).
        const passes = [];
        for (let k = 0; k < PASSES; k++) {
          await sleep(1000);
          const t0 = performance.now();
          const k0 = selfTicks(workerd);
          let bytes = 0;
          if (mode === "reference") for (let i = 0; i < n; i++) bytes += await get(url, `/?mode=reference&layout=${layout}&i=${i}`);
          else bytes = await get(url, `/?mode=${mode}&layout=${layout}&n=${n}`);
          passes.push({ bytes, seconds: (performance.now() - t0) / 1000, cpuMs: (selfTicks(workerd) - k0) * 10 });
        }
        const best = passes.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
        const r = { passes, cpuMsPerGB: best.cpuMs / ((n * OBJECT_BYTES) / 1e9), mbPerSecond: best.bytes / 1e6 / best.seconds };
        if (mode !== "reference") {
          const points = [{ bytes: 0, live: await heap.live() }];
          await pausingGet(url.port, url.host, `/?mode=${mode}&layout=${layout}&n=${n}`, {
            everyBytes: 50e6,
            onPause: async (b) => {
              await sleep(300);
              points.push({ bytes: b, live: await heap.live() });
            },
          });
          r.liveHeap = points;
          r.liveHeapGrowthPerGB = slopePerGB(points.filter((p) => p.bytes < 0.95 * n * OBJECT_BYTES));
        }
        modes[mode] = r;
        console.log(
          `    what-if ${layout === "m" ? "multipart" : "one put  "} ${mode.padEnd(9)}: ${Math.round(r.cpuMsPerGB)} CPU ms/GB, ${r.mbPerSecond.toFixed(0)} MB/s${r.liveHeap ? `, live heap ${r.liveHeap.map((p) => (p.live / MiB).toFixed(1)).join(" → ")} MiB` : ""}`,
        );
      }
      out.layouts[layout === "m" ? "multipart" : "single"] = modes;
    }
    heap.close();
    return out;
  } finally {
    await mf.dispose();
  }
}
