// `npm run bench:store`: Stripe webhook handling (issue 6) against `wrangler dev`: throughput and
// latency at a fixed offered rate, and afterwards whether every event had its effect exactly once.
//   1. Loupe runs as `npm start` does (scripts/start.mjs → wrangler dev on 127.0.0.1, fresh state
//      dir) with LOUPE_VARS giving it the two webhook signing secrets and no STRIPE_SECRET_KEY (so
//      no call leaves the machine). Through the dashboard API the demo studio gets a price sheet
//      with one digital item (web download, $5.00) on its sample gallery; before each step clients
//      place that step's pending orders the client app's way (POST /g/:id/access, PUT /g/:id/cart,
//      POST /g/:id/checkout; each checkout from its own cf-connecting-ip, the route's per-IP budget
//      being 20 a minute). The studio has no Stripe account, so these are "offline" orders.
//   2. Steps at a fixed offered rate: Connect events (POST /webhooks/stripe/connect on wrangler dev's
//      public port, Host app.localhost, signed for real with stripe's generateTestHeaderStringAsync
//      and the connect secret) sent open-loop on a fixed schedule (one every 1/rate s, whatever the
//      answers do; at most STORE_MAX_INFLIGHT in flight). The events carry no `account`: the handler
//      finds the studio by metadata.tenantId (studioOf in worker/domain/store/webhooks.ts). Per
//      order, what one Stripe Checkout payment sends a Connect endpoint, plus trouble:
//        - checkout.session.completed (payment_status paid, payment_intent pi_…)          1
//        - payment_intent.created, payment_intent.succeeded, charge.succeeded,
//          charge.updated (metadata {tenantId, orderId}, as Stripe copies it; no effect)    4
//        - the completion again, same id, 2–5 s later (must answer duplicate: true)        0.15
//        - the completion again, same id, at the same instant (a race: either answer)      0.05
//        - a second completion under a new event id, 1–6 s later (no second effect)        0.10
//        - charge.refunded, amount_refunded $2.00 (partial) or $5.00 (in full), held
//          until the completion was acknowledged; half name the order in metadata, half
//          only the payment intent                                                0.20 + 0.10
//        - account.updated of an account no studio has; customer.created, no metadata  0.10
//      ≈ 5.7 events per order; a step of rate r and s seconds has r × s / 5.7 orders. An event
//      answered non-2xx is sent again like Stripe would (same id, signed again), after 1, 2, 4 s
//      (Stripe waits minutes to hours), so the effects can be checked after the trouble.
//      The first step is the target (STORE_RATE); then the rate doubles while steps keep up, or
//      halves until one does, then bisects the bracket (STORE_STEPS gives a fixed list instead).
//   3. Every answer's status and body are checked (2xx {received: true, duplicate}); Loupe's own
//      request log lines (wrangler dev's output) say how many events reached the worker. After the
//      steps the effects are read from the local D1 databases (wrangler d1 execute on the state
//      dir, Loupe stopped): every order paid (or refunded when refunded in full) with its payment
//      intent and the refunded amount sent, exactly one "confirmed" order_confirmation, one
//      downloads_ready mail and one download grant each, and every acknowledged event id in
//      stripe_events. A sample of orders is also read through the dashboard API.
// CPU of wrangler dev's two workerd processes (its proxy and the one running Loupe) and of wrangler
// itself during each step, and the machine's busy cores. Writes tests/bench/results/store.json
// and store.md and prints the table; wrangler dev's whole output goes to
// $TMPDIR/loupe-bench-store-wrangler.log.
//
// Loupe runs from a snapshot of the working tree (tracked and untracked, not ignored files, copied
// to a temp dir with node_modules linked), so edits made to the tree during the run cannot make
// wrangler dev reload the worker mid-step. STORE_SNAPSHOT=0 runs in place instead.
//
// Knobs (env): STORE_RATE=100 (events/s, the target step)  STORE_SECONDS=20 (the target step)
// STORE_STEP_SECONDS=10 (the other steps)  STORE_MAX_STEPS=4  STORE_STEPS=200,300 (fixed rates
// after the target instead of doubling/halving; "" for none)  STORE_ORDERS (orders for the target
// step; default rate × seconds / 5.7)  STORE_MAX_INFLIGHT=256  STORE_RETRIES=3
// STORE_ORDER_LANES=6 (clients placing orders at once)  STORE_SEED=6  STORE_SNAPSHOT=1
// STORE_VIA=proxy|direct (see VIA below)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import Stripe from "stripe";
import { descendants, quantile } from "./stats.mjs";
import { freePort, snapshotTree, workerEntryPort } from "./tree.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

const RATE = Number(process.env.STORE_RATE ?? 100);
const SECONDS = Number(process.env.STORE_SECONDS ?? 20);
const STEP_SECONDS = Number(process.env.STORE_STEP_SECONDS ?? 10);
const MAX_STEPS = Number(process.env.STORE_MAX_STEPS ?? 4);
const FIXED_STEPS = process.env.STORE_STEPS === undefined ? null : process.env.STORE_STEPS.split(",").map((x) => x.trim()).filter(Boolean).map(Number);
const MAX_INFLIGHT = Number(process.env.STORE_MAX_INFLIGHT ?? 256);
const RETRIES = Number(process.env.STORE_RETRIES ?? 3);
const LANES = Number(process.env.STORE_ORDER_LANES ?? 6);
const SEED = Number(process.env.STORE_SEED ?? 6);
const SNAPSHOT = process.env.STORE_SNAPSHOT !== "0";
// "proxy": events through wrangler dev's public port, as a browser's requests go; "direct": to the
// port of the workerd that runs Loupe, without wrangler's proxy workerd and its logging (production
// has neither). Results of a direct run go to store-direct.{json,md}.
const VIA = process.env.STORE_VIA === "direct" ? "direct" : "proxy";
const EVENTS_PER_ORDER = 5.7; // the mix in the header, in expectation
const ordersFor = (rate, seconds) => Math.max(5, Math.ceil((rate * seconds) / EVENTS_PER_ORDER));
const ORDERS = process.env.STORE_ORDERS ? Number(process.env.STORE_ORDERS) : ordersFor(RATE, SECONDS);
const MIN_RATE = 5, MAX_RATE = 1600; // where doubling or halving stops
const PRICE = 500; // the digital item, minor units
const PARTIAL = 200;
const REQUEST_TIMEOUT_MS = 60_000;
const CONNECT_SECRET = "whsec_bench_connect";
const PLATFORM_SECRET = "whsec_bench_platform";
const KEEP_UP = { minShare: 0.95, maxP99Ms: 1000 }; // "keeps up": see methodNotes()
const DEMO = { email: "demo@loupe.localhost", password: "demo-password-2026", slug: "demo" };
const startedAt = performance.now();

