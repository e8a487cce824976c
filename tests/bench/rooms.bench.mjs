// `npm run bench:rooms`: live proofing rooms under load, against the reference y-websocket relay.
//   1. Fan-out latency: N clients in one room; a rotating sender toggles a pick (Loupe: an intent
//      frame; reference: a Yjs update to a Y.Map), timed until the last of the other N-1 clients
//      has the change applied in its own Y.Doc. Also: intents sent / acked / lost, and a fresh
//      client's sync afterwards must show every acknowledged change.
//   2. Idle memory: R rooms × 10 synced idle clients; RSS of the server process after minus before,
//      per connection.
// Loupe runs as `npm start` does (scripts/start.mjs → wrangler dev → workerd) on a free port with
// a fresh state dir; the reference relay (@y/websocket-server) runs as its own Node child process,
// so neither server shares an event loop with the clients (all clients live in this process, so
// one performance.now() clock times every sample).
// Writes tests/bench/results/rooms.json and rooms.md and prints the table.
//
// Knobs (env): ROOMS_CLIENTS=100 (clients in the latency room)  ROOMS_ROUNDS=300 (timed rounds,
// after ROOMS_WARMUP=30)  ROOMS_IDLE_ROOMS=1000 (× 10 idle clients each)
// ROOMS_ONLY=reference|loupe (run one side only; the ratios then stay empty)
// ROOMS_IDLE_VIA_PROXY=1 (idle sockets through wrangler's proxy, as the latency room's go; its
// open-files limit then caps the idle run at about 3,300 sockets).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { request } from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { descendants, quantile } from "./stats.mjs";
import { freePort, workerEntryPort } from "./tree.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

const CLIENTS = Number(process.env.ROOMS_CLIENTS ?? 100);
const ROUNDS = Number(process.env.ROOMS_ROUNDS ?? 300);
const WARMUP = Number(process.env.ROOMS_WARMUP ?? 30);
const IDLE_ROOMS = Number(process.env.ROOMS_IDLE_ROOMS ?? 1000);
const PER_ROOM = 10;
const ONLY = process.env.ROOMS_ONLY ?? "both";
// Idle sockets go straight to the workerd that runs Loupe unless this is set (see main()).
const IDLE_VIA_PROXY = process.env.ROOMS_IDLE_VIA_PROXY === "1";
const RUN_LOUPE = ONLY !== "reference";
const RUN_REFERENCE = ONLY !== "loupe";

const ROUND_TIMEOUT_MS = 10_000; // a round whose change has not reached everyone by then is counted lost
const MAX_TIMEOUTS = 10; // rounds allowed to time out before the scenario gives up
const CONNECT_TIMEOUT_MS = 30_000;
const SETTLE_MS = 3_000; // after the last idle client synced, before the RSS reading
const LATER_MS = 30_000; // a second RSS reading, to show whether idle rooms shrink (hibernation)
const FD_MARGIN = 300; // open files left free in every server process when sizing the idle run
const DEMO = { email: "demo@loupe.localhost", password: "demo-password-2026", slug: "demo" };
const MiB = 1024 * 1024;
const startedAt = performance.now();
let phase = "starting the servers"; // what the run is doing, for messages about wrangler reloads and CPU use

