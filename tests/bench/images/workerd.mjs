// bench:images' workerd: tests/bench/worker.ts bundled by wrangler and run by Miniflare, one
// workerd process per isolate, with the V8 inspector of its user worker for heap figures. Every
// workerd and child started here is killed however the bench ends.
import { fork, spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Miniflare } from "miniflare";
import WebSocket from "ws";
import { sleep } from "../harness/numbers.mjs";
import { procStat } from "../harness/proc-stats.mjs";
import { atExit, removeTemp, root } from "../harness/processes.mjs";
import { benchDir } from "../harness/report.mjs";
import { freePort } from "../tree.mjs";

const require = createRequire(import.meta.url);
const miniflares = new Set();
const workerdPids = new Set();
const children = new Set();
// wrangler's bundling leaves a .wrangler dir beside the config; removed unless it was there before.
const benchWranglerDir = path.join(benchDir, ".wrangler");
const hadWranglerDir = existsSync(benchWranglerDir);

function hardKill() {
  for (const pid of workerdPids) {
    try {
      process.kill(pid, 0);
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}
/** Synchronous, so it also runs from an "exit" handler (Miniflare's exit hook exits on SIGINT). */
function removeWranglerDir() {
  try {
    if (!hadWranglerDir) rmSync(benchWranglerDir, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}
atExit(hardKill);
atExit(removeWranglerDir);

/** Stops every Miniflare, kills what is left, removes the temp dirs. */
export async function cleanup() {
  await Promise.allSettled([...miniflares].map((mf) => mf.dispose()));
  miniflares.clear();
  hardKill();
  removeTemp();
  removeWranglerDir();
}

/** The sharp reference in a child Node process of its own (its RSS is its own), killed at exit. */
export function forkSharp() {
  const child = fork(path.join(benchDir, "sharp-ref.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.add(child);
  return {
    child,
    stop: () => {
      child.kill();
      children.delete(child);
    },
  };
}

/** workerd processes that are direct children of this Node process. */
function childWorkerds() {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      const s = procStat(d);
      return s && s.ppid === process.pid && s.comm.startsWith("workerd");
    })
    .map(Number);
}

export async function bundleWorker(outdir) {
  const wranglerBin = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
  const args = [wranglerBin, "deploy", "--dry-run", "--outdir", outdir, "--config", path.join(benchDir, "wrangler.bench.toml")];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise((r) => child.on("close", r));
  children.delete(child);
  if (code !== 0) throw new Error(`wrangler bundle failed (${code}):\n${out}`);
  const script = path.join(outdir, "worker.js");
  if (!existsSync(script)) throw new Error(`wrangler produced no worker.js in ${outdir}:\n${out}`);
  return script;
}

export async function startWorkerd(script, { inspector = false } = {}) {
  const before = new Set(childWorkerds());
  const port = await freePort();
  const inspectorPort = inspector ? await freePort() : undefined;
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: path.dirname(script),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["nodejs_compat"],
    host: "127.0.0.1",
    port,
    inspectorPort,
  });
  miniflares.add(mf);
  const url = await mf.ready;
  const pid = childWorkerds().find((p) => !before.has(p)) ?? null;
  if (pid) workerdPids.add(pid);
  let inspect = null;
  if (inspector) inspect = await connectInspector(inspectorPort);
  return {
    url,
    pid,
    inspect,
    async stop() {
      inspect?.close();
      await mf.dispose();
      miniflares.delete(mf);
      if (pid) {
        for (let i = 0; i < 50 && childWorkerds().includes(pid); i++) await sleep(100);
        workerdPids.delete(pid);
      }
    },
  };
}

/** The V8 inspector of the user worker's isolate: Runtime.getHeapUsage is real, unlike anything inside. */
async function connectInspector(port) {
  let targets = [];
  for (let i = 0; i < 50; i++) {
    try {
      targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
    } catch {
      /* not yet */
    }
    if (targets.some((t) => t.id === "core:user:")) break;
    await sleep(100);
  }
  const target = targets.find((t) => t.id === "core:user:");
  if (!target) throw new Error("inspector: user worker target not found");
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((res, rej) => {
    ws.once("open", res);
    ws.once("error", rej);
  });
  let id = 0;
  const pending = new Map();
  ws.on("message", (m) => {
    const d = JSON.parse(String(m));
    if (d.id && pending.has(d.id)) {
      pending.get(d.id)(d);
      pending.delete(d.id);
    }
  });
  const call = (method, params = {}) =>
    new Promise((res, rej) => {
      const i = ++id;
      const timer = setTimeout(() => {
        pending.delete(i);
        rej(new Error(`inspector ${method} timed out`));
      }, 10_000);
      pending.set(i, (d) => {
        clearTimeout(timer);
        d.error ? rej(new Error(d.error.message)) : res(d.result);
      });
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  return {
    /** V8 heap used + ArrayBuffer backing stores (WASM memory is not in either). */
    async heap() {
      const r = await call("Runtime.getHeapUsage");
      return { used: r.usedSize, total: r.totalSize, backing: r.backingStorageSize ?? 0 };
    },
    /** A full GC, so what is left is what the isolate holds live. */
    gc: () => call("HeapProfiler.takeHeapSnapshot", { reportProgress: false }),
    close: () => ws.close(),
  };
}
