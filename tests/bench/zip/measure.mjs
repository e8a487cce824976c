// How bench:zip measures one download: the bytes streamed and thrown away as they arrive (never
// buffered here: only the zip's tail is kept, for its central directory), the CPU ticks of the
// workerd running Loupe across it, that process's RSS every SAMPLE_MS (and its VmHWM, reset just
// before), and the isolate's V8 heap through the inspector.
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { crc32 } from "node:zlib";
import { sleep } from "../harness/numbers.mjs";
import { cpuTicks, rss, selfTicks, statusBytes } from "../harness/proc-stats.mjs";
import { SAMPLE_MS } from "./config.mjs";

/**
 * GET that reads the body as it streams and keeps none of it: its length, optionally a running
 * CRC-32 (`crc`) and the last `tail` bytes. Resolves with the status, headers and timings.
 */
export function streamGet(port, host, path, { headers = {}, crc = false, tail = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: "127.0.0.1", port, method: "GET", path, headers: { host, ...headers }, agent: false }, (res) => {
      const ttfbMs = performance.now() - t0;
      let bytes = 0;
      let sum = 0;
      const kept = [];
      let keptBytes = 0;
      const text = [];
      res.on("data", (d) => {
        bytes += d.length;
        if (res.statusCode !== 200) {
          if (bytes < 65536) text.push(d);
          return;
        }
        if (crc) sum = crc32(d, sum);
        if (tail) {
          kept.push(d);
          keptBytes += d.length;
          while (keptBytes - kept[0].length >= tail) keptBytes -= kept.shift().length;
        }
      });
      res.on("end", () => {
        const totalMs = performance.now() - t0;
        resolve({
          status: res.statusCode,
          headers: res.headers,
          bytes,
          crc: crc ? sum : null,
          tail: tail ? Buffer.concat(kept) : null,
          text: Buffer.concat(text).toString("utf8"),
          ttfbMs,
          totalMs,
        });
      });
      res.on("error", reject);
    });
    req.setTimeout(600_000, () => req.destroy(new Error("download stalled for 600 s")));
    req.on("error", reject);
    req.end();
  });
}

/**
 * The zip's central directory, read from the stream's last bytes (`tail`, of a stream `total`
 * bytes long): its entries (name, CRC-32, sizes, method, local header offset) and where it sits.
 * Zip64 records (client-zip writes them when a size or offset needs it) are followed.
 */
export function parseZipTail(tail, total) {
  const base = total - tail.length; // stream offset of tail[0]
  let eocd = -1;
  for (let i = tail.length - 22; i >= Math.max(0, tail.length - 22 - 65535); i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("no end of central directory record in the zip's tail");
  let entries = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let zip64 = false;
  let cdEnd = eocd; // where the central directory ends (the zip64 records follow it, if any)
  if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === 0x07064b50) {
    zip64 = true;
    const rec = Number(tail.readBigUInt64LE(eocd - 20 + 8)) - base;
    if (rec < 0 || tail.readUInt32LE(rec) !== 0x06064b50) throw new Error("zip64 end of central directory record not found");
    entries = Number(tail.readBigUInt64LE(rec + 32));
    cdSize = Number(tail.readBigUInt64LE(rec + 40));
    cdOffset = Number(tail.readBigUInt64LE(rec + 48));
    cdEnd = rec;
  }
  if (cdOffset < base) throw new Error(`central directory at ${cdOffset} is before the kept tail (${base})`);
  if (cdOffset + cdSize !== base + cdEnd) throw new Error(`central directory ${cdOffset}+${cdSize} does not end where its end record starts (${base + cdEnd})`);
  if (eocd + 22 !== tail.length) throw new Error(`${tail.length - eocd - 22} bytes after the end of central directory record`);
  const list = [];
  let p = cdOffset - base;
  for (let n = 0; n < entries; n++) {
    if (tail.readUInt32LE(p) !== 0x02014b50) throw new Error(`central directory entry ${n + 1} has no signature`);
    const e = {
      flags: tail.readUInt16LE(p + 8),
      method: tail.readUInt16LE(p + 10),
      crc: tail.readUInt32LE(p + 16),
      compressed: tail.readUInt32LE(p + 20),
      size: tail.readUInt32LE(p + 24),
      offset: tail.readUInt32LE(p + 42),
    };
    const nameLen = tail.readUInt16LE(p + 28);
    const extraLen = tail.readUInt16LE(p + 30);
    const commentLen = tail.readUInt16LE(p + 32);
    e.name = tail.toString("utf8", p + 46, p + 46 + nameLen);
    // Zip64 extended information: the 64-bit values, in this order, for the fields that are 0xFFFFFFFF.
    for (let x = p + 46 + nameLen; x < p + 46 + nameLen + extraLen; ) {
      const id = tail.readUInt16LE(x);
      const len = tail.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        for (const k of ["size", "compressed", "offset"]) {
          if (e[k] === 0xffffffff && q + 8 <= x + 4 + len) {
            e[k] = Number(tail.readBigUInt64LE(q));
            q += 8;
          }
        }
      }
      x += 4 + len;
    }
    list.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (p !== cdOffset - base + cdSize) throw new Error("central directory entries do not fill its declared size");
  return { entries: list, cdOffset, cdSize, zip64 };
}