// ---------------------------------------------------------------- processes we start, and clean-up
const groups = new Set(); // detached children: each is its own process group
function killGroups(signal = "SIGKILL") {
  for (const child of groups) {
    try { process.kill(-child.pid, signal); } catch { /* already gone */ }
  }
}
const tempDirs = [];
function removeTemp() {
  for (const d of tempDirs) try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
}
process.on("exit", () => { killGroups(); removeTemp(); });
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping the servers`);
    process.exit(130);
  });
}

/** Spawns `cmd` detached (its own process group, so its whole tree can be stopped) and keeps the
 *  tail of its output for error messages; `ready` resolves once `readyText` was printed. */
function startChild(name, cmd, args, env, readyText, timeoutMs) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.add(child);
  let out = "";
  // wrangler logs every request and upgrade; keep only a tail so 10,000 sockets cost nothing here.
  const reloads = [];
  const keep = (d) => {
    out = (out + d).slice(-200_000);
    // wrangler dev rebuilds and restarts the worker's workerd when a source file changes under it
    // (someone editing the tree during the run): sockets drop and memory resets, so say when.
    for (let i = String(d).split("Reloading local server").length - 1; i > 0; i--) {
      reloads.push({ phase, atSeconds: round((performance.now() - startedAt) / 1000, 1) });
      console.log(`  !! wrangler dev reloaded the worker (a source file changed) during: ${phase}`);
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not print "${readyText}" within ${timeoutMs / 1000} s:\n${out.slice(-4000)}`)), timeoutMs);
    const check = () => {
      if (out.includes(readyText)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on("data", check);
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}) before it was ready:\n${out.slice(-4000)}`)); });
  });
  return { child, ready, output: () => out, reloads: () => [...reloads] };
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
  for (let i = 0; i < 30 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
  try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ }
  groups.delete(child);
}

// ---------------------------------------------------------------- small helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 2) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? "n/a" : String(round(x, d)));

const summary = (xs) => ({
  n: xs.length,
  p50: round(quantile(xs, 0.5)), p95: round(quantile(xs, 0.95)), p99: round(quantile(xs, 0.99)),
  mean: round(xs.reduce((a, b) => a + b, 0) / xs.length), max: round(Math.max(...xs)),
});

/** Runs fn over items with at most `limit` in flight. */
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}


// ---------------------------------------------------------------- /proc: process tree, RSS, open files
function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // comm may contain spaces
    return {
      ppid: Number(rest[1]), comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      cpuTicks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]), // utime stime cutime cstime
    };
  } catch { return null; }
}
/** CPU ticks (1/100 s) the whole machine spent busy, and this process tree's share of them. */
function cpuTicks() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const busy = f[1] + f[2] + f[3] + f[6] + f[7]; // user nice system irq softirq (not idle, iowait, steal)
  const mine = [process.pid, ...descendants(process.pid)].reduce((sum, p) => sum + (procStat(p)?.cpuTicks ?? 0), 0);
  return { busy, mine, at: performance.now() };
}

/** Marks the start of a phase; the previous one is closed with how busy the 2 cores were and how
 *  much of that was other processes (someone's tests on this shared machine skew latencies). */
const phases = [];
function setPhase(name) {
  const now = cpuTicks();
  const prev = phases.at(-1);
  if (prev) {
    const s = (now.at - prev.start.at) / 1000;
    Object.assign(prev, {
      seconds: round(s, 1),
      busyCores: round((now.busy - prev.start.busy) / 100 / s),
      otherCores: round(Math.max(0, (now.busy - prev.start.busy) - (now.mine - prev.start.mine)) / 100 / s),
    });
    delete prev.start;
  }
  phase = name;
  if (name) phases.push({ name, start: now });
}

const cmdline = (pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" "); } catch { return ""; } };
/** Resident set size in bytes (VmRSS), or NaN once the process is gone. */
function rss(pid) {
  try { return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) * 1024; } catch { return NaN; }
}
const openFiles = (pid) => { try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return NaN; } };
function fdLimit(pid) {
  let limits = "";
  try { limits = readFileSync(`/proc/${pid}/limits`, "utf8"); } catch { return { soft: NaN, hard: NaN }; } // process gone
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(limits);
  const n = (s) => (s === "unlimited" ? Infinity : Number(s));
  return { soft: n(m[1]), hard: n(m[2]) };
}
/** Counts this process's open sockets (a ws client holds one). */
const ownSockets = () => readdirSync("/proc/self/fd").filter((f) => { try { return readlinkSync(`/proc/self/fd/${f}`).startsWith("socket:"); } catch { return false; } }).length;

/** wrangler dev runs two workerd processes: its proxy, listening on the public port (a browser's
 *  socket lands there and is forwarded), and the one that runs Loupe's worker and Durable Objects. */
function loupeWorkerds(startPid, port) {
  const all = descendants(startPid).filter((p) => procStat(p)?.comm.startsWith("workerd"));
  const proxy = all.find((p) => cmdline(p).includes(`--socket-addr=entry=127.0.0.1:${port}`));
  const user = all.filter((p) => p !== proxy);
  if (!proxy || user.length !== 1) throw new Error(`expected 2 workerd processes under wrangler dev, found: ${all.map((p) => `${p} ${cmdline(p).slice(0, 120)}`).join("; ")}`);
  return { proxy, user: user[0] };
}

/** The port on which the workerd running Loupe takes requests itself: the one answering /readyz. */
const userEntryPort = (pid, host) => workerEntryPort(pid, async (port) => (await call(port, "GET", host, "/readyz"))?.status === 200);

// ---------------------------------------------------------------- HTTP to Loupe (Host header, cookies)
function call(port, method, host, pathname, body, cookie) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers = { host, ...(data ? { "content-type": "application/json" } : {}), ...(cookie ? { cookie } : {}) };
    // State-changing requests must carry an Origin matching the host (the worker's CSRF check).
    if (method !== "GET") headers.origin = `http://${host}`;
    const req = request({ host: "127.0.0.1", port, method, path: pathname, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, text, cookies: res.headers["set-cookie"] ?? [] });
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}
async function must(promise, status, what) {
  const r = await promise;
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

// ---------------------------------------------------------------- one Yjs sync client
const MSG_SYNC = 0;
const YPS = "__YPS:";

/** A WebSocket with its own Y.Doc speaking y-protocols sync, as a browser tab would. `writable`
 *  clients (the reference relay's) send their local changes as Yjs updates; Loupe's clients never
 *  write the document, they send intents and see the result as the server's update. */
class SyncClient {
  constructor(name, { writable = false } = {}) {
    this.name = name;
    this.doc = new Y.Doc();
    this.picks = this.doc.getMap("picks");
    this.synced = false;
    this.watch = null; // { key, present, seen(t) }: a change this client waits to see
    this.replies = new Map(); // intent id → resolve(reply)
    this.closed = null;
    if (writable) {
      this.doc.on("update", (update, origin) => {
        if (origin === this) return; // came from the server
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_SYNC);
        syncProtocol.writeUpdate(enc, update);
        this.ws.send(encoding.toUint8Array(enc));
      });
    }
  }

  /** Opens the socket and resolves once the server's document arrived (sync step 2). */
  open(url, host) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: host ? { host } : {}, perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
      this.ws = ws;
      const timer = setTimeout(() => { fail(new Error("not synced within 30 s")); ws.terminate(); }, CONNECT_TIMEOUT_MS);
      const fail = (err) => { clearTimeout(timer); reject(err); };
      this.onSynced = () => { clearTimeout(timer); resolve(this); };
      ws.on("open", () => {
        // Our step 1 asks for the whole document; the server answers with step 2.
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_SYNC);
        syncProtocol.writeSyncStep1(enc, this.doc);
        ws.send(encoding.toUint8Array(enc));
      });
      ws.on("message", (data, isBinary) => (isBinary ? this.onBinary(data) : this.onText(data.toString())));
      ws.on("error", fail);
      ws.on("close", (code, reason) => {
        this.closed = { code, reason: reason.toString() };
        fail(new Error(`closed ${code} ${reason}`));
      });
    });
  }

  onBinary(data) {
    const dec = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (decoding.readVarUint(dec) !== MSG_SYNC) return; // awareness: these clients show no presence
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_SYNC);
    // Step 1 from the server gets our step 2 (Loupe ignores it); step 2 and updates are applied.
    const kind = syncProtocol.readSyncMessage(dec, enc, this.doc, this);
    if (encoding.length(enc) > 1) this.ws.send(encoding.toUint8Array(enc));
    if (kind === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      this.synced = true;
      this.onSynced();
    }
    if (this.watch && this.picks.has(this.watch.key) === this.watch.present) {
      const w = this.watch;
      this.watch = null;
      w.seen(performance.now());
    }
  }

  onText(text) {
    if (!text.startsWith(YPS)) return;
    let msg;
    try { msg = JSON.parse(text.slice(YPS.length)); } catch { return; }
    if ((msg.type === "ack" || msg.type === "rejected") && this.replies.has(msg.id)) {
      const resolve = this.replies.get(msg.id);
      this.replies.delete(msg.id);
      resolve({ ...msg, at: performance.now() });
    }
  }

  /** Sends an intent; the promise settles with the server's ack or rejection, and never if
   *  neither comes (the caller counts those as lost). */
  intent(body) {
    return new Promise((resolve) => {
      this.replies.set(body.id, resolve);
      try { this.ws.send(YPS + JSON.stringify(body)); } catch { /* socket gone: stays unanswered */ }
    });
  }

  close() {
    try { this.ws?.terminate(); } catch { /* already closed */ }
  }
}