// ---------------------------------------------------------------- processes we start, and clean-up
const groups = new Set(); // detached children: each is its own process group
const tempDirs = [];
function cleanUp() {
  for (const child of groups) try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
  for (const d of tempDirs) try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
}
process.on("exit", cleanUp);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping`);
    process.exit(130);
  });
}

/** What wrangler dev's output says about the webhook requests: Loupe's own request log (a JSON
 *  line per request the worker answered) and wrangler's proxy log (every request on the port). */
const logCounts = { loupe: {}, proxy: {}, uncaught: 0, uncaughtSamples: [] };
function countLogLine(line) {
  if (!line.includes("/webhooks/stripe/connect")) {
    if (/Uncaught|ERROR/.test(line)) { logCounts.uncaught++; if (logCounts.uncaughtSamples.length < 5) logCounts.uncaughtSamples.push(line.replace(/\x1b\[[0-9;]*m/g, "").trim().slice(0, 200)); }
    return;
  }
  const loupe = /"msg":"request".*"status":(\d+)/.exec(line);
  if (loupe) { logCounts.loupe[loupe[1]] = (logCounts.loupe[loupe[1]] ?? 0) + 1; return; }
  const proxy = /\[wrangler:info\] POST \/webhooks\/stripe\/connect (\d+)/.exec(line);
  if (proxy) logCounts.proxy[proxy[1]] = (logCounts.proxy[proxy[1]] ?? 0) + 1;
}
const logSnapshot = () => JSON.parse(JSON.stringify({ loupe: logCounts.loupe, proxy: logCounts.proxy, uncaught: logCounts.uncaught }));
const logDiff = (a, b) => {
  const d = (x, y) => Object.fromEntries(Object.entries(y).map(([k, n]) => [k, n - (x[k] ?? 0)]).filter(([, n]) => n));
  return { loupe: d(a.loupe, b.loupe), proxy: d(a.proxy, b.proxy), uncaught: b.uncaught - a.uncaught };
};

let phase = "starting Loupe";
const reloads = [];
/** Spawns `cmd` detached (its own process group) and keeps the tail of its output; `ready`
 *  resolves once `readyText` was printed. A wrangler dev reload (a source file changed under it)
 *  is noted: it restarts the worker mid-step. */
function startChild(name, cmd, args, env, readyText, timeoutMs, cwd = root) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.add(child);
  let out = "", partial = "";
  const keep = (d) => {
    out = (out + d).slice(-20_000_000); // wrangler logs every request: the whole run's, for the log file
    const lines = (partial + d).split("\n");
    partial = lines.pop();
    for (const line of lines) countLogLine(line);
    for (let i = String(d).split("Reloading local server").length - 1; i > 0; i--) {
      reloads.push({ phase, atSeconds: round((performance.now() - startedAt) / 1000, 1) });
      console.log(`  !! wrangler dev reloaded the worker (a source file changed) during: ${phase}`);
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not print "${readyText}" within ${timeoutMs / 1000} s:\n${out.slice(-4000)}`)), timeoutMs);
    child.stdout.on("data", () => { if (out.includes(readyText)) { clearTimeout(timer); resolve(); } });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}) before it was ready:\n${out.slice(-4000)}`)); });
  });
  return { child, ready, output: () => out };
}
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) { groups.delete(child); return; }
  try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
  for (let i = 0; i < 50 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
  try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ }
  groups.delete(child);
}

// ---------------------------------------------------------------- small helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const fmt = (x, d = 0) => (x == null || !Number.isFinite(x) ? "n/a" : round(x, d).toLocaleString("en"));
const stat = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x));
  if (!v.length) return { n: 0, p50: null, p95: null, p99: null, mean: null, max: null };
  return { n: v.length, p50: round(quantile(v, 0.5)), p95: round(quantile(v, 0.95)), p99: round(quantile(v, 0.99)), mean: round(v.reduce((a, b) => a + b, 0) / v.length), max: round(Math.max(...v)) };
};
const countBy = (xs, f) => xs.reduce((m, x) => { const k = f(x); m[k] = (m[k] ?? 0) + 1; return m; }, {});
/** mulberry32: the same mix of events for the same seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let ipSeq = 0;
/** A client address of its own for each rate-limited request (access, checkout: 20/min per IP). */
const freshIp = () => { const n = ++ipSeq; return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; };

// ---------------------------------------------------------------- CPU: the machine, wrangler dev's processes, this bench
function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), comm: s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")), ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) };
  } catch { return null; }
}
const cmdline = (pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" "); } catch { return ""; } };
const selfTicks = (pid) => { try { const r = readFileSync(`/proc/${pid}/stat`, "utf8"); const f = r.slice(r.lastIndexOf(")") + 2).split(" "); return Number(f[11]) + Number(f[12]); } catch { return 0; } };
/** Ticks (1/100 s) of the whole machine (busy), of this bench's tree, and of the processes named. */
function cpuTicks(named = {}) {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const busy = f[1] + f[2] + f[3] + f[6] + f[7]; // user nice system irq softirq
  const mine = [process.pid, ...descendants(process.pid)].reduce((sum, p) => sum + (procStat(p)?.ticks ?? 0), 0);
  const per = Object.fromEntries(Object.entries(named).map(([k, pids]) => [k, pids.reduce((s, p) => s + selfTicks(p), 0)]));
  return { busy, mine, per, at: performance.now() };
}
function coresBetween(a, b) {
  const s = (b.at - a.at) / 1000;
  const out = { seconds: round(s, 1), busyCores: round((b.busy - a.busy) / 100 / s, 2), otherCores: round(Math.max(0, (b.busy - a.busy) - (b.mine - a.mine)) / 100 / s, 2) };
  for (const k of Object.keys(b.per)) out[`${k}Cores`] = round((b.per[k] - (a.per[k] ?? 0)) / 100 / s, 2);
  return out;
}
const phases = [];
function setPhase(name) {
  const now = cpuTicks();
  const prev = phases.at(-1);
  if (prev?.start) { Object.assign(prev, coresBetween(prev.start, now)); delete prev.start; }
  phase = name;
  if (name) phases.push({ name, start: now });
}
/** wrangler dev's processes: its two workerds (the proxy on the public port, and the one running
 *  Loupe's worker), wrangler's own node process, each counted on its own (not its children). */
function loupeProcesses(startPid, port) {
  const all = descendants(startPid);
  const workerds = all.filter((p) => procStat(p)?.comm.startsWith("workerd"));
  const proxy = workerds.filter((p) => cmdline(p).includes(`entry=127.0.0.1:${port}`));
  const worker = workerds.filter((p) => !proxy.includes(p));
  const wrangler = all.filter((p) => !workerds.includes(p) && /wrangler/.test(cmdline(p)) && !/esbuild/.test(cmdline(p)));
  const rest = all.filter((p) => !workerds.includes(p) && !wrangler.includes(p));
  return { workerdLoupe: worker, workerdProxy: proxy, wrangler, startScript: [startPid, ...rest] };
}

// ---------------------------------------------------------------- HTTP to Loupe over loopback
const setupAgent = new Agent({ keepAlive: true, maxSockets: 16 });
const eventAgent = new Agent({ keepAlive: true, maxSockets: MAX_INFLIGHT });
/** node:http to 127.0.0.1 with the Host header (Node cannot resolve *.localhost). */
function call(port, method, host, pathname, { body, raw, cookie, headers = {}, agent = setupAgent } = {}) {
  return new Promise((resolve, reject) => {
    const data = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const h = { host, ...(data ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) } : {}), ...(cookie ? { cookie } : {}), ...headers };
    // The dashboard's and client app's state-changing requests carry their Origin (CSRF check).
    if (method !== "GET" && !raw) h.origin = `http://${host}`;
    const t0 = performance.now();
    const req = request({ host: "127.0.0.1", port, method, path: pathname, headers: h, agent }, (res) => {
      const chunks = [];
      res.on("data", (d) => chunks.push(d));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, text, json, cookies: [res.headers["set-cookie"] ?? []].flat(), t0, t1: performance.now() });
      });
      res.on("error", reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`timeout after ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
    req.end(data);
  });
}
async function must(promise, status, what) {
  const r = await promise;
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}
const cookieHeader = (setCookies) => setCookies.map((c) => c.split(";")[0].trim()).join("; ");

// ---------------------------------------------------------------- Loupe, the shop
function snapshot() {
  const tree = snapshotTree(root, "store");
  tempDirs.push(tree.dir);
  return tree;
}

async function startLoupe() {
  const port = await freePort();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "loupe-bench-store-state-"));
  tempDirs.push(stateDir);
  const tree = SNAPSHOT ? snapshot() : { dir: root, head: null };
  if (SNAPSHOT) console.log(`  snapshot of the working tree (${tree.files} files, HEAD ${tree.head} + ${tree.changedFiles} changed/new files) in ${tree.dir}`);
  const run = startChild("npm start (scripts/start.mjs)", process.execPath, ["scripts/start.mjs"],
    { LOUPE_PORT: String(port), LOUPE_STATE_DIR: stateDir, LOUPE_VARS: `STRIPE_CONNECT_WEBHOOK_SECRET:${CONNECT_SECRET} STRIPE_WEBHOOK_SECRET:${PLATFORM_SECRET}` },
    "Loupe is running.", 300_000, tree.dir);
  await run.ready;
  const appHost = `app.localhost:${port}`;
  const studioHost = `${DEMO.slug}.localhost:${port}`;
  const login = await must(call(port, "POST", appHost, "/api/auth/login", { body: { email: DEMO.email, password: DEMO.password } }), 200, "login");
  const cookie = cookieHeader(login.cookies);
  const me = (await must(call(port, "GET", appHost, "/api/me", { cookie }), 200, "GET /api/me")).json;
  const studio = me.studios.find((s) => s.tenant.slug === DEMO.slug) ?? me.studios[0];
  return {
    port, stateDir, cwd: tree.dir, child: run.child, output: run.output, appHost, studioHost, cookie, studioId: studio.tenant.id,
    tree: { snapshot: SNAPSHOT, head: tree.head, files: tree.files ?? null, changedFiles: tree.changedFiles ?? null },
  };
}

/** The sample gallery, its photos ready, selling one digital item. */
async function openShop(L) {
  const api = `/api/studios/${L.studioId}`;
  const galleries = (await must(call(L.port, "GET", L.appHost, `${api}/galleries`, { cookie: L.cookie }), 200, "list galleries")).json.galleries;
  const gallery = galleries.at(-1);
  if (!gallery) throw new Error("the demo studio has no sample gallery");
  const deadline = performance.now() + 180_000;
  let photos = [];
  for (;;) {
    photos = (await must(call(L.port, "GET", L.appHost, `${api}/galleries/${gallery.id}/photos`, { cookie: L.cookie }), 200, "list photos")).json.photos;
    if (photos.length && photos.every((p) => p.status === "ready" || p.status === "failed")) break;
    if (performance.now() > deadline) throw new Error(`the sample gallery's photos are not ready after 180 s: ${JSON.stringify(countBy(photos, (p) => p.status))}`);
    await sleep(1000);
  }
  const ready = photos.filter((p) => p.status === "ready").map((p) => p.id);
  if (!ready.length) throw new Error("no photo of the sample gallery became ready");
  const sheet = (await must(call(L.port, "POST", L.appHost, `${api}/store/price-sheets`, { cookie: L.cookie, body: { name: "Bench", currency: "usd", items: [{ kind: "digital", name: "Web", variant: "web", unitAmount: PRICE }] } }), 201, "create price sheet")).json.priceSheet;
  await must(call(L.port, "PATCH", L.appHost, `${api}/galleries/${gallery.id}`, { cookie: L.cookie, body: { priceSheetId: sheet.id } }), 200, "link price sheet");
  return { galleryId: gallery.id, photoIds: ready, itemId: sheet.items[0].id };
}