/** Checks a part against what was uploaded (by filename): names, sizes, CRC-32s, stored, nothing else. */
export function checkZip(zip, total, expected) {
  const byName = new Map(expected.map((p) => [p.filename, p]));
  const problems = [];
  let dataBytes = 0;
  for (const e of zip.entries) {
    const want = byName.get(e.name);
    if (!want) problems.push(`unexpected entry ${e.name}`);
    else {
      if (e.size !== want.size) problems.push(`${e.name}: ${e.size} bytes, uploaded ${want.size}`);
      if (e.crc !== want.crc) problems.push(`${e.name}: CRC-32 ${e.crc.toString(16)}, uploaded ${want.crc.toString(16)}`);
      byName.delete(e.name);
    }
    if (e.method !== 0) problems.push(`${e.name}: method ${e.method} (expected stored)`);
    if (e.compressed !== e.size) problems.push(`${e.name}: ${e.compressed} compressed vs ${e.size}`);
    dataBytes += e.size;
  }
  for (const name of byName.keys()) problems.push(`missing ${name}`);
  // Local headers are laid out one after another: each entry's offset follows the last one's data.
  const offsets = zip.entries.map((e) => e.offset);
  for (let i = 1; i < offsets.length; i++) if (offsets[i] <= offsets[i - 1]) problems.push(`entry ${i + 1}'s offset goes backwards`);
  return {
    entries: zip.entries.length,
    dataBytes,
    framingBytes: total - dataBytes,
    zip64: zip.zip64,
    ok: problems.length === 0,
    problems: problems.slice(0, 10),
  };
}