/** Opens clients with at most `limit` handshakes in flight; returns the synced ones and why the others failed. */
async function openMany(specs, limit) {
  const failures = new Map();
  const opened = await mapLimit(specs, limit, async (s) => {
    const c = new SyncClient(s.name, s);
    try {
      return await c.open(s.url, s.host);
    } catch (err) {
      c.close();
      const why = String(err.message).slice(0, 120);
      failures.set(why, (failures.get(why) ?? 0) + 1);
      return null;
    }
  });
  return { clients: opened.filter(Boolean), failures: Object.fromEntries(failures) };
}
const closeAll = async (clients) => {
  for (const c of clients) c.close();
  await sleep(1000); // let both ends drop the sockets before the next phase
};

// ---------------------------------------------------------------- scenario 1: fan-out latency
/** Round r: sender r mod N; it picks photo ⌊k/2⌋ (k = ⌊r/N⌋) on even k, unpicks it on odd k, so
 *  every round really changes the document. `send(sender, key, type, photoId)` starts the change. */
async function fanOut(clients, photos, send) {
  const n = clients.length;
  const samples = [];
  const starts = [];
  const begin = performance.now();
  let timedOut = 0;
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    const sender = clients[r % n];
    const k = Math.floor(r / n);
    const photoId = photos[Math.floor(k / 2) % photos.length];
    const type = k % 2 === 0 ? "pick" : "unpick";
    const key = `${sender.listId}/${photoId}`;
    let last = 0;
    let left = n - 1;
    let done;
    const all = new Promise((resolve) => (done = resolve));
    for (const c of clients) {
      if (c === sender) continue;
      c.watch = { key, present: type === "pick", seen: (t) => { last = Math.max(last, t); if (--left === 0) done(true); } };
    }
    const t0 = performance.now();
    send(sender, key, type, photoId);
    const ok = await Promise.race([all, sleep(ROUND_TIMEOUT_MS).then(() => false)]);
    for (const c of clients) c.watch = null;
    if (!ok) {
      // A change that never reaches everyone is a finding, not a slow sample; after a few the
      // server is clearly broken and waiting 10 s per round would only stretch the run.
      if (++timedOut >= MAX_TIMEOUTS) { console.log(`  ${timedOut} rounds timed out; stopping this scenario`); break; }
      continue;
    }
    if (r >= WARMUP) { samples.push(last - t0); starts.push(t0 - begin); }
  }
  // Raw samples go to the JSON: a tail shows in when it happens (periodic server work or not).
  return { samples, timedOut, raw: { ms: samples.map((x) => round(x)), atSeconds: starts.map((x) => round(x / 1000)) } };
}

async function referenceLatency(port, photos) {
  const specs = Array.from({ length: CLIENTS }, (_, i) => ({ name: `ref-${i}`, url: `ws://127.0.0.1:${port}/bench-latency`, writable: true }));
  const { clients, failures } = await openMany(specs, 50);
  if (clients.length !== CLIENTS) throw new Error(`reference: only ${clients.length}/${CLIENTS} clients synced: ${JSON.stringify(failures)}`);
  clients.forEach((c, i) => (c.listId = `list-ref-${i}`));
  // The sender changes its own Y.Doc; its update handler sends the Yjs update to the relay.
  const { samples, timedOut, raw } = await fanOut(clients, photos, (sender, key, type, photoId) => {
    if (type === "pick") sender.picks.set(key, { listId: sender.listId, photoId, by: sender.name, at: Date.now() });
    else sender.picks.delete(key);
  });
  await closeAll(clients);
  return { clients: clients.length, rounds: samples.length, warmup: WARMUP, timedOut, latencyMs: summary(samples), raw };
}