/** `n` pending orders, each of one web download, placed by LANES clients at once. */
async function placeOrders(L, shop, n, label) {
  const orders = [];
  const errors = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async (k) => {
    const access = await must(call(L.port, "POST", L.studioHost, `/g/${shop.galleryId}/access`, { body: { name: `Bench client ${label}-${k}` }, headers: { "cf-connecting-ip": freshIp() } }), 200, "gallery access");
    const cookie = cookieHeader(access.cookies);
    while (next < n) {
      const i = next++;
      try {
        const photoId = shop.photoIds[i % shop.photoIds.length];
        await must(call(L.port, "PUT", L.studioHost, `/g/${shop.galleryId}/cart`, { cookie, body: { lines: [{ itemId: shop.itemId, photoIds: [photoId] }] } }), 200, "put cart");
        const r = await must(call(L.port, "POST", L.studioHost, `/g/${shop.galleryId}/checkout`, { cookie, body: { name: `Client ${label}-${i}`, email: `client-${label}-${i}@example.test` }, headers: { "cf-connecting-ip": freshIp() } }), 201, "checkout");
        const o = r.json.order;
        if (o.status !== "pending" || o.total !== PRICE) throw new Error(`checkout gave ${o.status} ${o.total}`);
        orders[i] = { id: o.id, number: o.number, total: o.total };
      } catch (err) {
        errors.push(String(err.message).slice(0, 200));
        if (errors.length > 20) throw new Error(`placing orders failed ${errors.length} times: ${errors.slice(0, 3).join(" | ")}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, n) }, (_, k) => lane(k)));
  const seconds = (performance.now() - t0) / 1000;
  const placed = orders.filter(Boolean);
  return { orders: placed, stats: { wanted: n, placed: placed.length, failed: errors.length, errors: errors.slice(0, 5), seconds: round(seconds, 1), perSecond: round(placed.length / seconds, 1) } };
}

// ---------------------------------------------------------------- the events
let eventSeq = 0;
/** An event as Stripe sends it to a Connect endpoint (no `account`: see the header comment). */
function eventBody(id, type, object) {
  return JSON.stringify({
    id, object: "event", api_version: "2025-01-27.acacia", type, created: Math.floor(Date.now() / 1000), livemode: false,
    pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object },
  });
}
const sign = (payload) => Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: CONNECT_SECRET });

/** The events of one step, each with when it is due (ms after the step's start): the mix is laid
 *  out in time (completions over the first ~85% of the step, the rest around them), then every
 *  event gets its own slot 1/rate apart in that order; a racing redelivery shares its original's. */
function planStep(stepNo, orders, rate, tenantId) {
  const rand = rng(SEED * 1000 + stepNo);
  const span = ((orders.length * EVENTS_PER_ORDER) / rate) * 1000; // nominal ms
  const events = [];
  const ev = (kind, type, object, nominal, extra = {}) => {
    const e = { kind, type, id: `evt_bench_${stepNo}_${++eventSeq}`, object, nominal: Math.max(0, nominal), attempts: [], ...extra };
    events.push(e);
    return e;
  };
  const plans = orders.map((o, i) => {
    const pi = `pi_bench_${stepNo}_${i}`, ch = `ch_bench_${stepNo}_${i}`;
    const meta = { tenantId, orderId: o.id };
    const at = (i / orders.length) * span * 0.8 + rand() * span * 0.05;
    ev("companion", "payment_intent.created", { id: pi, object: "payment_intent", amount: o.total, currency: "usd", status: "requires_payment_method", metadata: meta }, at - 1000 - rand() * 2000);
    ev("companion", "charge.succeeded", { id: ch, object: "charge", payment_intent: pi, amount: o.total, amount_refunded: 0, paid: true, status: "succeeded", metadata: meta }, at - 200 + rand() * 400);
    ev("companion", "payment_intent.succeeded", { id: pi, object: "payment_intent", amount: o.total, currency: "usd", status: "succeeded", metadata: meta }, at - 300 + rand() * 600);
    ev("companion", "charge.updated", { id: ch, object: "charge", payment_intent: pi, amount: o.total, amount_refunded: 0, paid: true, status: "succeeded", metadata: meta }, at + 200 + rand() * 1300);
    const session = { id: `cs_bench_${o.id}`, object: "checkout.session", mode: "payment", payment_status: "paid", status: "complete", payment_intent: pi, metadata: meta, amount_total: null, automatic_tax: { enabled: false } };
    const completion = ev("completion", "checkout.session.completed", session, at, { orderIdx: i });
    const plan = { order: o, pi, completion, refund: null, full: false, amount: 0 };
    const r = rand();
    if (r < 0.15) ev("redelivery", completion.type, session, at + 2000 + rand() * 3000, { id: completion.id, original: completion });
    else if (r < 0.2) ev("race", completion.type, session, at, { id: completion.id, original: completion, race: true });
    if (rand() < 0.1) ev("second completion", completion.type, session, at + 1000 + rand() * 5000);
    const f = rand();
    if (f < 0.3) {
      plan.full = f < 0.1;
      plan.amount = plan.full ? o.total : PARTIAL;
      const charge = { id: ch, object: "charge", payment_intent: pi, amount: o.total, amount_refunded: plan.amount, paid: true, refunded: plan.full, metadata: rand() < 0.5 ? meta : { tenantId } };
      plan.refund = ev(plan.full ? "refund (full)" : "refund (partial)", "charge.refunded", charge, at + 1500 + rand() * 3000, { after: completion });
    }
    const z = rand();
    if (z < 0.05) ev("noise", "account.updated", { id: `acct_bench_nobody_${stepNo}_${i}`, object: "account", charges_enabled: true, details_submitted: true }, rand() * span);
    else if (z < 0.1) ev("noise", "customer.created", { id: `cus_bench_${stepNo}_${i}`, object: "customer", metadata: {} }, rand() * span);
    return plan;
  });
  events.sort((a, b) => a.nominal - b.nominal || (a.race ? 1 : 0) - (b.race ? 1 : 0));
  let slot = 0;
  for (const e of events) e.dueMs = e.race ? e.original.dueMs : (slot++ * 1000) / rate;
  return { events, plans };
}

async function signAll(events) {
  for (const e of events) {
    e.payload = e.original ? e.original.payload : eventBody(e.id, e.type, e.object);
    e.signature = await sign(e.payload);
  }
}

const isOk = (a) => typeof a?.status === "number" && a.status >= 200 && a.status < 300;
/** wrangler dev's proxy answers this when its forward to the worker's workerd fails: Loupe never saw it. */
const isProxy503 = (a) => a?.status === 503 && typeof a.body === "string" && a.body.includes("restarted mid-request");

/** Sends the events on their schedule, open-loop; a non-2xx is sent again after 1, 2, 4 s (same
 *  id, signed again); a refund waits for its completion's acknowledgement (or its last failure).
 *  Resolves when every event was acknowledged or ran out of retries. */
function fire(L, events) {
  return new Promise((resolve) => {
    const E = events.length;
    let i = 0, inflight = 0, maxInflight = 0, open = E, capWaits = 0, retriesSent = 0, timer = null;
    const t0 = performance.now() + 100;
    const release = (e) => { const w = e.waiters ?? []; e.waiters = []; for (const x of w) send(x); };
    const send = (e) => {
      const a = { n: e.attempts.length, sentAt: performance.now() };
      e.attempts.push(a);
      if (a.n === 0) e.lagMs = a.sentAt - (t0 + e.dueMs);
      else retriesSent++;
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      call(L.eventPort, "POST", L.appHost, "/webhooks/stripe/connect", { raw: e.payload, agent: eventAgent, headers: { "content-type": "application/json", "stripe-signature": e.signature } })
        .then((r) => { a.status = r.status; a.body = r.json ?? r.text.slice(0, 200); }, (err) => { a.status = `network: ${String(err.message ?? err).slice(0, 80)}`; })
        .finally(() => {
          a.doneAt = performance.now();
          a.ms = a.doneAt - a.sentAt;
          inflight--;
          if (isOk(a)) { e.ackedAt ??= a.doneAt; release(e); open--; }
          else if (a.n < RETRIES) setTimeout(async () => { e.signature = await sign(e.payload); send(e); }, 1000 * 2 ** a.n);
          else { e.gaveUp = true; release(e); open--; }
          if (open === 0) { clearTimeout(timer); resolve({ t0, maxInflight, capWaits, retriesSent }); return; }
          pump();
        });
    };
    const pump = () => {
      clearTimeout(timer);
      const now = performance.now();
      while (i < E && t0 + events[i].dueMs <= now) {
        if (inflight >= MAX_INFLIGHT) { capWaits++; return; } // resumed by the next answer
        const e = events[i++];
        if (e.after && e.after.ackedAt === undefined && !e.after.gaveUp) { e.held = true; (e.after.waiters ??= []).push(e); continue; }
        send(e);
      }
      if (i < E) timer = setTimeout(pump, Math.max(0, t0 + events[i].dueMs - performance.now()));
    };
    timer = setTimeout(pump, 100);
  });
}

async function runStep(L, stepNo, rate, orders, procs) {
  const { events, plans } = planStep(stepNo, orders, rate, L.studioId);
  await signAll(events);
  const log0 = logSnapshot();
  const cpu0 = cpuTicks(procs);
  const run = await fire(L, events);
  const cpu1 = cpuTicks(procs);
  await sleep(300); // wrangler's last log lines
  const log = logDiff(log0, logSnapshot());
  const first = (e) => e.attempts[0];
  const t0 = Math.min(...events.map((e) => first(e).sentAt));
  const lastSent = Math.max(...events.map((e) => first(e).sentAt)), lastFirstDone = Math.max(...events.map((e) => first(e).doneAt));
  const lastDone = Math.max(...events.flatMap((e) => e.attempts.map((a) => a.doneAt)));
  const firstOk = events.filter((e) => isOk(first(e)));
  const errors = events.filter((e) => !isOk(first(e)));
  const allAttempts = events.flatMap((e) => e.attempts);
  const wrongBody = allAttempts.filter((a) => isOk(a) && (a.body?.received !== true || typeof a.body?.duplicate !== "boolean"));
  const originals = events.filter((e) => !e.original);
  const later = events.filter((e) => e.kind === "redelivery");
  const laterAfterAck = later.filter((e) => e.original.ackedAt !== undefined && e.original.ackedAt <= first(e).sentAt && isOk(first(e)));
  const races = events.filter((e) => e.kind === "race");
  const twinsOf = new Map();
  for (const e of events) if (e.original) twinsOf.set(e.original, [...(twinsOf.get(e.original) ?? []), e]);
  const overtaken = originals.filter((e) => (twinsOf.get(e) ?? []).some((t) => t.attempts.some((a) => a.sentAt < first(e).doneAt)));
  const saidDuplicateAlone = originals.filter((e) => !overtaken.includes(e) && isOk(first(e)) && first(e).body?.duplicate !== false);
  const answersById = new Map();
  for (const e of events) for (const a of e.attempts) if (isOk(a)) answersById.set(e.id, [...(answersById.get(e.id) ?? []), a.body?.duplicate]);
  const idsWithoutFirst = [...answersById].filter(([, d]) => !d.includes(false)).map(([id]) => id);
  const ms = (pred) => stat(events.filter(pred).map((e) => first(e).ms));
  const cpu = coresBetween(cpu0, cpu1);
  const result = {
    step: stepNo, offeredRate: rate, plannedSeconds: round(events.at(-1).dueMs / 1000 + 1 / rate, 1), orders: orders.length, events: events.length,
    mix: countBy(events, (e) => e.type + (e.kind === "redelivery" || e.kind === "race" ? ` (${e.kind})` : e.kind === "second completion" ? " (new id)" : "")),
    sendSeconds: round((lastSent - t0) / 1000, 2), firstAnswersSeconds: round((lastFirstDone - t0) / 1000, 2), totalSeconds: round((lastDone - t0) / 1000, 2),
    sentRate: round((events.length - 1) / ((lastSent - t0) / 1000), 1),
    achievedRate: round(firstOk.length / ((lastFirstDone - t0) / 1000), 1),
    drainMs: round(lastFirstDone - lastSent, 0),
    latencyMs: ms(() => true),
    // From when the event was due (open loop: includes any wait for a free slot under the cap).
    latencyFromDueMs: stat(events.filter((e) => !e.held).map((e) => first(e).doneAt - (run.t0 + e.dueMs))),
    latencyByType: {
      completion: ms((e) => e.kind === "completion"), redelivery: ms((e) => e.kind === "redelivery"), refund: ms((e) => e.type === "charge.refunded"),
      companion: ms((e) => e.kind === "companion"), noise: ms((e) => e.kind === "noise"),
    },
    sendLagMs: stat(events.filter((e) => !e.held).map((e) => e.lagMs)),
    heldRefunds: events.filter((e) => e.held).length,
    maxInflight: run.maxInflight, inflightCapHit: run.capWaits,
    statusCounts: countBy(events, (e) => String(first(e).status)),
    errors: errors.length,
    errorsByKind: countBy(errors, (e) => `${isProxy503(first(e)) ? "503 from wrangler dev's proxy (forward to the worker failed)" : first(e).status}`),
    errorSamples: errors.slice(0, 8).map((e) => ({ kind: e.kind, type: e.type, status: first(e).status, body: first(e).body })),
    retries: { sent: run.retriesSent, statusCounts: countBy(allAttempts.filter((a) => a.n > 0), (a) => String(a.status)), eventsNeverAcknowledged: events.filter((e) => e.gaveUp).length },
    reachedLoupe: { requestsAnswered: allAttempts.length, answered2xx: allAttempts.filter(isOk).length, loupeLogged: log.loupe, proxyLogged: log.proxy, uncaughtErrorsLogged: log.uncaught },
    wrongBodies: wrongBody.length, wrongBodySamples: wrongBody.slice(0, 5).map((a) => a.body),
    // A first delivery must say duplicate: false, unless another delivery of its id was sent while
    // it was in flight (a racing twin, or a redelivery that overtook it: requests in flight are not
    // served in order); whichever the worker takes first is then the first delivery. Either way,
    // every acknowledged id must have at least one answer saying duplicate: false.
    firstDeliveriesSaidDuplicate: saidDuplicateAlone.length,
    firstDeliveriesSaidDuplicateSamples: saidDuplicateAlone.slice(0, 5).map((e) => ({ id: e.id, type: e.type, kind: e.kind, attempts: e.attempts.map((a) => ({ status: a.status, body: a.body, sentAt: round(a.sentAt - t0, 0) })) })),
    overtakenFirstDeliveries: overtaken.filter((e) => isOk(first(e)) && first(e).body?.duplicate === true).length,
    idsWithoutFirstAnswer: idsWithoutFirst.length,
    redeliveries: {
      later: later.length, laterAfterOriginalAcked: laterAfterAck.length, answeredDuplicate: laterAfterAck.filter((e) => first(e).body?.duplicate === true).length,
      laterBeforeOriginalAcked: later.length - laterAfterAck.length, races: races.length, racesAnsweredDuplicate: races.filter((e) => first(e).body?.duplicate === true || first(e.original).body?.duplicate === true).length,
    },
    cpu: { ...cpu, loupeCpuMsPerEvent: round((cpu.workerdLoupeCores * cpu.seconds * 1000) / allAttempts.length, 1), stackCpuMsPerEvent: round(((cpu.workerdLoupeCores + cpu.workerdProxyCores + cpu.wranglerCores) * cpu.seconds * 1000) / allAttempts.length, 1) },
  };
  result.keptUp = result.errors === 0 && result.wrongBodies === 0 && result.achievedRate >= KEEP_UP.minShare * rate && (result.latencyMs.p99 ?? Infinity) <= KEEP_UP.maxP99Ms;
  return { result, events, plans };
}

// ---------------------------------------------------------------- the effects, read back
function d1(L, database, sql) {
  const r = spawnSync(path.join(root, "node_modules", ".bin", "wrangler"), ["d1", "execute", database, "--local", "--persist-to", L.stateDir, "--command", sql, "--json"], {
    cwd: L.cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) throw new Error(`wrangler d1 execute ${database} "${sql}" failed: ${r.stderr || r.stdout}`.slice(0, 2000));
  const out = JSON.parse(r.stdout.slice(r.stdout.indexOf("[")));
  return out[0].results;
}

/** What an event did, as far as its answers tell: applied (acknowledged), maybe (an attempt failed
 *  after it may have reached the handler), or not (every attempt failed before reaching Loupe). */
const applied = (e) => (!e ? "no" : e.ackedAt !== undefined ? "yes" : e.attempts.some((a) => !isOk(a) && !isProxy503(a)) ? "maybe" : "no");

/** Compares what the database holds with what the acknowledged events must have done, order by order. */
function verify(L, steps) {
  const [tenant] = d1(L, "DIRECTORY", `SELECT id, shard, stripe_account_id FROM tenants WHERE slug = '${DEMO.slug}'`);
  const db = `TENANT_DB_${tenant.shard}`;
  const t = `tenant_id = '${tenant.id}'`;
  const orders = new Map(d1(L, db, `SELECT id, number, status, refunded, total, payment_intent_id FROM orders WHERE ${t}`).map((o) => [o.id, o]));
  const mails = d1(L, db, `SELECT id, kind, subject FROM email_outbox WHERE ${t}`);
  const grants = d1(L, db, `SELECT order_id FROM download_grants WHERE ${t}`);
  const recorded = new Set(d1(L, "DIRECTORY", "SELECT id FROM stripe_events").map((e) => e.id));
  const mailCount = new Map(); // `${number}:${what}` → count
  for (const m of mails) {
    const what = m.kind === "downloads_ready" ? "downloads" : / confirmed$/.test(m.subject) ? "confirmed" : / received$/.test(m.subject) ? "received" : m.kind;
    const n = /#(\d+)/.exec(m.subject)?.[1];
    mailCount.set(`${n}:${what}`, (mailCount.get(`${n}:${what}`) ?? 0) + 1);
  }
  const grantCount = countBy(grants, (g) => g.order_id);
  const perStep = steps.map((s) => {
    const problems = [];
    const tally = { orders: s.plans.length, checkedFully: 0, paid: 0, refundedInFull: 0, partlyRefunded: 0, pending: 0, confirmedMails: 0, downloadsMails: 0, receivedMails: 0, grants: 0, wrongStatus: 0, wrongRefund: 0, wrongPaymentIntent: 0, missingEffects: 0, duplicateEffects: 0 };
    for (const w of s.plans) {
      const o = orders.get(w.order.id);
      if (!o) { problems.push(`order ${w.order.id}: not in the database`); continue; }
      if (o.status === "paid") tally.paid++;
      if (o.status === "refunded") tally.refundedInFull++;
      if (o.status === "pending") tally.pending++;
      if (o.status === "paid" && o.refunded > 0) tally.partlyRefunded++;
      const c = { confirmed: mailCount.get(`${o.number}:confirmed`) ?? 0, downloads: mailCount.get(`${o.number}:downloads`) ?? 0, received: mailCount.get(`${o.number}:received`) ?? 0, grants: grantCount[o.id] ?? 0 };
      tally.confirmedMails += c.confirmed; tally.downloadsMails += c.downloads; tally.receivedMails += c.received; tally.grants += c.grants;
      // Fully checked when the payment was acknowledged (then refunds waited for it); otherwise
      // only that nothing happened twice.
      const paidAcked = applied(w.completion) === "yes";
      const refund = applied(w.refund);
      if (paidAcked) {
        tally.checkedFully++;
        const statuses = w.full ? (refund === "yes" ? ["refunded"] : refund === "maybe" ? ["paid", "refunded"] : ["paid"]) : ["paid"];
        const amounts = refund === "yes" ? [w.amount] : refund === "maybe" ? [0, w.amount] : [0];
        if (!statuses.includes(o.status)) { tally.wrongStatus++; problems.push(`order #${o.number}: status ${o.status}, expected ${statuses.join(" or ")}`); }
        if (!amounts.includes(o.refunded)) { tally.wrongRefund++; problems.push(`order #${o.number}: refunded ${o.refunded}, expected ${amounts.join(" or ")}`); }
        if (o.payment_intent_id !== w.pi) { tally.wrongPaymentIntent++; problems.push(`order #${o.number}: payment intent ${o.payment_intent_id}, expected ${w.pi}`); }
      }
      for (const [k, n] of Object.entries(c)) {
        if (n === 1 || (n === 0 && !paidAcked && k !== "received")) continue;
        if (n === 0) tally.missingEffects++; else tally.duplicateEffects++;
        problems.push(`order #${o.number}: ${n} × ${k === "grants" ? "download grant" : `${k} mail`}, expected 1`);
      }
    }
    // Types Loupe does not handle are answered `ignored: true` and never recorded.
    const acked = new Set(s.events.filter((e) => e.ackedAt !== undefined && !e.attempts.some((a) => a.body?.ignored === true)).map((e) => e.id));
    const missing = [...acked].filter((id) => !recorded.has(id));
    if (missing.length) problems.push(`${missing.length} acknowledged event ids not recorded in stripe_events (e.g. ${missing[0]})`);
    return { step: s.result.step, ...tally, acknowledgedEventIds: acked.size, eventIdsRecorded: acked.size - missing.length, problems: problems.length, problemSamples: problems.slice(0, 15), ok: problems.length === 0 };
  });
  return { shard: tenant.shard, tenantStripeAccount: tenant.stripe_account_id, ordersInDb: orders.size, mailsInDb: mails.length, grantsInDb: grants.length, stripeEventsInDb: recorded.size, mailKinds: countBy(mails, (m) => m.kind), perStep };
}