/** Resets the process's peak RSS (VmHWM) so a download's peak can be read after it; false if not allowed. */
function resetHwm(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

function hwm(pid) {
  try {
    return statusBytes(pid, "VmHWM");
  } catch {
    return NaN;
  }
}

/** Until the workerd is quiet (queue jobs, room pushes, GC after the last step): at most 3 ticks in a second, up to 60 s. */
export async function settle(pid) {
  for (let i = 0; i < 60; i++) {
    const a = selfTicks(pid);
    await sleep(1000);
    if (selfTicks(pid) - a <= 3) return i + 1;
  }
  return 60;
}

/**
 * Measures `run()` (the downloads): the Loupe workerd's CPU ticks (utime + stime, all its
 * threads), its RSS every SAMPLE_MS and VmHWM, the isolate's heap through the inspector, and the
 * machine's busy cores (to see whether anything else ran). Idle figures come from the second before.
 */
export async function measured(pids, heap, run) {
  const { user, proxy } = pids;
  const idleRss = [];
  for (let i = 0; i < 10; i++) {
    idleRss.push(rss(user));
    await sleep(100);
  }
  const idleHeap = heap ? await heap.usage() : null;
  const hwmReset = resetHwm(user);
  const rssSamples = [];
  const heapSamples = [];
  let heapBusy = false;
  const timer = setInterval(() => {
    rssSamples.push(rss(user));
    if (heap && !heapBusy) {
      heapBusy = true;
      heap
        .usage()
        .then((h) => heapSamples.push(h))
        .catch(() => {})
        .finally(() => {
          heapBusy = false;
        });
    }
  }, SAMPLE_MS);
  const named = { loupe: [user], proxy: [proxy], wrangler: pids.wrangler, bench: [process.pid] };
  const c0 = cpuTicks(named);
  const t0 = performance.now();
  let out;
  try {
    out = await run();
  } finally {
    clearInterval(timer);
  }
  const t1 = performance.now();
  const c1 = cpuTicks(named);
  rssSamples.push(rss(user));
  const during = heapSamples.length; // answers that came while the download ran
  while (heapBusy) await sleep(5);
  const afterHeap = heap ? await heap.usage().catch(() => null) : null;
  if (afterHeap) heapSamples.push(afterHeap);
  const idle = idleRss.filter(Number.isFinite).sort((a, b) => a - b)[Math.floor(idleRss.length / 2)];
  const peak = Math.max(...rssSamples.filter(Number.isFinite));
  const heapBytes = (h) => h.used + h.backing;
  const seconds = (t1 - t0) / 1000;
  const ticks = (k) => c1.per[k] - c0.per[k];
  return {
    out,
    seconds,
    cpuMs: { loupe: ticks("loupe") * 10, proxy: ticks("proxy") * 10, wrangler: ticks("wrangler") * 10, bench: ticks("bench") * 10 },
    cores: {
      busy: (c1.busy - c0.busy) / 100 / seconds,
      others: Math.max(0, c1.busy - c0.busy - (c1.mine - c0.mine)) / 100 / seconds,
    },
    rss: {
      idle,
      peak,
      peakDelta: peak - idle,
      hwm: hwmReset ? hwm(user) : null,
      hwmDelta: hwmReset ? hwm(user) - idle : null,
      samples: rssSamples.length,
    },
    heap: idleHeap
      ? {
          idle: heapBytes(idleHeap),
          idleTotal: idleHeap.total,
          after: afterHeap ? heapBytes(afterHeap) : null,
          // The largest used + ArrayBuffers seen (during, when the isolate answered, and right after),
          // and V8's committed heap (totalSize), which grows to hold a peak and is not given back while busy.
          peak: Math.max(heapBytes(idleHeap), ...heapSamples.map(heapBytes)),
          peakUsed: Math.max(idleHeap.used, ...heapSamples.map((h) => h.used)),
          peakBacking: Math.max(idleHeap.backing, ...heapSamples.map((h) => h.backing)),
          peakTotal: Math.max(idleHeap.total, ...heapSamples.map((h) => h.total)),
          samplesDuring: during,
        }
      : null,
  };
}

/**
 * GET that stops reading every `everyBytes` (the isolate then waits on backpressure and answers
 * the inspector) and awaits `onPause(bytesSoFar)` before reading on. Resolves with the length.
 */
export function pausingGet(port, host, path, { headers = {}, everyBytes, onPause }) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "GET", path, headers: { host, ...headers }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      let bytes = 0;
      let next = everyBytes;
      res.on("data", (d) => {
        bytes += d.length;
        if (bytes < next) return;
        next += everyBytes;
        res.pause();
        onPause(bytes).then(
          () => res.resume(),
          (err) => req.destroy(err),
        );
      });
      res.on("end", () => resolve({ bytes }));
      res.on("error", reject);
    });
    req.setTimeout(600_000, () => req.destroy(new Error("download stalled for 600 s")));
    req.on("error", reject);
    req.end();
  });
}