async function loupeLatency(loupe, photos) {
  const { port, studioHost, sampleGallery, token, runId } = loupe;
  const url = (gid, tok) => `ws://127.0.0.1:${port}/g/${gid}/room?token=${tok}`;
  const specs = await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => ({
    name: `bench-client-${i}`, host: studioHost, url: url(sampleGallery, await token(sampleGallery, `bench-client-${i}`, `Client ${i}`, loupe.sampleAv)),
  })));
  const { clients, failures } = await openMany(specs, 25);
  if (clients.length !== CLIENTS) throw new Error(`Loupe: only ${clients.length}/${CLIENTS} clients synced: ${JSON.stringify(failures)}`);

  // Every intent and its outcome, to count acks and losses and to verify the document afterwards.
  const log = [];
  let seq = 0;
  const sendIntent = (client, body) => {
    const n = seq++;
    const wire = { ...body, id: `${runId}-${client.name.replace("bench-client-", "c")}-${n}` };
    const entry = { ...wire, seq: n, sentAt: performance.now(), reply: null };
    log.push(entry);
    return client.intent(wire).then((reply) => (entry.reply = reply));
  };

  // Each client makes its own list first (the room only lets a client pick into its own lists).
  await Promise.all(clients.map((c, i) => {
    c.listId = `${runId}-list-${i}`;
    return sendIntent(c, { type: "list.create", listId: c.listId, name: "Favourites" });
  }).map((p) => Promise.race([p, sleep(ROUND_TIMEOUT_MS)])));
  const listRejected = log.filter((e) => e.reply?.type === "rejected");
  if (listRejected.length) throw new Error(`Loupe rejected list.create: ${JSON.stringify(listRejected[0].reply)}`);

  const { samples, timedOut, raw } = await fanOut(clients, photos, (sender, _key, type, photoId) => {
    sendIntent(sender, { type, listId: sender.listId, photoId });
  });
  // Give late replies a moment, then count; an intent with neither ack nor rejection is lost.
  const grace = performance.now() + ROUND_TIMEOUT_MS;
  while (log.some((e) => !e.reply) && performance.now() < grace) await sleep(50);
  const acked = log.filter((e) => e.reply?.type === "ack");
  const rejected = log.filter((e) => e.reply?.type === "rejected");
  const lost = log.filter((e) => !e.reply);
  const ackMs = acked.filter((e) => e.type !== "list.create").map((e) => e.reply.at - e.sentAt);
  await closeAll(clients);

  const verify = await verifyDocument(loupe, acked);
  return {
    clients: clients.length, rounds: samples.length, warmup: WARMUP, timedOut, latencyMs: summary(samples), ackMs: summary(ackMs.slice(-ROUNDS)),
    intents: { sent: log.length, acked: acked.length, rejected: rejected.length, lost: lost.length },
    rejections: rejected.slice(0, 5).map((e) => ({ intent: e.type, code: e.reply.code, message: e.reply.message })),
    lostSample: lost.slice(0, 5).map((e) => ({ id: e.id, type: e.type })),
    verify, raw: { ...raw, ackMs: ackMs.slice(-ROUNDS).map((x) => round(x)) },
  };
}

/** A fresh client syncs the document; for every pick key, the last acknowledged intent must be
 *  what the document shows (pick → present, unpick → absent), and every acknowledged list exists. */
async function verifyDocument(loupe, acked) {
  const c = new SyncClient("bench-verifier");
  await c.open(`ws://127.0.0.1:${loupe.port}/g/${loupe.sampleGallery}/room?token=${await loupe.token(loupe.sampleGallery, "bench-verifier", "Verifier", loupe.sampleAv)}`, loupe.studioHost);
  const lists = c.doc.getMap("lists");
  const expected = new Map(); // key → present after the last acknowledged intent
  for (const e of [...acked].sort((a, b) => a.seq - b.seq)) {
    if (e.type === "pick" || e.type === "unpick") expected.set(`${e.listId}/${e.photoId}`, e.type === "pick");
  }
  const wantPresent = [...expected].filter(([, p]) => p).map(([k]) => k);
  const wantAbsent = [...expected].filter(([, p]) => !p).map(([k]) => k);
  const listIds = [...new Set(acked.filter((e) => e.type === "list.create").map((e) => e.listId))];
  const result = {
    picksExpected: wantPresent.length, picksPresent: wantPresent.filter((k) => c.picks.has(k)).length,
    unpicksExpected: wantAbsent.length, unpicksAbsent: wantAbsent.filter((k) => !c.picks.has(k)).length,
    listsExpected: listIds.length, listsPresent: listIds.filter((id) => lists.has(id)).length,
    picksInDocument: c.picks.size,
  };
  result.ok = result.picksPresent === result.picksExpected && result.unpicksAbsent === result.unpicksExpected && result.listsPresent === result.listsExpected;
  c.close();
  return result;
}

// ---------------------------------------------------------------- scenario 2: idle memory
/** Opens `rooms` × 10 idle clients, a chunk of rooms at a time. Before each chunk it checks that
 *  every server process (and this one) has the open files for it, at the rate the previous chunk
 *  cost, so no process is pushed into EMFILE (that would measure a failure, not memory); where a
 *  limit binds, the run stops there and says which. RSS "before" is read before the first socket. */