/** A sample of fully acknowledged orders as the dashboard shows them must agree with the events. */
async function apiSample(L, steps) {
  const all = steps.flatMap((s) => s.plans).filter((w) => applied(w.completion) === "yes" && applied(w.refund) !== "maybe");
  const rand = rng(SEED);
  const sample = Array.from({ length: Math.min(60, all.length) }, () => all[Math.floor(rand() * all.length)]);
  const wrong = [];
  for (const w of sample) {
    const r = await call(L.port, "GET", L.appHost, `/api/studios/${L.studioId}/store/orders/${w.order.id}`, { cookie: L.cookie });
    const o = r.json?.order;
    const refunded = applied(w.refund) === "yes" ? w.amount : 0;
    const status = w.full && refunded ? "refunded" : "paid";
    if (r.status !== 200 || o.status !== status || o.refunded !== refunded || o.paymentIntentId !== w.pi) wrong.push(`#${w.order.number}: HTTP ${r.status} ${o?.status} refunded ${o?.refunded} pi ${o?.paymentIntentId}; expected ${status} ${refunded} ${w.pi}`);
  }
  const mail = (await must(call(L.port, "GET", L.appHost, `/api/studios/${L.studioId}/store/mail`, { cookie: L.cookie }), 200, "GET mail")).json.mail;
  const subjects = countBy(mail, (m) => m.subject);
  const repeated = Object.entries(subjects).filter(([, n]) => n > 1).map(([s, n]) => `${n} × ${s}`);
  return { ordersChecked: sample.length, ordersWrong: wrong.length, wrong: wrong.slice(0, 5), mailListed: mail.length, mailSubjectsRepeated: repeated.length, repeated: repeated.slice(0, 5) };
}