async function idleMemory({ name, rooms, specsFor, servers, limit, valid = () => true }) {
  const procs = { ...servers, bench: "self" }; // this process holds one socket per client
  const rssOf = () => Object.fromEntries(Object.entries(servers).map(([k, pid]) => [k, rss(pid)]));
  const fdsOf = () => Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, openFiles(pid)]));
  const before = rssOf();
  const fdBefore = fdsOf();
  const t0 = performance.now();

  const clients = [];
  const failures = {};
  let opened = 0;
  let rate = null; // open files per client in each process, from the last chunk
  let limitedBy = null;
  while (opened < rooms) {
    if (!valid()) break; // the server restarted under us: what follows would measure nothing
    let n = Math.min(opened === 0 ? 10 : 50, rooms - opened);
    if (rate) {
      const now = fdsOf();
      for (const [k, pid] of Object.entries(procs)) {
        if (!(rate[k] > 0)) continue;
        const fits = Math.floor((fdLimit(pid).soft - now[k] - FD_MARGIN) / (rate[k] * PER_ROOM));
        if (fits < n) { n = Math.max(0, fits); limitedBy = k; }
      }
      if (n === 0) break;
    }
    const fdStart = fdsOf();
    const chunk = await openMany(await specsFor(opened, opened + n), limit);
    const fdEnd = fdsOf();
    clients.push(...chunk.clients);
    for (const [why, count] of Object.entries(chunk.failures)) failures[why] = (failures[why] ?? 0) + count;
    rate = Object.fromEntries(Object.keys(procs).map((k) => [k, (fdEnd[k] - fdStart[k]) / Math.max(1, chunk.clients.length)]));
    opened += n;
  }
  if (opened < rooms && limitedBy) console.log(`  ${name}: the open-files limit of ${limitedBy} leaves room for ${opened} of ${rooms} rooms`);
  const connectS = (performance.now() - t0) / 1000;
  const roomsOpened = opened;
  if (valid()) await sleep(SETTLE_MS);
  const after = rssOf();
  const fdAfter = fdsOf();
  if (valid()) await sleep(LATER_MS);
  const later = rssOf();
  await closeAll(clients);

  const per = (k, at) => ((at[k] - before[k]) / clients.length) / 1024;
  return {
    roomsWanted: rooms, clientsWanted: rooms * PER_ROOM, roomsOpened, clientsSynced: clients.length, failures, limitedBy,
    connectSeconds: round(connectS, 1),
    fdLimits: Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, fdLimit(pid)])),
    fdsPerConnection: Object.fromEntries(Object.keys(procs).map((k) => [k, round((fdAfter[k] - fdBefore[k]) / Math.max(1, clients.length), 2)])),
    fdsBefore: fdBefore, fdsAfter: fdAfter,
    rssMiB: Object.fromEntries(Object.keys(servers).map((k) => [k, { before: round(before[k] / MiB, 1), after: round(after[k] / MiB, 1), later: round(later[k] / MiB, 1) }])),
    perConnectionKiB: Object.fromEntries(Object.keys(servers).map((k) => [k, { after: round(per(k, after), 1), later: round(per(k, later), 1) }])),
  };
}

// ---------------------------------------------------------------- the two servers
async function startReference() {
  const port = await freePort();
  const server = path.join(root, "node_modules/@y/websocket-server/src/server.js");
  const ref = startChild("reference relay", process.execPath, [server], { HOST: "127.0.0.1", PORT: String(port) }, "running at", 30_000);
  await ref.ready;
  return { port, pid: ref.child.pid, child: ref.child };
}

async function startLoupe() {
  const port = await freePort();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "loupe-bench-rooms-"));
  tempDirs.push(stateDir);
  const run = startChild("npm start (scripts/start.mjs)", process.execPath, ["scripts/start.mjs"],
    { LOUPE_PORT: String(port), LOUPE_STATE_DIR: stateDir }, "Loupe is running.", 300_000);
  await run.ready;
  const sampleGallery = /Sample gallery: http:\/\/[^/]+\/g\/([\w-]+)/.exec(run.output())?.[1];
  if (!sampleGallery) throw new Error(`no sample gallery in npm start's output:\n${run.output().slice(-2000)}`);
  const secret = /^JWT_SECRET=(.+)$/m.exec(readFileSync(path.join(root, ".dev.vars"), "utf8"))?.[1].trim();
  if (!secret) throw new Error(".dev.vars has no JWT_SECRET");

  const appHost = `app.localhost:${port}`;
  const login = await call(port, "POST", appHost, "/api/auth/login", { email: DEMO.email, password: DEMO.password });
  if (login.status !== 200) throw new Error(`login: HTTP ${login.status} ${login.text}`);
  // The session cookies are Secure (__Host-); this harness sends them over loopback itself.
  const cookie = login.cookies.map((c) => c.split(";")[0]).join("; ");
  const me = await must(call(port, "GET", appHost, "/api/me", undefined, cookie), 200, "GET /api/me");
  const studio = (me.studios ?? login.json.studios).find((s) => s.tenant.slug === DEMO.slug) ?? login.json.studios[0];
  const tenantId = studio.tenant.id;
  const galleriesPath = `/api/studios/${tenantId}/galleries`;
  const photos = (await must(call(port, "GET", appHost, `${galleriesPath}/${sampleGallery}/photos`, undefined, cookie), 200, "list photos")).photos.map((p) => p.id);
  if (!photos.length) throw new Error("the sample gallery has no photos");

  // A client's room token names the gallery's access version (av: a new password or visibility
  // shuts old tokens out). Learn it the way a browser gets its token: name yourself at
  // /g/:id/access, then ask /g/:id/room-token, and read the claim.
  const studioHost = `${DEMO.slug}.localhost:${port}`;
  const accessVersion = async (galleryId) => {
    const access = await call(port, "POST", studioHost, `/g/${galleryId}/access`, { name: "Bench visitor" });
    if (access.status !== 200) throw new Error(`POST /g/${galleryId}/access: HTTP ${access.status} ${access.text.slice(0, 300)}`);
    const visitor = access.cookies.map((c) => c.split(";")[0]).join("; ");
    const ticket = await must(call(port, "POST", studioHost, `/g/${galleryId}/room-token`, undefined, visitor), 200, "POST room-token");
    return JSON.parse(Buffer.from(ticket.token.split(".")[1], "base64url").toString()).av ?? null;
  };

  // Room tokens are minted here with the dev secret, like the worker would (party/room-token.ts):
  // 10,000 through HTTP would only measure the token route's rate limits.
  const key = new TextEncoder().encode(secret);
  const token = (galleryId, actorId, name, av) =>
    new SignJWT({ tid: tenantId, gid: galleryId, name, role: "client", av })
      .setProtectedHeader({ alg: "HS256" }).setSubject(actorId).setIssuer("loupe").setAudience("loupe:room")
      .setIssuedAt().setExpirationTime("10m").sign(key);

  const createGalleries = async (n) => {
    const t0 = performance.now();
    const ids = await mapLimit(Array.from({ length: n }, (_, i) => i), 4, async (i) =>
      (await must(call(port, "POST", appHost, galleriesPath, { title: `Bench idle room ${i + 1}`, visibility: "public" }, cookie), 201, "create gallery")).gallery.id);
    return { ids, seconds: (performance.now() - t0) / 1000 };
  };
  return {
    port, child: run.child, appHost, studioHost, tenantId, sampleGallery, sampleAv: await accessVersion(sampleGallery), photos, token, accessVersion,
    createGalleries, procs: () => loupeWorkerds(run.child.pid, port), reloads: run.reloads, runId: `r${Date.now().toString(36)}`,
  };
}

// ---------------------------------------------------------------- report
function machine() {
  const version = (p) => { try { return JSON.parse(readFileSync(path.join(root, "node_modules", p, "package.json"), "utf8")).version; } catch { return "?"; } };
  return {
    cpu: `${os.cpus().length}× ${os.cpus()[0]?.model ?? "?"}`, memoryGiB: round(os.totalmem() / 1024 ** 3, 1), node: process.version,
    os: `${os.type()} ${os.release()}`, workerd: version("@cloudflare/workerd-linux-64"), wrangler: version("wrangler"),
    yWebsocketServer: version("@y/websocket-server"), yjs: version("yjs"), ws: version("ws"),
  };
}

function markdown(r) {
  const L = r.latency.loupe, R = r.latency.reference, ratio = r.latency.ratio;
  const IL = r.idle.loupe, IR = r.idle.reference;
  const lat = (x, q) => (x ? fmt(x.latencyMs[q]) : "n/a");
  const lines = [];
  lines.push(`### Rooms benchmark (${r.date}, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, workerd ${r.machine.workerd} via wrangler ${r.machine.wrangler} dev)`);
  lines.push("");
  lines.push(`#### 1. Fan-out latency: ${CLIENTS} clients in one room, ${ROUNDS} timed rounds after ${WARMUP} warm-up`);
  lines.push("");
  lines.push("| Intent → all others see it (ms) | Loupe | Reference y-websocket relay | Loupe ÷ reference |");
  lines.push("|---|---|---|---|");
  for (const q of ["p50", "p95", "p99"]) lines.push(`| ${q} | ${lat(L, q)} | ${lat(R, q)} | ${ratio ? fmt(ratio[q]) : "n/a"} |`);
  lines.push(`| mean / max | ${L ? `${fmt(L.latencyMs.mean)} / ${fmt(L.latencyMs.max)}` : "n/a"} | ${R ? `${fmt(R.latencyMs.mean)} / ${fmt(R.latencyMs.max)}` : "n/a"} | |`);
  lines.push(`| rounds timed / timed out (> ${ROUND_TIMEOUT_MS / 1000} s) | ${L ? `${L.rounds} / ${L.timedOut}` : "n/a"} | ${R ? `${R.rounds} / ${R.timedOut}` : "n/a"} | |`);
  if (L) {
    lines.push(`| sender's ack, p50 / p95 / p99 | ${fmt(L.ackMs.p50)} / ${fmt(L.ackMs.p95)} / ${fmt(L.ackMs.p99)} | (no acks) | |`);
    lines.push(`| intents sent / acked / rejected / lost | ${L.intents.sent} / ${L.intents.acked} / ${L.intents.rejected} / **${L.intents.lost}** | | |`);
    const v = L.verify;
    lines.push(`| fresh client's sync after the run | ${v.ok ? "OK" : "**MISMATCH**"}: ${v.picksPresent}/${v.picksExpected} acked picks present, ${v.unpicksAbsent}/${v.unpicksExpected} acked unpicks absent, ${v.listsPresent}/${v.listsExpected} lists | | |`);
  }
  lines.push("");
  const idleTitle = `#### 2. Idle memory: ${IDLE_ROOMS} rooms × ${PER_ROOM} synced idle clients`;
  lines.push(idleTitle);
  lines.push("");
  // wrangler's proxy is only in the idle path with ROOMS_IDLE_VIA_PROXY=1; otherwise it idles.
  const cols = [[IL, "user", "Loupe: the workerd running the worker and rooms"]];
  if (IL?.via === "proxy") cols.push([IL, "proxy", "Loupe: wrangler dev's proxy workerd"]);
  cols.push([IR, "relay", "Reference relay (Node)"]);
  lines.push(`| | ${cols.map((c) => c[2]).join(" | ")} |`);
  lines.push(`|---|${cols.map(() => "---").join("|")}|`);
  const row = (label, f) => lines.push(`| ${label} | ${cols.map(([x, k]) => (x ? f(x, k) : "n/a")).join(" | ")} |`);
  row("rooms / clients synced", (x) => `${x.roomsOpened} / ${x.clientsSynced}${x.clientsSynced < x.clientsWanted ? ` (of ${x.clientsWanted})` : ""}`);
  row("RSS before → after MiB", (x, k) => `${fmt(x.rssMiB[k].before, 1)} → ${fmt(x.rssMiB[k].after, 1)}`);
  row("**memory per connection KiB**", (x, k) => `**${fmt(x.perConnectionKiB[k].after, 1)}**`);
  row(`same, ${LATER_MS / 1000} s later (RSS MiB)`, (x, k) => `${fmt(x.perConnectionKiB[k].later, 1)} (${fmt(x.rssMiB[k].later, 1)})`);
  row("open files per connection (limit)", (x, k) => `${fmt(x.fdsPerConnection[k], 2)} (${x.fdLimits[k].soft})`);
  row("time to open and sync all s", (x) => fmt(x.connectSeconds, 1));
  lines.push("");
  lines.push("Notes:");
  for (const n of r.notes) lines.push(`- ${n}`);
  lines.push("");
  lines.push(`Total bench time ${fmt(r.totalSeconds, 1)} s.`);
  return lines.join("\n") + "\n";
}