// ---------------------------------------------------------------- report
const RATE_TARGET = 100;
function machine() {
  const version = (p) => { try { return JSON.parse(readFileSync(path.join(root, "node_modules", p, "package.json"), "utf8")).version; } catch { return "?"; } };
  return {
    cpu: `${os.cpus().length}× ${os.cpus()[0]?.model ?? "?"}`, memoryGiB: round(os.totalmem() / 1024 ** 3, 1), node: process.version,
    os: `${os.type()} ${os.release()}`, workerd: version("@cloudflare/workerd-linux-64"), wrangler: version("wrangler"), stripe: version("stripe"),
  };
}

function verdict(r) {
  const s = r.steps[0], v = r.verification.perStep[0];
  const checks = [
    [`offered ${s.offeredRate} events/s ≥ ${RATE_TARGET}`, s.offeredRate >= RATE_TARGET],
    [`achieved ${fmt(s.achievedRate, 1)}/s ≥ ${KEEP_UP.minShare * 100}% of offered`, s.achievedRate >= KEEP_UP.minShare * s.offeredRate],
    [`${s.errors + s.wrongBodies} errors (non-2xx, network, malformed answers; first attempts)`, s.errors === 0 && s.wrongBodies === 0],
    [`${v.duplicateEffects} duplicate effects`, v.duplicateEffects === 0],
    [`${v.missingEffects + v.wrongStatus + v.wrongRefund + v.wrongPaymentIntent} missing effects or wrong final states`, v.ok],
    ["the same id after its acknowledgement said duplicate: true, first deliveries false", s.redeliveries.answeredDuplicate === s.redeliveries.laterAfterOriginalAcked && s.firstDeliveriesSaidDuplicate === 0 && s.idsWithoutFirstAnswer === 0],
  ];
  return { pass: checks.every(([, ok]) => ok), checks };
}