function notes(r) {
  const out = [];
  out.push(`Latency: all clients run in this one Node process (one performance.now() clock), each with its own Y.Doc speaking y-protocols sync; a sample is the time from sending the change to the moment the last of the ${CLIENTS - 1} other clients has applied the server's update and sees the pick key appear or disappear in doc.getMap("picks"). Rounds run one after another; the sender rotates over all clients and alternately picks and unpicks a photo of the sample gallery in its own list, so every round changes the document. Percentiles interpolate linearly.`);
  out.push("Loupe side: `npm start` (scripts/start.mjs: wrangler dev on 127.0.0.1, fresh state dir), sockets to ws://127.0.0.1:<port>/g/<galleryId>/room with Host demo.localhost:<port>, room tokens (HS256, aud loupe:room, 10 min, role client, av = the gallery's access version as read from one real ticket of POST /g/:id/room-token) signed here with JWT_SECRET from .dev.vars. The latency room's sockets take a browser's path in dev: wrangler's proxy workerd on the public port, then the workerd that runs the worker and the Durable Objects; production has no proxy hop. wrangler dev also logs every request and upgrade to its terminal (piped here).");
  out.push(`Both latency figures include this process's own work: decoding the frame and applying the update in ${CLIENTS - 1} Y.Docs one after another on one event loop, so the last client's time grows with the room size on either side.`);
  out.push(`Reference: @y/websocket-server ${r.machine.yWebsocketServer} (src/server.js, no persistence) in its own Node process; clients write the same Y.Map key the Loupe room writes and the relay re-broadcasts the Yjs update. It validates, persists and acknowledges nothing, so it is a floor, not a like-for-like server.`);
  out.push("Lost = intents that got neither an ack nor a rejection within 10 s after the last round. The fresh client's check: for every pick key, the last acknowledged intent (pick → present, unpick → absent) must be what its synced document shows, and every acknowledged list must exist.");
  out.push(`Idle memory: RSS (VmRSS of /proc/<pid>/status) of each server process read before the first idle socket and ${SETTLE_MS / 1000} s after the last one synced; per connection = (after − before) ÷ clients synced. For Loupe this includes the Durable Object instance of each room (1 per ${PER_ROOM} clients) and the worker's share of each socket. Each idle client is synced (sync step 1 sent, step 2 received) and then silent. Rooms are new public galleries made through the dashboard API before the measurement (${r.idleGalleriesSeconds ?? "n/a"} s for all).`);
  const IL = r.idle.loupe;
  if (IL?.via === "direct") {
    out.push(`Idle sockets went straight to the entry port of the workerd that runs Loupe (found from its listening sockets), not through wrangler dev's proxy workerd: the proxy holds 6 open files per forwarded WebSocket (its 2 sockets and 4 pipes, seen in /proc/<pid>/fd), so under this machine's hard limit of ${IL.fdLimits.user.hard} open files per process (root in this container cannot raise it: no CAP_SYS_RESOURCE) it stops near 3,300 sockets, and production has no such proxy. The request is the same (same Host header, same worker route, same room). ROOMS_IDLE_VIA_PROXY=1 measures the proxied path instead.`);
  }
  if (IL?.invalid) out.push(`**Loupe idle numbers are not valid: ${IL.invalid}.**`);
  const measuring = (x) => !["starting the servers", "making the idle rooms' galleries"].includes(x.phase);
  if (r.wranglerReloads?.some((x) => !measuring(x))) out.push(`wrangler dev reloaded the worker before anything was measured (a source file changed under it, during: ${r.wranglerReloads.filter((x) => !measuring(x)).map((x) => x.phase).join(", ")}); harmless.`);
  if (r.wranglerReloads?.some(measuring)) out.push(`**wrangler dev reloaded the worker during this run (a source file changed under it), during: ${r.wranglerReloads.filter(measuring).map((x) => `${x.phase} (${x.atSeconds} s)`).join(", ")}. Sockets open at that moment were dropped and the worker's memory started afresh; numbers from that phase are suspect.**`);
  const procName = { user: "the workerd that runs the worker and rooms", proxy: "wrangler dev's proxy workerd", bench: "this bench process", relay: "the reference relay" };
  for (const [side, x] of [["Loupe", r.idle.loupe], ["reference", r.idle.reference]]) {
    if (!x || x.clientsSynced >= x.clientsWanted) continue;
    const k = x.limitedBy;
    const failed = Object.keys(x.failures).length ? `; failed to open or sync: ${JSON.stringify(x.failures)}` : "";
    if (k) {
      out.push(`**${side}: ${x.clientsWanted.toLocaleString("en")} idle clients were not possible here**: every process on this machine has a hard open-files limit of ${x.fdLimits[k].hard} that root inside this container cannot raise (\`ulimit -n 65535\` → "Operation not permitted", no CAP_SYS_RESOURCE), and ${procName[k]} holds ${fmt(x.fdsPerConnection[k], 2)} open files per client socket${k === "proxy" ? " (the client's socket and its own to the workerd behind it)" : ""}. The largest run that fits was measured: ${x.roomsOpened} rooms × ${PER_ROOM}, ${x.clientsSynced} clients synced${failed}.`);
    } else {
      out.push(`**${side}: only ${x.clientsSynced} of ${x.clientsWanted} idle clients synced**${failed}.`);
    }
  }
  out.push(`CPU per phase (average cores busy of ${os.cpus().length}; "others" = processes outside this bench's tree, e.g. tests running on the same machine): ${r.phases.map((p) => `${p.name} ${p.seconds} s: ${p.busyCores} busy, ${p.otherCores} others`).join("; ")}.`);
  out.push("RSS counts what the allocator and V8 hold, including garbage not yet collected; it is a whole-process figure, not a per-object count. This is a shared 2-vCPU VM and the servers, wrangler and the clients share its 2 cores; compare the two sides within one run.");
  return out;
}