function markdown(r) {
  const L = [];
  const S = r.steps, V = r.verification.perStep;
  const col = (f) => S.map((s, i) => f(s, V[i])).join(" | ");
  L.push(`### Store benchmark: Stripe webhooks${r.via === "direct" ? ", straight to Loupe's workerd (no wrangler proxy)" : ""} (${r.date}, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, workerd ${r.machine.workerd} via wrangler ${r.machine.wrangler} dev)`);
  L.push("");
  L.push(`**${r.verdict.pass ? "PASS" : "FAIL"}** against the target (${RATE_TARGET} events/s with no error and no duplicate effect, step 1): ${r.verdict.checks.map(([what, ok]) => `${ok ? "✓" : "✗"} ${what}`).join("; ")}.`);
  L.push("");
  L.push(`| Connect webhook events, open-loop | ${S.map((s, i) => (i === 0 ? `**step 1: target**` : `step ${s.step}`)).join(" | ")} |`);
  L.push(`|---|${S.map(() => "---").join("|")}|`);
  const row = (label, f) => L.push(`| ${label} | ${col(f)} |`);
  const lat = (x) => `${fmt(x?.p50, 1)} / ${fmt(x?.p95, 1)}`;
  row("offered rate (events/s) × planned s", (s) => `**${s.offeredRate}** × ${s.plannedSeconds}`);
  row("events (orders)", (s) => `${s.events} (${s.orders})`);
  row("sent rate / **achieved rate** (2xx first answers/s)", (s) => `${fmt(s.sentRate, 1)} / **${fmt(s.achievedRate, 1)}**`);
  row("**latency ms** p50 / **p95** / p99 / max", (s) => `${fmt(s.latencyMs.p50, 1)} / **${fmt(s.latencyMs.p95, 1)}** / ${fmt(s.latencyMs.p99, 1)} / ${fmt(s.latencyMs.max, 0)}`);
  row("latency from due time ms p50 / p95 / p99 (incl. send lag)", (s) => `${fmt(s.latencyFromDueMs.p50, 1)} / ${fmt(s.latencyFromDueMs.p95, 1)} / ${fmt(s.latencyFromDueMs.p99, 1)}`);
  row("checkout.session.completed p50 / p95 ms", (s) => lat(s.latencyByType.completion));
  row("same id again (duplicate) p50 / p95 ms", (s) => lat(s.latencyByType.redelivery));
  row("charge.refunded p50 / p95 ms", (s) => lat(s.latencyByType.refund));
  row("payment_intent.* / charge.succeeded|updated p50 / p95 ms", (s) => lat(s.latencyByType.companion));
  row("send lag p95 / max ms (sender behind schedule)", (s) => `${fmt(s.sendLagMs.p95, 1)} / ${fmt(s.sendLagMs.max, 0)}`);
  row("max in flight / drain after last send ms", (s) => `${s.maxInflight} / ${fmt(s.drainMs)}`);
  row("first answers: status codes", (s) => Object.entries(s.statusCounts).map(([k, n]) => `${k} × ${n}`).join(", "));
  row("**errors** (non-2xx, network, malformed)", (s) => `**${s.errors + s.wrongBodies}**`);
  row("retries (Stripe-like, 1/2/4 s): sent, never acknowledged", (s) => `${s.retries.sent}, ${s.retries.eventsNeverAcknowledged}`);
  row("requests sent / answered 2xx / logged by Loupe / by wrangler's proxy", (s) => `${s.reachedLoupe.requestsAnswered} / ${s.reachedLoupe.answered2xx} / ${Object.entries(s.reachedLoupe.loupeLogged).map(([k, n]) => `${k} × ${n}`).join(", ") || 0} / ${Object.entries(s.reachedLoupe.proxyLogged).map(([k, n]) => `${k} × ${n}`).join(", ") || 0}`);
  row("same id after the ack: said duplicate", (s) => `${s.redeliveries.answeredDuplicate}/${s.redeliveries.laterAfterOriginalAcked}${s.redeliveries.laterBeforeOriginalAcked ? ` (+${s.redeliveries.laterBeforeOriginalAcked} sent before it)` : ""}`);
  row("same id twice at the same instant: pairs where one said duplicate", (s) => `${s.redeliveries.racesAnsweredDuplicate}/${s.redeliveries.races}`);
  row("first deliveries that said duplicate: alone (must be 0) / with a twin in flight (allowed)", (s) => `${s.firstDeliveriesSaidDuplicate} / ${s.overtakenFirstDeliveries}`);
  row("acknowledged ids with no duplicate: false answer (must be 0)", (s) => String(s.idsWithoutFirstAnswer));
  row("orders paid / refunded in full / partly refunded / pending", (s, v) => `${v.paid} / ${v.refundedInFull} / ${v.partlyRefunded} / ${v.pending}`);
  row("mails confirmed / downloads / received; grants", (s, v) => `${v.confirmedMails} / ${v.downloadsMails} / ${v.receivedMails}; ${v.grants}`);
  row("**duplicate effects** / missing effects / wrong states", (s, v) => `**${v.duplicateEffects}** / ${v.missingEffects} / ${v.wrongStatus + v.wrongRefund + v.wrongPaymentIntent}`);
  row("acknowledged handled event ids in stripe_events", (s, v) => `${v.eventIdsRecorded}/${v.acknowledgedEventIds}`);
  row("CPU cores: workerd (Loupe) / workerd (proxy) / wrangler", (s) => `${fmt(s.cpu.workerdLoupeCores, 2)} / ${fmt(s.cpu.workerdProxyCores, 2)} / ${fmt(s.cpu.wranglerCores, 2)}`);
  row("CPU ms per request: Loupe's workerd / whole dev stack", (s) => `${fmt(s.cpu.loupeCpuMsPerEvent, 1)} / ${fmt(s.cpu.stackCpuMsPerEvent, 1)}`);
  row(`CPU cores: this bench / machine busy (of ${os.cpus().length}) / others`, (s) => `${fmt(s.cpu.benchCores, 2)} / ${fmt(s.cpu.busyCores, 2)} / ${fmt(s.cpu.otherCores, 2)}`);
  row(`**kept up** (0 errors, ≥ ${KEEP_UP.minShare * 100}% of offered, p99 ≤ ${KEEP_UP.maxP99Ms} ms)`, (s) => (s.keptUp ? "yes" : "**no**"));
  L.push("");
  const up = S.filter((s) => s.keptUp).map((s) => s.offeredRate), down = S.filter((s) => !s.keptUp).map((s) => s.offeredRate);
  const best = up.length ? Math.max(...up) : null, worst = down.length ? Math.min(...down.filter((x) => best == null || x > best)) : null;
  L.push(`Where it stops keeping up here: ${best != null ? `kept up at ${best} events/s` : `did not keep up at any rate tried (lowest ${Math.min(...down)} events/s)`}${Number.isFinite(worst) && worst != null ? `, not at ${worst} events/s` : best != null ? ", the highest rate tried" : ""}. Loupe's workerd runs the worker on one thread, so at ${fmt(S[0].cpu.loupeCpuMsPerEvent, 1)} ms of its CPU per request (step 1) it cannot exceed ≈ ${fmt(1000 / S[0].cpu.loupeCpuMsPerEvent)} requests/s even with a core to itself; the whole dev stack (Loupe's workerd + wrangler's proxy workerd + wrangler's logging) costs ${fmt(S[0].cpu.stackCpuMsPerEvent, 1)} ms per request, i.e. ≈ ${fmt((os.cpus().length * 1000) / S[0].cpu.stackCpuMsPerEvent)} requests/s if it had all ${os.cpus().length} cores of this machine and nothing else ran.`);
  L.push("");
  L.push(`Orders placed before each step (checkout through the client API, ${LANES} clients at once): ${r.orderPlacing.map((o, i) => `step ${i + 1}: ${o.placed} in ${fmt(o.seconds, 1)} s (${fmt(o.perSecond, 1)}/s${o.failed ? `, ${o.failed} failed` : ""})`).join("; ")}.`);
  L.push("");
  L.push(`Read back from the local D1 (shard ${r.verification.shard}): ${r.verification.ordersInDb} orders, ${r.verification.mailsInDb} mails (${Object.entries(r.verification.mailKinds).map(([k, n]) => `${k} ${n}`).join(", ")}), ${r.verification.grantsInDb} download grants, ${r.verification.stripeEventsInDb} stripe_events. Dashboard API: ${r.api.ordersChecked} acknowledged orders read through GET …/store/orders/:id, ${r.api.ordersWrong} disagreeing; GET …/store/mail lists the latest ${r.api.mailListed} mails, ${r.api.mailSubjectsRepeated} subjects repeated.`);
  const problems = V.flatMap((v) => v.problemSamples.map((p) => `step ${v.step}: ${p}`));
  const errs = S.flatMap((s) => Object.entries(s.errorsByKind).map(([k, n]) => `step ${s.step} (${s.offeredRate}/s): ${n} × ${k}`));
  const samples = S.flatMap((s) => s.errorSamples.slice(0, 2).map((e) => `step ${s.step}: ${e.type} (${e.kind}) → ${e.status} \`${(typeof e.body === "string" ? e.body : JSON.stringify(e.body) ?? String(e.error ?? "no answer")).slice(0, 160)}\``));
  if (problems.length || errs.length) {
    L.push("");
    L.push("#### Errors and problems found");
    L.push("");
    for (const p of [...errs, ...samples, ...problems]) L.push(`- ${p}`);
    if (r.uncaught.count) L.push(`- wrangler dev printed ${r.uncaught.count} error lines during the run, e.g. \`${r.uncaught.samples[0]}\``);
  }
  L.push("");
  L.push("#### Method");
  L.push("");
  for (const n of r.method) L.push(`- ${n}`);
  L.push("");
  L.push("#### Caveats");
  L.push("");
  for (const n of r.caveats) L.push(`- ${n}`);
  L.push("");
  L.push(`Total bench time ${fmt(r.totalSeconds, 0)} s.`);
  return L.join("\n") + "\n";
}