function printTable(r) {
  console.log("\n" + markdown(r));
}

// ---------------------------------------------------------------- main
async function main() {
  const result = { date: new Date().toISOString().slice(0, 10), machine: machine(), config: { clients: CLIENTS, rounds: ROUNDS, warmup: WARMUP, idleRooms: IDLE_ROOMS, perRoom: PER_ROOM, only: ONLY }, latency: {}, idle: {} };
  console.log(`rooms bench: ${CLIENTS} clients × ${ROUNDS} rounds (+${WARMUP} warm-up); ${IDLE_ROOMS} idle rooms × ${PER_ROOM}`);
  setPhase("starting the servers");

  // Start both servers together: Loupe's start (migrations, wrangler, the sample gallery) is slow.
  const [ref, loupe] = await Promise.all([
    RUN_REFERENCE ? startReference() : null,
    RUN_LOUPE ? startLoupe() : null,
  ]);
  const photos = loupe?.photos ?? Array.from({ length: 12 }, (_, i) => `photo-${i}`);

  let idleGalleries = [];
  if (loupe) {
    setPhase("making the idle rooms' galleries");
    console.log(`  Loupe up on port ${loupe.port}; making ${IDLE_ROOMS} galleries for the idle rooms…`);
    const made = await loupe.createGalleries(IDLE_ROOMS);
    idleGalleries = made.ids;
    result.idleGalleriesSeconds = round(made.seconds, 1);
  }

  if (ref) {
    setPhase("reference fan-out latency");
    console.log("  reference: fan-out latency…");
    result.latency.reference = await referenceLatency(ref.port, photos);
  }
  if (loupe) {
    setPhase("Loupe fan-out latency");
    console.log("  Loupe: fan-out latency…");
    result.latency.loupe = await loupeLatency(loupe, photos);
  }
  if (ref && loupe) {
    const q = (k) => round(result.latency.loupe.latencyMs[k] / result.latency.reference.latencyMs[k]);
    result.latency.ratio = { p50: q("p50"), p95: q("p95"), p99: q("p99") };
  }

  if (loupe) {
    setPhase("Loupe idle memory");
    console.log(`  Loupe: ${IDLE_ROOMS} rooms × ${PER_ROOM} idle clients…`);
    const { user, proxy } = loupe.procs();
    // wrangler's proxy holds 6 open files per forwarded WebSocket (2 sockets, 4 pipes), so behind
    // it the 20,000-file limit stops at ~3,300 sockets; the workerd that runs Loupe holds one per
    // socket and is the process measured either way, so idle sockets go to it directly.
    const target = IDLE_VIA_PROXY ? loupe.port : await userEntryPort(user, loupe.appHost);
    // The idle galleries were all made the same way just now; the first one's version stands for all.
    const idleAv = idleGalleries.length ? await loupe.accessVersion(idleGalleries[0]) : null;
    const reloadsBefore = loupe.reloads().length;
    const valid = () => loupe.reloads().length === reloadsBefore && procStat(user) !== null;
    result.idle.loupe = await idleMemory({
      name: "Loupe", rooms: IDLE_ROOMS, limit: 32, servers: { user, proxy }, valid,
      specsFor: async (from, to) => {
        const specs = [];
        for (let g = from; g < to; g++) {
          for (let j = 0; j < PER_ROOM; j++) {
            const actor = `idle-${g}-${j}`;
            const token = await loupe.token(idleGalleries[g], actor, `Idle ${g}/${j}`, idleAv);
            specs.push({ name: actor, host: loupe.studioHost, url: `ws://127.0.0.1:${target}/g/${idleGalleries[g]}/room?token=${token}` });
          }
        }
        return specs;
      },
    });
    result.idle.loupe.via = IDLE_VIA_PROXY ? "proxy" : "direct";
    if (!valid()) result.idle.loupe.invalid = "wrangler reloaded the worker (a source file changed) during the idle run";
  }
  if (ref) {
    setPhase("reference idle memory");
    console.log(`  reference: ${IDLE_ROOMS} rooms × ${PER_ROOM} idle clients…`);
    result.idle.reference = await idleMemory({
      name: "reference", rooms: IDLE_ROOMS, limit: 64, servers: { relay: ref.pid },
      specsFor: (from, to) => {
        const specs = [];
        for (let g = from; g < to; g++) for (let j = 0; j < PER_ROOM; j++) specs.push({ name: `idle-${g}-${j}`, url: `ws://127.0.0.1:${ref.port}/idle-room-${g}` });
        return specs;
      },
    });
  }

  setPhase(null);
  result.phases = phases;
  if (loupe) result.wranglerReloads = loupe.reloads();
  if (ref) await stopChild(ref.child);
  if (loupe) await stopChild(loupe.child);
  result.totalSeconds = round((performance.now() - startedAt) / 1000, 1);
  result.notes = notes(result);

  const md = markdown(result);
  await mkdir(path.join(here, "results"), { recursive: true });
  // Arrays of numbers (the raw samples) on one line each, so the file stays readable.
  const json = JSON.stringify(result, null, 2).replace(/\[\s+(-?[\d.]+(?:,\s+-?[\d.]+)*)\s+\]/g, (_, xs) => `[${xs.split(/,\s+/).join(", ")}]`);
  await writeFile(path.join(here, "results/rooms.json"), json + "\n");
  await writeFile(path.join(here, "results/rooms.md"), md);
  printTable(result);
  console.log("wrote tests/bench/results/rooms.json and rooms.md");
}

main().catch((err) => {
  console.error(err.stack ?? err);
  process.exitCode = 1;
}).finally(() => {
  killGroups();
  removeTemp();
  process.exit();
});