function methodNotes(r) {
  return [
    (r.tree.snapshot ? `Loupe runs from a snapshot of the working tree (HEAD ${r.tree.head} plus ${r.tree.changedFiles} changed or new files; the ${r.tree.files} files git lists, copied to a temp dir, node_modules linked), so edits made to the tree during the run cannot reload the worker. ` : "Loupe runs in place (STORE_SNAPSHOT=0). ") +
    "It runs as `npm start` does (scripts/start.mjs: migrations, `wrangler dev` on 127.0.0.1 with a fresh state dir, demo studio) with `LOUPE_VARS` setting STRIPE_CONNECT_WEBHOOK_SECRET and STRIPE_WEBHOOK_SECRET and no STRIPE_SECRET_KEY: nothing calls Stripe, and checkout makes offline (pending) orders.",
    `Orders: the demo studio's sample gallery gets a price sheet with one digital item (web download, ${PRICE / 100} USD, no tax) through the dashboard API; before each step ${LANES} clients open the gallery (POST /g/:id/access) and repeat PUT /g/:id/cart (one line, one photo) and POST /g/:id/checkout, each checkout with its own cf-connecting-ip (the route allows 20 a minute per IP). Each step has its own fresh orders.`,
    `Events: Connect events to POST /webhooks/stripe/connect on wrangler dev's port (app host), JSON as Stripe sends it, signed with stripe ${r.machine.stripe}'s generateTestHeaderStringAsync and the connect secret (signed just before the step, and again for each retry). No \`account\` field: studioOf() finds the studio by metadata.tenantId. Per order, what one Checkout payment sends: checkout.session.completed (paid, payment_intent pi_…), payment_intent.created/.succeeded and charge.succeeded/.updated carrying {tenantId, orderId} (no effect beyond being recorded); trouble: the completion's id again 2–5 s later (15%) or at the same instant (5%), a second completion under a new id 1–6 s later (10%), charge.refunded partial (${PARTIAL / 100} USD, 20%) or in full (10%; half with metadata.orderId, half found by payment intent) held until the completion was acknowledged, account.updated for an account no studio has and customer.created without metadata (10%). Seeded (STORE_SEED=${SEED}): the same mix each run.`,
    `Open loop: events are due 1/rate s apart (in the mix's time order) and sent when due whatever the earlier ones are doing, over keep-alive HTTP/1.1 connections (at most ${MAX_INFLIGHT} scheduled sends in flight: reaching it delays them, shown as send lag and in the latency from due time; released refunds and retries are not held back, so the maximum in flight can be a little higher). Latency = request sent → last byte of the answer, first attempts only. Sent rate = events / time from first to last send; achieved rate = 2xx first answers / time from the first send to the last first answer (a backlog draining after the schedule lowers it). Kept up = no error, achieved ≥ ${KEEP_UP.minShare * 100}% of offered, p99 ≤ ${KEEP_UP.maxP99Ms} ms. Steps after the target double the rate while steps keep up, or halve it until one does, then bisect between the highest rate kept up and the lowest not (while they differ by more than 25%; at most ${MAX_STEPS} steps, each with ${STEP_SECONDS} s of events).`,
    `A non-2xx or failed request is an error (counted on first attempts) and is sent again like Stripe does (same event id, a fresh signature) after 1, 2 and 4 s, up to ${RETRIES} times, so that the effects can still be checked. Loupe's own request log lines ({"msg":"request", path /webhooks/stripe/connect} in wrangler dev's output) are counted per step, to tell requests that reached the worker from those wrangler dev's proxy failed to forward.`,
    "Answers: every event must get 2xx with {received: true, duplicate: boolean}; a first delivery must say duplicate: false; the same id sent after its original was acknowledged must say duplicate: true (one sent while the original is still in flight may say either: both pass the dedupe check, and the handlers being idempotent must keep the effect single; the racing redeliveries test exactly that). A first delivery with another delivery of its id sent while it was in flight (a racing twin, or a later redelivery that overtook it: requests in flight are not served in order) may say either; every acknowledged id must have at least one answer saying duplicate: false.",
    "Effects, read after the steps from the local D1 files with `wrangler d1 execute --local --persist-to <state dir>` (Loupe stopped first): per order whose completion was acknowledged, status paid, or refunded when a full refund was acknowledged; refunded = the amount acknowledged; payment_intent_id = the one sent; exactly one order_confirmation \"…confirmed\" mail, one \"…received\" mail (from checkout), one downloads_ready mail and one download_grants row. (An order whose completion was never acknowledged may only have nothing twice.) Mails are matched to orders by the order number in the subject, not by outbox id (the id is the dedupe key, so counting ids could not see a duplicate under another key). Every acknowledged id of a type Loupe handles must be in the directory's stripe_events (other types are answered `ignored: true` without a query). Up to 60 random acknowledged orders are also read through the dashboard API (GET /api/studios/:s/store/orders/:id), and GET …/store/mail (the latest 200) is checked for repeated subjects.",
    "CPU: ticks from /proc of wrangler dev's two workerd processes (the proxy on the public port and the one running Loupe's worker), of wrangler's node process and of this bench, from the first send to the last answer of each step; machine busy cores from /proc/stat; others = busy cores not spent by this bench's process tree (another engineer's work on this shared machine). CPU ms per request = that process's CPU time / requests answered (retries included).",
    "Percentiles interpolate linearly between closest ranks (tests/bench/stats.mjs).",
  ];
}

function caveatNotes(r) {
  const out = [];
  out.push("`wrangler dev` is not production: a proxy workerd sits in front of the worker (it forwards every request to the workerd that runs Loupe), wrangler's node process prints two log lines per request, local D1 is SQLite on disk behind a Durable Object in Loupe's workerd, and that workerd runs the worker, D1 and R2 on one thread. On Cloudflare a webhook burst spreads over many isolates and D1 runs elsewhere (each query then costs a network round trip, so single-event latency is higher but throughput is not bounded by one thread).");
  out.push(`This is a shared ${os.cpus().length}-core VM: Loupe's workerd, wrangler's proxy, wrangler and this bench share the cores, and others' processes took what the "others" row shows. CPU per phase: ${r.phases.filter((p) => p.name !== "checking effects").map((p) => `${p.name} ${p.seconds} s: ${p.busyCores} busy, ${p.otherCores} others`).join("; ")}.`);
  if (r.reloads.length) out.push(`**wrangler dev reloaded the worker during this run: ${r.reloads.map((x) => `${x.phase} (${x.atSeconds} s)`).join(", ")}.**`);
  const errs = r.steps.reduce((n, s) => n + s.errors, 0), acked2xx = r.steps.reduce((n, s) => n + s.reachedLoupe.answered2xx, 0), logged = r.steps.reduce((n, s) => n + Object.values(s.reachedLoupe.loupeLogged).reduce((a, b) => a + b, 0), 0);
  if (errs) out.push(`Every error was a request that Loupe's code did not answer: over all steps ${acked2xx} requests got 2xx and Loupe's own request log has ${logged} lines for the webhook path${r.steps.some((s) => Object.keys(s.reachedLoupe.loupeLogged).some((k) => k !== "200")) ? " (some not 200: see the JSON)" : ", all status 200"}; wrangler dev printed ${r.uncaught.count} error lines.`);
  if (r.steps.some((s) => s.errorsByKind && Object.keys(s.errorsByKind).some((k) => k.startsWith("503 from wrangler")))) out.push("The 503s (\"Your worker restarted mid-request…\") come from wrangler dev's proxy (wrangler-dist/ProxyWorker.js): its fetch to the workerd running Loupe failed and, for a POST, it answers 503 instead of retrying; the worker was not restarted (no reload was seen) and Loupe's request log has no line for those requests, so Loupe's code never ran for them. They appear only when requests queue up (seconds of backlog); in a separate check against the worker's own port, fresh connections at 96 in flight gave no error while keep-alive connections at 32 in flight had some reset, at the moment the backlog cleared, before reaching the worker. The ECONNRESET / socket hang up errors are the same thing one hop earlier (this bench's keep-alive connections to the proxy, reset under the backlog; the proxy logged no line for them). A runtime/dev-server limit under overload, not webhook logic; production has no such proxy.");
  out.push("All events are one studio's, so every write goes to one tenant shard plus the directory: the worst case for SQLite's single writer. Stripe sends a Connect endpoint its events with limited parallelism and retries failures with backoff over hours; a steady 100 events/s to one endpoint is a stress figure, and an overloaded step's errors would be retried by Stripe (as the bench's own retries show).");
  out.push("The orders are \"offline\" orders (no Stripe account, no STRIPE_SECRET_KEY) paid by card events all the same: the handler does not look at the order's payment method. A refund named only by its payment intent is resolved from the order's recorded payment_intent_id (without a Stripe key there is no lookup at Stripe), which is why refunds wait for their completion's acknowledgement.");
  return out;
}

// ---------------------------------------------------------------- main
async function main() {
  console.log(`store bench: target ${RATE} events/s × ${SECONDS} s (${ORDERS} orders), then ${FIXED_STEPS ? `fixed steps ${FIXED_STEPS.join(", ") || "none"}` : "doubling or halving"} (${STEP_SECONDS} s each)`);
  setPhase("starting Loupe");
  const L = await startLoupe();
  console.log(`  Loupe up on port ${L.port} (${((performance.now() - startedAt) / 1000).toFixed(0)} s); opening the shop…`);
  setPhase("opening the shop");
  const shop = await openShop(L);
  const lp = loupeProcesses(L.child.pid, L.port);
  if (!lp.workerdLoupe.length || !lp.workerdProxy.length) console.log(`  !! could not tell wrangler dev's workerd processes apart: ${JSON.stringify(lp)}`);
  const procs = { workerdLoupe: lp.workerdLoupe, workerdProxy: lp.workerdProxy, wrangler: lp.wrangler, bench: [process.pid] };
  L.eventPort = VIA === "direct"
    ? await workerEntryPort(lp.workerdLoupe[0], async (port) => (await call(port, "GET", L.appHost, "/readyz")).status === 200)
    : L.port;
  console.log(`  webhook events go ${VIA === "direct" ? `straight to Loupe's workerd on port ${L.eventPort}` : `through wrangler dev's proxy on port ${L.port}`}`);
  const steps = [], orderPlacing = [];
  const nextRate = () => {
    if (steps.length === 0) return RATE;
    if (FIXED_STEPS) return FIXED_STEPS[steps.length - 1] ?? null;
    if (steps.length >= MAX_STEPS) return null;
    const kept = steps.filter((s) => s.result.keptUp).map((s) => s.result.offeredRate);
    const failed = steps.filter((s) => !s.result.keptUp).map((s) => s.result.offeredRate);
    let rate;
    if (!kept.length) rate = Math.round(Math.min(...failed) / 2);
    else if (!failed.length) rate = Math.max(...kept) * 2;
    else {
      // Bracketed: halve the bracket while it is wider than 25%.
      const lo = Math.max(...kept), hi = Math.min(...failed.filter((x) => x > lo));
      if (!Number.isFinite(hi) || hi / lo <= 1.25) return null;
      rate = Math.round((lo + hi) / 2 / 5) * 5;
    }
    return rate < MIN_RATE || rate > MAX_RATE ? null : rate;
  };
  for (let rate = nextRate(); rate != null; rate = nextRate()) {
    const n = steps.length + 1;
    const seconds = n === 1 ? SECONDS : STEP_SECONDS;
    const count = n === 1 ? ORDERS : ordersFor(rate, seconds);
    setPhase(`step ${n}: placing ${count} orders`);
    const placed = await placeOrders(L, shop, count, `s${n}`);
    orderPlacing.push(placed.stats);
    console.log(`  step ${n}: ${placed.stats.placed} pending orders placed in ${placed.stats.seconds} s (${placed.stats.perSecond}/s); ${rate} events/s…`);
    setPhase(`step ${n}: ${rate} events/s`);
    const s = await runStep(L, n, rate, placed.orders, procs);
    const x = s.result;
    console.log(`    ${x.events} events: achieved ${x.achievedRate}/s, p50 ${x.latencyMs.p50} ms, p95 ${x.latencyMs.p95} ms, p99 ${x.latencyMs.p99} ms, max ${x.latencyMs.max} ms; first answers ${JSON.stringify(x.statusCounts)}; retries ${x.retries.sent}; Loupe's workerd ${x.cpu.workerdLoupeCores} cores (${x.cpu.loupeCpuMsPerEvent} ms/request); kept up: ${x.keptUp}`);
    steps.push(s);
    await sleep(1500);
  }
  setPhase("checking effects");
  const api = await apiSample(L, steps);
  await stopChild(L.child);
  const logFile = path.join(os.tmpdir(), "loupe-bench-store-wrangler.log");
  await writeFile(logFile, L.output());
  console.log(`  wrangler dev's output in ${logFile}; reading the effects back from D1…`);
  const verification = verify(L, steps);
  setPhase(null);

  const result = {
    date: new Date().toISOString().slice(0, 10), machine: machine(), via: VIA,
    config: { rate: RATE, seconds: SECONDS, stepSeconds: STEP_SECONDS, maxSteps: MAX_STEPS, fixedSteps: FIXED_STEPS, orders: ORDERS, maxInflight: MAX_INFLIGHT, retries: RETRIES, orderLanes: LANES, seed: SEED, eventsPerOrder: EVENTS_PER_ORDER, price: PRICE, partialRefund: PARTIAL, keepUp: KEEP_UP, target: { eventsPerSecond: RATE_TARGET, errors: 0, duplicateEffects: 0 } },
    tree: L.tree, orderPlacing, steps: steps.map((s) => s.result), verification, api,
    uncaught: { count: logCounts.uncaught, samples: logCounts.uncaughtSamples }, phases, reloads,
  };
  result.verdict = verdict(result);
  result.method = methodNotes(result);
  result.caveats = caveatNotes(result);
  result.totalSeconds = round((performance.now() - startedAt) / 1000, 1);
  const md = markdown(result);
  await mkdir(path.join(here, "results"), { recursive: true });
  const name = VIA === "direct" ? "store-direct" : "store";
  await writeFile(path.join(here, "results", `${name}.json`), JSON.stringify(result, null, 2) + "\n");
  await writeFile(path.join(here, "results", `${name}.md`), md);
  console.log("\n" + md);
  console.log(`wrote tests/bench/results/${VIA === "direct" ? "store-direct" : "store"}.json and .md`);
}

main().then(() => process.exit(0), (err) => {
  console.error(`store bench failed (${phase}): ${err.stack ?? err}`);
  process.exit(1);
});
