// `npm run bench:web`: a 1,000-photo client gallery in Chromium over loopback.
//   1. Loupe runs as `npm start` does (scripts/start.mjs → wrangler dev on 127.0.0.1, fresh state
//      dir). A gallery of WEB_PHOTOS distinct 900×600 JPEGs is made through the dashboard API the
//      uploader's way (POST …/photos, PUT …/photos/:p/master; no originals: proofing needs none),
//      and the bench waits until the queue has made every thumbnail and preview (status "ready").
//   2. The client page http://demo.localhost:<port>/g/<id> in Debian's Chromium (playwright-core):
//      WEB_COLD runs, each in a fresh browser context (empty HTTP cache), then WEB_WARM runs in one
//      context whose cache a first, uncounted visit filled. Timed in the page against its own
//      navigation start: first thumbnail painted (Element Timing), all thumbnails of the first
//      viewport painted, interactive (hearts on the tiles, room socket open and the document
//      synced, the page showing it), DOMContentLoaded, load. Bytes: the HTML (raw, gzip -9) and
//      every script the page loaded (raw, gzip -9, brotli, and what went over the wire).
//   3. The dashboard (app host, signed in) on the gallery's photos tab: its scripts' bytes, time
//      until the 1,000 photos are listed, and what its 2-second refresh costs on this gallery.
// Writes tests/bench/results/web.json and web.md and prints the table.
//
// Loupe runs from a snapshot of the working tree (tracked and untracked, not ignored files, copied
// to a temp dir with node_modules linked), so edits made to the tree during the run neither make
// wrangler dev reload the worker (a reload loses the local queue's pending messages: photos then
// stay "processing") nor rebuild the browser apps under the page being measured. WEB_SNAPSHOT=0
// runs in place instead.
//
// Knobs (env): WEB_PHOTOS=1000  WEB_COLD=5  WEB_WARM=5  WEB_DASH_RUNS=3  WEB_CONCURRENCY=8 (uploads
// in flight)  WEB_PROCESS_TIMEOUT_S=480 (give up waiting for the queue)  WEB_STALL_S=90 (give up
// when no photo became ready for this long after the uploads)  WEB_SNAPSHOT=1
// CHROMIUM_PATH=/usr/bin/chromium
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zc, gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import sharp from "sharp";
import { descendants, quantile } from "./stats.mjs";
import { freePort, snapshotTree } from "./tree.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

const PHOTOS = Number(process.env.WEB_PHOTOS ?? 1000);
const COLD = Number(process.env.WEB_COLD ?? 5);
const WARM = Number(process.env.WEB_WARM ?? 5);
const DASH_RUNS = Number(process.env.WEB_DASH_RUNS ?? 3);
const CONCURRENCY = Number(process.env.WEB_CONCURRENCY ?? 8);
const PROCESS_TIMEOUT_MS = Number(process.env.WEB_PROCESS_TIMEOUT_S ?? 480) * 1000;
const STALL_MS = Number(process.env.WEB_STALL_S ?? 90) * 1000;
const SNAPSHOT = process.env.WEB_SNAPSHOT !== "0";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const VIEWPORT = { width: 1280, height: 860 };
const PAGE_TIMEOUT_MS = 60_000;
const SETTLE_MS = 750; // after interactive: late paint entries, errors, requests still finishing
const DASH_WATCH_MS = 6_500; // dashboard: how long its 2 s refresh is watched after the first listing
const TARGET_FIRST_THUMB_MS = 1000;
const TARGET_JS_GZIP_BYTES = 100_000; // "100 KB" read as 100,000 bytes (stricter than 100 KiB)
const DEMO = { email: "demo@loupe.localhost", password: "demo-password-2026", slug: "demo" };
const startedAt = performance.now();

// ---------------------------------------------------------------- processes we start, and clean-up
const groups = new Set(); // detached children: each is its own process group
const tempDirs = [];
let browser = null;
function cleanUp() {
  for (const child of groups) try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
  for (const d of tempDirs) try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
}
process.on("exit", cleanUp);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping`);
    try { browser?.close(); } catch { /* exiting anyway */ }
    process.exit(130);
  });
}

let phase = "starting Loupe";
const reloads = [];
/** Spawns `cmd` detached (its own process group) and keeps the tail of its output; `ready`
 *  resolves once `readyText` was printed. wrangler dev restarts the worker when a source file
 *  changes under it (someone editing the tree): noted, since it drops sockets and warm isolates. */
function startChild(name, cmd, args, env, readyText, timeoutMs, cwd = root) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.add(child);
  let out = "";
  const keep = (d) => {
    out = (out + d).slice(-200_000);
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
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
  for (let i = 0; i < 30 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
  try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ }
  groups.delete(child);
}

// ---------------------------------------------------------------- small helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const fmt = (x, d = 0) => (x == null || !Number.isFinite(x) ? "n/a" : round(x, d).toLocaleString("en"));
const kb = (bytes) => (bytes == null ? "n/a" : `${(bytes / 1000).toFixed(1)} KB`);
const stat = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x));
  if (!v.length) return { n: 0, p50: null, p95: null, min: null, max: null };
  return { n: v.length, p50: round(quantile(v, 0.5)), p95: round(quantile(v, 0.95)), min: round(Math.min(...v)), max: round(Math.max(...v)) };
};
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i], i); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------- CPU use per phase (shared machine)
function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) };
  } catch { return null; }
}
function cpuTicks() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const busy = f[1] + f[2] + f[3] + f[6] + f[7];
  // Chromium is launched by this process, so it is in this tree too.
  const mine = [process.pid, ...descendants(process.pid)].reduce((sum, p) => sum + (procStat(p)?.ticks ?? 0), 0);
  return { busy, mine, at: performance.now() };
}
const phases = [];
function setPhase(name) {
  const now = cpuTicks();
  const prev = phases.at(-1);
  if (prev?.start) {
    const s = (now.at - prev.start.at) / 1000;
    Object.assign(prev, {
      seconds: round(s, 1),
      busyCores: round((now.busy - prev.start.busy) / 100 / s, 2),
      otherCores: round(Math.max(0, (now.busy - prev.start.busy) - (now.mine - prev.start.mine)) / 100 / s, 2),
    });
    delete prev.start;
  }
  phase = name;
  if (name) phases.push({ name, start: now });
}

// ---------------------------------------------------------------- HTTP to Loupe over loopback
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
/** node:http to 127.0.0.1 with the Host header (Node cannot resolve *.localhost). */
function call(port, method, host, pathname, { body, type, cookie, headers = {}, raw = false } = {}) {
  return new Promise((resolve, reject) => {
    const binary = body instanceof Uint8Array;
    const data = body === undefined ? undefined : binary ? body : JSON.stringify(body);
    const h = { host, ...(data ? { "content-type": type ?? (binary ? "application/octet-stream" : "application/json"), "content-length": Buffer.byteLength(data) } : {}), ...(cookie ? { cookie } : {}), ...headers };
    // State-changing requests must carry an Origin matching the host (the worker's CSRF check).
    if (method !== "GET" && method !== "HEAD") h.origin = `http://${host}`;
    const t0 = performance.now();
    const req = request({ host: "127.0.0.1", port, method, path: pathname, headers: h, agent }, (res) => {
      const chunks = [];
      let ttfb = performance.now() - t0;
      res.on("data", (d) => chunks.push(d));
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        const text = raw ? "" : buf.toString("utf8");
        let json = null;
        if (!raw) try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, buf, text, json, headers: res.headers, cookies: [res.headers["set-cookie"] ?? []].flat(), ttfbMs: ttfb, totalMs: performance.now() - t0 });
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}
async function must(promise, status, what) {
  const r = await promise;
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}
/** A cookie the worker set, for a browser context. `__Host-` cookies are Secure and host-only;
 *  Playwright drops Secure when given an http:// url and Chromium then refuses the prefix, so the
 *  host goes in as a domain without a leading dot (host-only); Chromium counts *.localhost as a
 *  secure origin and sends it over http. */
const browserCookie = (c, host) => ({ ...c, domain: host.split(":")[0], path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
const cookiePairs = (setCookies) => setCookies.map((c) => { const [pair] = c.split(";"); const i = pair.indexOf("="); return { name: pair.slice(0, i).trim(), value: pair.slice(i + 1).trim() }; });

// ---------------------------------------------------------------- the photos
/** A distinct 900×600 JPEG: its own gradient, disc and number. */
function photoSvg(i) {
  const hue = (i * 137.508) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},50%,30%)"/></linearGradient></defs><rect width="900" height="600" fill="url(#g)"/><circle cx="${200 + ((i * 53) % 500)}" cy="${150 + ((i * 31) % 300)}" r="90" fill="hsl(${(hue + 180) % 360},70%,60%)"/><text x="450" y="340" font-size="120" font-family="sans-serif" text-anchor="middle" fill="white">#${i + 1}</text></svg>`;
}
const makeJpeg = (i) => sharp(Buffer.from(photoSvg(i))).jpeg({ quality: 82 }).toBuffer();

// ---------------------------------------------------------------- Loupe, the gallery
function snapshot() {
  const tree = snapshotTree(root, "web");
  tempDirs.push(tree.dir);
  return tree;
}

async function startLoupe() {
  const port = await freePort();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "loupe-bench-web-state-"));
  tempDirs.push(stateDir);
  const tree = SNAPSHOT ? snapshot() : { dir: root, head: null };
  if (SNAPSHOT) console.log(`  snapshot of the working tree (${tree.files} files, HEAD ${tree.head} + ${tree.changedFiles} changed/new files) in ${tree.dir}`);
  const run = startChild("npm start (scripts/start.mjs)", process.execPath, ["scripts/start.mjs"],
    { LOUPE_PORT: String(port), LOUPE_STATE_DIR: stateDir }, "Loupe is running.", 300_000, tree.dir);
  await run.ready;
  const appHost = `app.localhost:${port}`;
  const studioHost = `${DEMO.slug}.localhost:${port}`;
  const login = await must(call(port, "POST", appHost, "/api/auth/login", { body: { email: DEMO.email, password: DEMO.password } }), 200, "login");
  const sessionCookies = cookiePairs(login.cookies);
  const cookie = sessionCookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const me = (await must(call(port, "GET", appHost, "/api/me", { cookie }), 200, "GET /api/me")).json;
  const studio = me.studios.find((s) => s.tenant.slug === DEMO.slug) ?? me.studios[0];
  return { port, tree: { snapshot: SNAPSHOT, head: tree.head, files: tree.files ?? null, changedFiles: tree.changedFiles ?? null }, child: run.child, output: run.output, appHost, studioHost, cookie, sessionCookies, studioId: studio.tenant.id };
}

async function makeGallery(L) {
  const base = `/api/studios/${L.studioId}/galleries`;
  const g = (await must(call(L.port, "POST", L.appHost, base, { cookie: L.cookie, body: { title: `Bench: ${PHOTOS} photos`, visibility: "public" } }), 201, "create gallery")).json.gallery;
  const photosPath = `${base}/${g.id}/photos`;
  const t0 = performance.now();
  let uploaded = 0, bytes = 0;
  const errors = [];
  const progress = { readyAt: [] }; // [seconds since first upload, ready count]
  let uploadsDone = false;
  let lastUploadAt = null;
  let lastReady = -1, lastProgressAt = performance.now();

  // Watch the queue from the start: ready count over time.
  const watch = (async () => {
    const deadline = t0 + PROCESS_TIMEOUT_MS + 120_000;
    while (performance.now() < deadline) {
      await sleep(2000);
      const r = await call(L.port, "GET", L.appHost, photosPath, { cookie: L.cookie }).catch(() => null);
      if (r?.status !== 200) continue;
      const list = r.json.photos;
      const ready = list.filter((p) => p.status === "ready").length;
      const failed = list.filter((p) => p.status === "failed");
      progress.readyAt.push([round((performance.now() - t0) / 1000, 1), ready]);
      progress.last = { ready, failed: failed.length, total: list.length, failures: failed.slice(0, 5).map((p) => `${p.filename}: ${p.failureReason}`),
        byStatus: list.reduce((m, p) => ({ ...m, [p.status]: (m[p.status] ?? 0) + 1 }), {}) };
      if (ready + failed.length !== lastReady) { lastReady = ready + failed.length; lastProgressAt = performance.now(); }
      // Every photo whose master arrived is ready or failed (a failed upload leaves its photo "uploading").
      if (uploadsDone && ready + failed.length >= list.filter((p) => p.status !== "uploading").length) return { allDoneAt: performance.now() };
      if (uploadsDone && performance.now() - lastProgressAt > STALL_MS) return { stalled: true };
      if (uploadsDone && performance.now() - lastUploadAt > PROCESS_TIMEOUT_MS) return { timedOut: true };
    }
    return { timedOut: true };
  })();

  await mapLimit(Array.from({ length: PHOTOS }, (_, i) => i), CONCURRENCY, async (i) => {
    try {
      const jpeg = await makeJpeg(i);
      const filename = `BENCH_${String(i + 1).padStart(4, "0")}.jpg`;
      const start = await must(call(L.port, "POST", L.appHost, photosPath, { cookie: L.cookie, body: { filename, size: jpeg.length, contentType: "image/jpeg" } }), 201, `start ${filename}`);
      await must(call(L.port, "PUT", L.appHost, `${photosPath}/${start.json.photo.id}/master`, { cookie: L.cookie, body: new Uint8Array(jpeg), type: "image/jpeg" }), 200, `master ${filename}`);
      uploaded++;
      bytes += jpeg.length;
      if (uploaded % 100 === 0) console.log(`    ${uploaded}/${PHOTOS} uploaded (${((performance.now() - t0) / 1000).toFixed(0)} s; ${progress.last?.ready ?? 0} ready)`);
    } catch (err) {
      errors.push(String(err.message).slice(0, 200));
    }
  });
  uploadsDone = true;
  lastUploadAt = performance.now();
  const uploadSeconds = (lastUploadAt - t0) / 1000;
  console.log(`    uploads done in ${uploadSeconds.toFixed(1)} s (${errors.length} failed${errors.length ? `: ${errors.slice(0, 3).join(" | ")}` : ""}); waiting for the queue…`);
  const end = await watch;
  const last = progress.last ?? { ready: 0, failed: 0, total: 0, failures: [] };
  return {
    galleryId: g.id, photosPath,
    upload: { photos: PHOTOS, uploaded, failed: errors.length, errors: errors.slice(0, 5), seconds: round(uploadSeconds, 1), meanBytes: round(bytes / Math.max(1, uploaded), 0), concurrency: CONCURRENCY },
    processing: {
      ready: last.ready, failed: last.failed, timedOut: !!end.timedOut, stalled: !!end.stalled, byStatus: last.byStatus, failures: last.failures,
      secondsFromFirstUpload: end.allDoneAt ? round((end.allDoneAt - t0) / 1000, 1) : null,
      secondsAfterLastUpload: end.allDoneAt ? round((end.allDoneAt - lastUploadAt) / 1000, 1) : null,
      photosPerMinute: end.allDoneAt ? round(last.ready / ((end.allDoneAt - t0) / 60000), 0) : null,
      readyAt: progress.readyAt,
    },
  };
}

// ---------------------------------------------------------------- what the page measures in itself
// Injected before any page script (CDP, so the page's CSP does not apply). Times are
// performance.now(), i.e. ms since the navigation started.
const INIT = `(() => {
  const B = (window.__bench = { et: [], lcp: null, fcp: null, imgLoad: null, imgLoadPaint: null, hearts: null, wsCreated: null, wsOpen: null, synced: null, interactive: null, longTasks: [], roomStatus: null });
  const inGrid = (el) => el.closest && el.closest(".grid, .photo-admin");
  // Element Timing needs an elementtiming attribute; the server's <img> tags have none, so every
  // grid image gets one as the parser inserts it (before it can load, let alone paint).
  const mark = (img) => { if (!img.hasAttribute("elementtiming")) img.setAttribute("elementtiming", "thumb"); };
  new MutationObserver((muts) => {
    for (const m of muts) for (const n of m.addedNodes) {
      if (n.nodeType !== 1) continue;
      if (n.tagName === "IMG") { if (inGrid(n)) mark(n); }
      else if (n.querySelectorAll) n.querySelectorAll("img").forEach((i) => inGrid(i) && mark(i));
    }
  }).observe(document, { childList: true, subtree: true });
  const observe = (type, fn) => { try { new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true }); } catch {} };
  observe("element", (e) => { if (e.identifier === "thumb") B.et.push({ t: e.renderTime || e.loadTime, render: !!e.renderTime, area: e.intersectionRect.width * e.intersectionRect.height, url: e.url }); });
  observe("largest-contentful-paint", (e) => { B.lcp = { t: e.renderTime || e.startTime, tag: e.element ? e.element.tagName : null, size: e.size }; });
  observe("paint", (e) => { if (e.name === "first-contentful-paint") B.fcp = e.startTime; });
  observe("longtask", (e) => B.longTasks.push({ start: e.startTime, duration: e.duration }));
  // Fallback for the first thumbnail: its load event, then the frame after it (rAF + a message
  // posted from it runs after that frame was produced).
  document.addEventListener("load", (e) => {
    const t = e.target;
    if (B.imgLoad !== null || t.tagName !== "IMG" || !inGrid(t)) return;
    B.imgLoad = performance.now();
    requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => { B.imgLoadPaint = performance.now(); }; c.port2.postMessage(0); });
  }, true);
  // The room's socket: opened, and the server's sync step 2 (the document) received.
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...a) {
      super(...a);
      if (B.wsCreated === null) B.wsCreated = performance.now();
      this.addEventListener("open", () => { if (B.wsOpen === null) B.wsOpen = performance.now(); });
      this.addEventListener("message", (ev) => {
        if (B.synced !== null || !(ev.data instanceof ArrayBuffer)) return;
        const u = new Uint8Array(ev.data);
        if (u[0] === 0 && u[1] === 1) B.synced = performance.now();
      });
    }
  };
  // Interactive: the first frame in which the tiles have their hearts, the toolbar shows the room
  // online (banner hidden, class online) and the room's document has arrived.
  const check = () => {
    const banner = document.querySelector(".banner");
    if (B.hearts === null && document.querySelector(".grid .heart")) B.hearts = performance.now();
    B.roomStatus = banner ? banner.className : null;
    if (B.hearts !== null && banner && banner.hidden && banner.classList.contains("online") && B.synced !== null) { B.interactive = performance.now(); return; }
    requestAnimationFrame(check);
  };
  document.addEventListener("DOMContentLoaded", () => { if (document.querySelector(".grid")) requestAnimationFrame(check); });
})();`;

/** Collects what one page loads: every request with its type, status and wire size, and errors. */
function recorder(page) {
  const rec = { requests: [], console: [], pageErrors: [], failed: [] };
  const issued = new WeakMap(); // request → Date.now() when Chromium issued it
  page.on("request", (req) => issued.set(req, Date.now()));
  page.on("requestfinished", async (req) => {
    const res = await req.response().catch(() => null);
    const sizes = await req.sizes().catch(() => null);
    const t = req.timing(); // startTime: epoch ms; the rest: ms after startTime, -1 if not applicable
    rec.requests.push({ url: req.url(), type: req.resourceType(), status: res?.status() ?? 0, encoding: res ? (await res.allHeaders().catch(() => ({})))["content-encoding"] ?? null : null,
      issuedAt: issued.get(req) ?? null, startTime: t.startTime, requestStartMs: t.requestStart, responseEndMs: t.responseEnd,
      wire: sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0, body: sizes?.responseBodySize ?? 0 });
  });
  page.on("requestfailed", (req) => rec.failed.push(`${req.resourceType()} ${req.url()}: ${req.failure()?.errorText}`));
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    const at = m.location()?.url ? ` (${m.location().url.replace(/^https?:\/\/[^/]+/, "")})` : "";
    rec.console.push(`${m.type()}: ${m.text()}${at}`.slice(0, 300));
  });
  page.on("pageerror", (e) => rec.pageErrors.push(String(e.message).slice(0, 300)));
  return rec;
}

/** One visit of the client page; `context` decides whether the cache is cold or warm. */
async function visitGallery(context, url) {
  const page = await context.newPage();
  const rec = recorder(page);
  await page.goto(url, { waitUntil: "load", timeout: PAGE_TIMEOUT_MS });
  await page.waitForFunction(() => window.__bench.interactive !== null && (window.__bench.et.length > 0 || window.__bench.imgLoadPaint !== null), null, { timeout: PAGE_TIMEOUT_MS, polling: 50 })
    .catch(async () => { throw new Error(`page not interactive / no thumbnail within ${PAGE_TIMEOUT_MS / 1000} s: ${JSON.stringify(await page.evaluate(() => ({ ...window.__bench, et: window.__bench.et.length })).catch(() => null))}; errors ${JSON.stringify([...rec.pageErrors, ...rec.console, ...rec.failed].slice(0, 5))}`); });
  await sleep(SETTLE_MS);
  const m = await page.evaluate(() => {
    const B = window.__bench;
    const nav = performance.getEntriesByType("navigation")[0];
    const vh = innerHeight, vw = innerWidth;
    const imgs = [...document.querySelectorAll(".grid img")];
    const inView = imgs.filter((i) => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < vh && r.right > 0 && r.left < vw && r.width * r.height > 0; });
    return {
      B, scrollY, timeOrigin: performance.timeOrigin,
      nav: { ttfb: nav.responseStart, responseEnd: nav.responseEnd, domInteractive: nav.domInteractive, dcl: nav.domContentLoadedEventStart, load: nav.loadEventStart, transferSize: nav.transferSize, encodedBodySize: nav.encodedBodySize, decodedBodySize: nav.decodedBodySize },
      tiles: document.querySelectorAll(".grid li[data-photo-id]").length, hearts: document.querySelectorAll(".grid .heart").length,
      imgsInView: inView.length, imgsComplete: imgs.filter((i) => i.complete && i.naturalWidth > 0).length,
    };
  });
  await page.close();
  const B = m.B;
  const et = B.et.filter((e) => e.t > 0);
  const etView = et.filter((e) => e.area > 0);
  const before = (t) => B.longTasks.filter((x) => x.start < t);
  const tbt = (t) => before(t).reduce((s, x) => s + Math.max(0, x.duration - 50), 0);
  const firstThumb = et.length ? Math.min(...et.map((e) => e.t)) : null;
  return {
    firstThumbMs: firstThumb,
    firstThumbMethod: et.length ? (et.some((e) => e.render) ? "element-timing renderTime" : "element-timing loadTime") : "load + next frame",
    firstThumbFallbackMs: B.imgLoadPaint, firstThumbLoadMs: B.imgLoad,
    viewportThumbsMs: etView.length >= m.imgsInView && m.imgsInView > 0 ? Math.max(...etView.map((e) => e.t)) : null,
    viewportThumbs: m.imgsInView, viewportThumbsPainted: etView.length,
    interactiveMs: B.interactive, heartsMs: B.hearts, wsCreatedMs: B.wsCreated, wsOpenMs: B.wsOpen, syncedMs: B.synced,
    fcpMs: B.fcp, lcpMs: B.lcp?.t ?? null, lcpElement: B.lcp?.tag ?? null,
    ttfbMs: m.nav.ttfb, htmlDoneMs: m.nav.responseEnd, domInteractiveMs: m.nav.domInteractive, dclMs: m.nav.dcl, loadMs: m.nav.load,
    longTasksBeforeInteractive: before(B.interactive).length, longestTaskMs: Math.max(0, ...before(B.interactive).map((x) => x.duration)), tbtMs: tbt(B.interactive),
    tiles: m.tiles, hearts: m.hearts, imgsLoaded: m.imgsComplete, scrollY: m.scrollY,
    requests: rec.requests, console: rec.console, pageErrors: rec.pageErrors, failed: rec.failed,
    waterfall: waterfall(rec.requests, m.timeOrigin),
  };
}

/** Each request's start and end in ms after navigation start (Chromium's own request timing). */
function waterfall(requests, timeOrigin) {
  return requests
    .map((q) => ({ path: new URL(q.url).pathname.replace(/^\/media\/[^/]+\/([^/]+)\//, "/media/…/$1/"), type: q.type, status: q.status, startMs: round(q.startTime - timeOrigin, 0), endMs: q.responseEndMs >= 0 ? round(q.startTime - timeOrigin + q.responseEndMs, 0) : null, wire: q.wire,
      // From sending the request to the last byte: the server's time plus loopback transfer; null when it came from the cache.
      serverMs: q.wire > 0 && q.requestStartMs >= 0 && q.responseEndMs >= 0 ? round(q.responseEndMs - q.requestStartMs, 0) : null }))
    .sort((a, b) => a.startMs - b.startMs);
}

/** Bytes of each script, fetched again by URL: raw, gzip -9, brotli q11; and what the page got over the wire. */
async function scriptBytes(L, runs) {
  const scripts = new Map();
  for (const r of runs) for (const q of r.requests) if (q.type === "script" && !scripts.has(q.url)) scripts.set(q.url, q);
  const out = [];
  for (const [url, q] of scripts) {
    const u = new URL(url);
    const res = await call(L.port, "GET", u.host, u.pathname + u.search, { raw: true });
    out.push({
      path: u.pathname, status: res.status, raw: res.buf.length,
      gzip9: gzipSync(res.buf, { level: 9 }).length,
      brotli: brotliCompressSync(res.buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length,
      wire: q.wire, contentEncoding: q.encoding,
    });
  }
  const sum = (k) => out.reduce((s, x) => s + (x[k] ?? 0), 0);
  return { scripts: out, raw: sum("raw"), gzip9: sum("gzip9"), brotli: sum("brotli"), wire: sum("wire") };
}

function requestSummary(run) {
  const by = {};
  for (const q of run.requests) {
    const k = q.type;
    by[k] ??= { count: 0, wire: 0 };
    by[k].count++;
    by[k].wire += q.wire;
  }
  return {
    total: run.requests.length, wire: run.requests.reduce((s, q) => s + q.wire, 0), byType: by,
    notModified: run.requests.filter((q) => q.status === 304).length, fromCache: run.requests.filter((q) => q.wire === 0 && q.status !== 304).length, errors: run.requests.filter((q) => q.status >= 400).map((q) => `${q.status} ${new URL(q.url).pathname}`) };
}

async function galleryPage(L, G) {
  const studioOrigin = `http://${L.studioHost}`;
  const url = `${studioOrigin}/g/${G.galleryId}`;
  // A visitor cookie, as the name dialog would set it, so the app connects without asking.
  const visitor = async (name) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await call(L.port, "POST", L.studioHost, `/g/${G.galleryId}/access`, { body: { name } });
      if (r.status === 200) return cookiePairs(r.cookies).map((c) => browserCookie(c, L.studioHost));
      if (r.status === 429) { console.log("    /access rate-limited; waiting 20 s"); await sleep(20_000); continue; }
      throw new Error(`POST /g/${G.galleryId}/access: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    }
    throw new Error("POST /access kept answering 429");
  };

  // The HTML itself, from Node: size, compression, server time.
  const htmlRuns = [];
  for (let i = 0; i < 5; i++) htmlRuns.push(await call(L.port, "GET", L.studioHost, `/g/${G.galleryId}`, { raw: true, headers: { "accept-encoding": "gzip, br" } }));
  const plain = await call(L.port, "GET", L.studioHost, `/g/${G.galleryId}`, { raw: true });
  const html = {
    status: plain.status, raw: plain.buf.length, gzip9: gzipSync(plain.buf, { level: 9 }).length,
    brotli: brotliCompressSync(plain.buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length,
    servedEncoding: htmlRuns[0].headers["content-encoding"] ?? null, servedBytes: htmlRuns[0].buf.length,
    serverMs: stat(htmlRuns.map((r) => r.totalMs)), ttfbMs: stat(htmlRuns.map((r) => r.ttfbMs)),
    tiles: (plain.buf.toString("utf8").match(/data-photo-id=/g) ?? []).length,
  };
  console.log(`    HTML ${kb(html.raw)} raw, ${kb(html.gzip9)} gzip -9, ${html.tiles} tiles; server ${fmt(html.serverMs.p50)} ms`);

  const cold = [];
  for (let i = 0; i < COLD; i++) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(INIT);
    await context.addCookies(await visitor(`Cold visitor ${i + 1}`));
    cold.push(await visitGallery(context, url));
    await context.close();
    console.log(`    cold ${i + 1}: first thumbnail ${fmt(cold.at(-1).firstThumbMs)} ms, interactive ${fmt(cold.at(-1).interactiveMs)} ms`);
  }
  const warm = [];
  if (WARM > 0) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(INIT);
    await context.addCookies(await visitor("Warm visitor"));
    await visitGallery(context, url); // fills the cache; not counted
    for (let i = 0; i < WARM; i++) {
      warm.push(await visitGallery(context, url));
      console.log(`    warm ${i + 1}: first thumbnail ${fmt(warm.at(-1).firstThumbMs)} ms, interactive ${fmt(warm.at(-1).interactiveMs)} ms`);
    }
    await context.close();
  }
  const js = await scriptBytes(L, cold);
  return { url: url.replace(/:\d+\//, ":<port>/"), html, cold, warm, js };
}

// ---------------------------------------------------------------- the dashboard
async function dashboardPage(L, G) {
  const origin = `http://${L.appHost}`;
  const url = `${origin}/#/g/${G.galleryId}/photos`;
  const runs = [];
  for (let i = 0; i < DASH_RUNS; i++) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(INIT);
    await context.addCookies(L.sessionCookies.map((c) => browserCookie(c, L.appHost)));
    const page = await context.newPage();
    const rec = recorder(page);
    await page.goto(url, { waitUntil: "load", timeout: PAGE_TIMEOUT_MS });
    const listed = await page.waitForFunction((n) => document.querySelectorAll(".photo-admin li").length >= n ? performance.now() : null, PHOTOS, { timeout: PAGE_TIMEOUT_MS, polling: "raf" })
      .then((h) => h.jsonValue())
      .catch(async () => { throw new Error(`dashboard did not list ${PHOTOS} photos: ${await page.locator(".dash").innerText().catch(() => "?")} ${JSON.stringify([...rec.pageErrors, ...rec.console].slice(0, 5))}`); });
    const firstThumb = await page.waitForFunction(() => window.__bench.imgLoadPaint, null, { timeout: 20_000, polling: 50 }).then((h) => h.jsonValue()).catch(() => null);
    // Watch the 2-second refresh on a 1,000-photo gallery: requests and main-thread time.
    const watchFrom = Date.now();
    const tWatch = await page.evaluate(() => performance.now());
    await sleep(DASH_WATCH_MS);
    const after = await page.evaluate((t) => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { dcl: nav.domContentLoadedEventStart, load: nav.loadEventStart, longTasks: window.__bench.longTasks.filter((x) => x.start >= t), fcp: window.__bench.fcp };
    }, tWatch);
    const during = rec.requests.filter((q) => q.issuedAt !== null && q.issuedAt >= watchFrom);
    runs.push({
      listedMs: listed, firstThumbMs: firstThumb, dclMs: after.dcl, loadMs: after.load, fcpMs: after.fcp,
      watch: {
        seconds: DASH_WATCH_MS / 1000, requests: during.length,
        photoListRequests: during.filter((q) => /\/photos$/.test(new URL(q.url).pathname)).length,
        thumbRequests: during.filter((q) => /thumb\.jpg/.test(q.url)).length,
        thumb304: during.filter((q) => /thumb\.jpg/.test(q.url) && q.status === 304).length,
        wire: during.reduce((s, q) => s + q.wire, 0),
        longTasks: after.longTasks.length, longTaskMs: round(after.longTasks.reduce((s, x) => s + x.duration, 0), 0), longestTaskMs: round(Math.max(0, ...after.longTasks.map((x) => x.duration)), 0),
      },
      requests: rec.requests, console: rec.console, pageErrors: rec.pageErrors, failed: rec.failed,
    });
    await context.close();
    console.log(`    dashboard ${i + 1}: ${PHOTOS} photos listed at ${fmt(listed)} ms; refresh: ${runs.at(-1).watch.requests} requests, ${runs.at(-1).watch.longTaskMs} ms long tasks in ${DASH_WATCH_MS / 1000} s`);
  }
  const js = await scriptBytes(L, runs);
  return { url: url.replace(/:\d+\//, ":<port>/"), runs, js };
}

// ---------------------------------------------------------------- thumbnails from Node
/** The thumbnail routes without a browser: latency one at a time and six at a time (a browser's
 *  connections per host), and whether a revalidation with the ETag gets a 304. */
async function thumbnailsFromNode(L, G) {
  const list = (await must(call(L.port, "GET", L.appHost, G.photosPath, { cookie: L.cookie }), 200, "list photos")).json.photos.filter((p) => p.urls);
  const access = await call(L.port, "POST", L.studioHost, `/g/${G.galleryId}/access`, { body: { name: "Node visitor" } });
  const visitor = cookiePairs(access.cookies).map((c) => `${c.name}=${c.value}`).join("; ");
  const client = (p) => call(L.port, "GET", L.studioHost, p.urls.thumb, { raw: true, cookie: visitor });
  const seq = [];
  for (const p of list.slice(0, 30)) seq.push((await client(p)).totalMs);
  const t0 = performance.now();
  const par = await mapLimit(list.slice(30, 90), 6, async (p) => (await client(p)).totalMs);
  const parSeconds = (performance.now() - t0) / 1000;
  const revalidate = async (host, url, cookie) => {
    const first = await call(L.port, "GET", host, url, { raw: true, cookie });
    const etag = first.headers.etag;
    const again = etag ? await call(L.port, "GET", host, url, { raw: true, cookie, headers: { "if-none-match": etag } }) : null;
    return { status: first.status, bytes: first.buf.length, cacheControl: first.headers["cache-control"] ?? null, etag: etag ?? null, revalidatedStatus: again?.status ?? null };
  };
  const p0 = list[0];
  return {
    clientSequentialMs: stat(seq), clientSixParallelMs: stat(par), clientSixParallelPerSecond: round(par.length / parSeconds, 0),
    clientThumb: await revalidate(L.studioHost, p0.urls.thumb, visitor),
    dashboardThumb: await revalidate(L.appHost, `${G.photosPath}/${p0.id}/thumb.jpg`, L.cookie),
  };
}

// ---------------------------------------------------------------- report
function machine() {
  const version = (p) => { try { return JSON.parse(readFileSync(path.join(root, "node_modules", p, "package.json"), "utf8")).version; } catch { return "?"; } };
  return {
    cpu: `${os.cpus().length}× ${os.cpus()[0]?.model ?? "?"}`, memoryGiB: round(os.totalmem() / 1024 ** 3, 1), node: process.version,
    os: `${os.type()} ${os.release()}`, chromium: browser?.version() ?? "?", playwright: version("playwright-core"),
    workerd: version("@cloudflare/workerd-linux-64"), wrangler: version("wrangler"),
  };
}

const metricRows = [
  ["firstThumbMs", "**first thumbnail painted**"],
  ["viewportThumbsMs", "all first-viewport thumbnails painted"],
  ["interactiveMs", "**interactive** (hearts + room online + synced)"],
  ["ttfbMs", "HTML first byte"],
  ["fcpMs", "first contentful paint"],
  ["dclMs", "DOMContentLoaded"],
  ["loadMs", "load"],
  ["heartsMs", "hearts on the tiles (app mounted)"],
  ["wsOpenMs", "room socket open"],
  ["syncedMs", "room document received"],
  ["tbtMs", "blocking time before interactive (Σ long task − 50 ms)"],
  ["longestTaskMs", "longest main-thread task before interactive"],
];

function summarise(r) {
  const g = r.gallery;
  const s = (runs) => Object.fromEntries(metricRows.map(([k]) => [k, stat(runs.map((x) => x[k]))]));
  r.summary = { cold: s(g.cold), warm: s(g.warm) };
  const coldReq = g.cold.map(requestSummary);
  r.summary.coldRequests = {
    total: stat(coldReq.map((x) => x.total)), wireBytes: stat(coldReq.map((x) => x.wire)),
    images: stat(coldReq.map((x) => x.byType.image?.count ?? 0)), imageWireBytes: stat(coldReq.map((x) => x.byType.image?.wire ?? 0)),
  };
  const sent = (type, re) => g.cold.flatMap((x) => x.waterfall.filter((w) => w.type === type && (!re || re.test(w.path))).map((w) => w.serverMs));
  r.summary.coldServerMs = { image: stat(sent("image")), roomToken: stat(sent("fetch", /room-token$/)), document: stat(sent("document")), script: stat(sent("script")) };
  const warmReq = g.warm.map(requestSummary);
  r.summary.warmRequests = { total: stat(warmReq.map((x) => x.total)), wireBytes: stat(warmReq.map((x) => x.wire)) };
  const d = r.dashboard;
  r.summary.dashboard = d ? {
    listedMs: stat(d.runs.map((x) => x.listedMs)), firstThumbMs: stat(d.runs.map((x) => x.firstThumbMs)), dclMs: stat(d.runs.map((x) => x.dclMs)), loadMs: stat(d.runs.map((x) => x.loadMs)),
  } : null;
  const all = [...g.cold, ...g.warm, ...(d?.runs ?? [])];
  const count = (xs) => { const m = new Map(); for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1); return Object.fromEntries(m); };
  r.browserProblems = {
    gallery: count([...g.cold, ...g.warm].flatMap((x) => [...x.pageErrors.map((e) => `pageerror: ${e}`), ...x.console, ...x.failed.map((f) => `failed: ${f}`), ...requestSummary(x).errors.map((e) => `HTTP ${e}`)])),
    dashboard: count((d?.runs ?? []).flatMap((x) => [...x.pageErrors.map((e) => `pageerror: ${e}`), ...x.console, ...x.failed.map((f) => `failed: ${f}`), ...requestSummary(x).errors.map((e) => `HTTP ${e}`)])),
  };
  void all;
  const ft = r.summary.cold.firstThumbMs;
  r.targets = {
    firstThumb: { target: `< ${TARGET_FIRST_THUMB_MS} ms (cold p95)`, p50: ft.p50, p95: ft.p95, pass: ft.p95 != null && ft.p95 < TARGET_FIRST_THUMB_MS },
    jsGallery: { target: `≤ ${TARGET_JS_GZIP_BYTES / 1000} KB gzip (100,000 bytes)`, bytes: g.js.gzip9, pass: g.js.gzip9 <= TARGET_JS_GZIP_BYTES },
    jsDashboard: d ? { target: `≤ ${TARGET_JS_GZIP_BYTES / 1000} KB gzip (100,000 bytes)`, bytes: d.js.gzip9, pass: d.js.gzip9 <= TARGET_JS_GZIP_BYTES } : null,
  };
}

function markdown(r) {
  const g = r.gallery, S = r.summary, T = r.targets, G = r.galleryMade;
  const L = [];
  const pf = (p) => (p ? "**PASS**" : "**FAIL**");
  L.push(`### Web benchmark (${r.date}, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, Chromium ${r.machine.chromium} headless, workerd ${r.machine.workerd} via wrangler ${r.machine.wrangler} dev)`);
  L.push("");
  L.push(`A ${g.html.tiles.toLocaleString("en")}-photo client gallery (${g.url}) in Chromium over loopback; ${g.cold.length} cold runs (fresh context, empty cache) and ${g.warm.length} warm runs (same context, cache filled by an uncounted first visit). Viewport ${VIEWPORT.width}×${VIEWPORT.height}. Times in ms from navigation start.`);
  L.push("");
  L.push("| Target | Measured | Result |");
  L.push("|---|---|---|");
  L.push(`| First thumbnails painted ${T.firstThumb.target} | p50 ${fmt(T.firstThumb.p50)} ms, p95 ${fmt(T.firstThumb.p95)} ms | ${pf(T.firstThumb.pass)} |`);
  L.push(`| Client gallery JS ${T.jsGallery.target} | ${kb(T.jsGallery.bytes)} (${g.js.scripts.length} scripts) | ${pf(T.jsGallery.pass)} |`);
  if (T.jsDashboard) L.push(`| Dashboard JS, same target (for reference) | ${kb(T.jsDashboard.bytes)} (${r.dashboard.js.scripts.length} scripts) | ${pf(T.jsDashboard.pass)} |`);
  L.push("");
  L.push("#### Client gallery page timings (ms)");
  L.push("");
  L.push("| Metric | cold p50 | cold p95 | warm p50 | warm p95 |");
  L.push("|---|---|---|---|---|");
  for (const [k, label] of metricRows) L.push(`| ${label} | ${fmt(S.cold[k].p50)} | ${fmt(S.cold[k].p95)} | ${fmt(S.warm[k].p50)} | ${fmt(S.warm[k].p95)} |`);
  L.push("");
  L.push("#### Bytes");
  L.push("");
  L.push("| | raw | gzip -9 | brotli 11 | over the wire (cold) |");
  L.push("|---|---|---|---|---|");
  L.push(`| Gallery HTML (${g.html.tiles} tiles) | ${kb(g.html.raw)} | ${kb(g.html.gzip9)} | ${kb(g.html.brotli)} | ${kb(g.html.servedBytes)}${g.html.servedEncoding ? ` (${g.html.servedEncoding})` : " (uncompressed)"} |`);
  for (const s of g.js.scripts) L.push(`| gallery page script ${s.path} | ${kb(s.raw)} | ${kb(s.gzip9)} | ${kb(s.brotli)} | ${kb(s.wire)}${s.contentEncoding ? ` (${s.contentEncoding})` : ""} |`);
  L.push(`| **gallery page JS total** | ${kb(g.js.raw)} | **${kb(g.js.gzip9)}** | ${kb(g.js.brotli)} | ${kb(g.js.wire)} |`);
  if (r.dashboard) {
    for (const s of r.dashboard.js.scripts) L.push(`| dashboard script ${s.path} | ${kb(s.raw)} | ${kb(s.gzip9)} | ${kb(s.brotli)} | ${kb(s.wire)}${s.contentEncoding ? ` (${s.contentEncoding})` : ""} |`);
    L.push(`| **dashboard JS total** | ${kb(r.dashboard.js.raw)} | **${kb(r.dashboard.js.gzip9)}** | ${kb(r.dashboard.js.brotli)} | ${kb(r.dashboard.js.wire)} |`);
  }
  L.push(`| Cold visit, everything until interactive + ${SETTLE_MS} ms (p50) | | | | ${kb(S.coldRequests.wireBytes.p50)} in ${fmt(S.coldRequests.total.p50)} requests, of which ${fmt(S.coldRequests.images.p50)} images (${kb(S.coldRequests.imageWireBytes.p50)}) |`);
  L.push(`| Warm visit, same window (p50) | | | | ${kb(S.warmRequests.wireBytes.p50)} in ${fmt(S.warmRequests.total.p50)} requests |`);
  L.push("");
  L.push(`HTML from Node (5 requests, keep-alive): server time p50 ${fmt(g.html.serverMs.p50)} ms, p95 ${fmt(g.html.serverMs.p95)} ms (first byte p50 ${fmt(g.html.ttfbMs.p50)} ms).`);
  const th = r.thumbs;
  L.push(`Thumbnails from Node (client route /media/…/thumb.jpg, visitor cookie, keep-alive): one at a time p50 ${fmt(th.clientSequentialMs.p50)} ms, p95 ${fmt(th.clientSequentialMs.p95)} ms (n = ${th.clientSequentialMs.n}); six at a time p50 ${fmt(th.clientSixParallelMs.p50)} ms, p95 ${fmt(th.clientSixParallelMs.p95)} ms, ${fmt(th.clientSixParallelPerSecond)} thumbnails/s. Revalidation with If-None-Match: client thumbnail ${th.clientThumb.status} → ${th.clientThumb.revalidatedStatus ?? "no ETag"} (cache-control \`${th.clientThumb.cacheControl}\`), dashboard thumbnail ${th.dashboardThumb.status} → ${th.dashboardThumb.revalidatedStatus ?? "no ETag"} (cache-control \`${th.dashboardThumb.cacheControl}\`).`);
  const sv = S.coldServerMs;
  L.push(`In the browser (cold runs; request sent → last byte, i.e. server time plus loopback): gallery HTML p50 ${fmt(sv.document.p50)} ms; thumbnails p50 ${fmt(sv.image.p50)} ms, p95 ${fmt(sv.image.p95)} ms (n = ${sv.image.n}); room-token p50 ${fmt(sv.roomToken.p50)} ms, p95 ${fmt(sv.roomToken.p95)} ms; scripts p50 ${fmt(sv.script.p50)} ms.`);
  L.push("");
  const wf = (run, label) => {
    const w = run.waterfall;
    const imgs = w.filter((x) => x.type === "image");
    const rows = [...w.filter((x) => x.type !== "image"), ...(imgs.length ? [imgs[0], imgs.at(-1)] : [])].sort((a, b) => a.startMs - b.startMs);
    L.push(`${label}: ${rows.map((x) => `${x.path === imgs[0]?.path ? "first image" : x === imgs.at(-1) ? `last of ${imgs.length} images` : x.path} ${x.status} ${x.startMs}→${x.endMs ?? "?"}`).join(" · ")}; first thumbnail painted ${fmt(run.firstThumbMs)}, DOM interactive ${fmt(run.domInteractiveMs)}, hearts ${fmt(run.heartsMs)}, socket created ${fmt(run.wsCreatedMs)}, open ${fmt(run.wsOpenMs)}, synced ${fmt(run.syncedMs)}, interactive ${fmt(run.interactiveMs)}.`);
  };
  L.push("Request waterfall (ms after navigation start, request start→response end, Chromium's timing):");
  L.push("");
  if (g.cold[0]) wf(g.cold[0], "- first cold run");
  if (g.warm[0]) wf(g.warm[0], "- first warm run");
  L.push("");
  L.push("#### Making the gallery");
  L.push("");
  L.push(`${G.upload.uploaded}/${G.upload.photos} photos uploaded in ${fmt(G.upload.seconds, 1)} s (distinct 900×600 JPEGs, mean ${kb(G.upload.meanBytes)}, made with sharp as they went; ${G.upload.concurrency} in flight; ${G.upload.failed} failed). Queue: ${G.processing.ready} ready, ${G.processing.failed} failed${G.processing.timedOut ? " (**timed out**)" : ""}${G.processing.stalled ? ` (**stalled**: no photo became ready for ${STALL_MS / 1000} s; statuses ${JSON.stringify(G.processing.byStatus)})` : ""}; all processed ${fmt(G.processing.secondsFromFirstUpload, 1)} s after the first upload started, ${fmt(G.processing.secondsAfterLastUpload, 1)} s after the last upload, ≈ ${fmt(G.processing.photosPerMinute)} photos a minute end to end (thumbnail 600 px + watermarked preview, photon in WASM).`);
  if (G.upload.errors.length) L.push(`\nUpload errors (first ${G.upload.errors.length}): ${G.upload.errors.map((e) => `\`${e}\``).join("; ")}.`);
  if (r.dashboard) {
    const D = S.dashboard, w = r.dashboard.runs.map((x) => x.watch);
    L.push("");
    L.push("#### Dashboard (app host, signed in, gallery photos tab)");
    L.push("");
    L.push(`${r.dashboard.runs.length} cold runs: all ${PHOTOS.toLocaleString("en")} photos listed p50 ${fmt(D.listedMs.p50)} ms (max ${fmt(D.listedMs.max)}), first thumbnail painted p50 ${fmt(D.firstThumbMs.p50)} ms, DOMContentLoaded p50 ${fmt(D.dclMs.p50)} ms. Its 2-second refresh, watched ${DASH_WATCH_MS / 1000} s: ${w.map((x) => `${x.photoListRequests} list fetches, ${x.thumbRequests} thumbnail requests (${x.thumb304} × 304), ${kb(x.wire)}, ${x.longTasks} long tasks totalling ${x.longTaskMs} ms (longest ${x.longestTaskMs} ms)`).join("; ")}.`);
  }
  L.push("");
  L.push("#### Browser console and failed requests");
  L.push("");
  const probs = (o) => Object.entries(o).map(([k, n]) => `- ${n}× ${k}`);
  const gp = probs(r.browserProblems.gallery), dp = probs(r.browserProblems.dashboard);
  L.push(gp.length ? `Gallery page (over all ${g.cold.length + g.warm.length} visits):\n${gp.join("\n")}` : "Gallery page: no console errors or warnings, no page errors, no failed or ≥ 400 requests.");
  if (r.dashboard) L.push(dp.length ? `\nDashboard:\n${dp.join("\n")}` : "\nDashboard: no console errors or warnings, no page errors, no failed or ≥ 400 requests.");
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
    (r.tree.snapshot ? `Loupe runs from a snapshot of the working tree (HEAD ${r.tree.head} plus ${r.tree.changedFiles} changed or new files; the ${r.tree.files} files git lists, copied to a temp dir, node_modules linked), so edits made to the tree during the run cannot reload the worker or rebuild the assets under the measurement. ` : "Loupe runs in place (WEB_SNAPSHOT=0). ") +
    "Loupe runs as `npm start` does (scripts/start.mjs: builds the browser apps with Vite, applies the migrations, `wrangler dev` on 127.0.0.1 with a fresh state dir, demo studio). The gallery is made through the dashboard API with the demo login: `POST /api/studios/:s/galleries {title, visibility: public}`, then per photo `POST …/photos {filename, size, contentType}` and `PUT …/photos/:p/master` (no original: proofing only needs the master's derivatives); `GET …/photos` every 2 s until every photo is `ready` (or `failed`).",
    "Browser: Debian's Chromium through playwright-core, headless, `--no-sandbox --disable-gpu` (as tests/e2e). Each cold run is a new browser context (own empty HTTP cache, cookies, storage); warm runs are new pages in one context after an uncounted first visit. Before the visit the context gets a visitor cookie from `POST /g/:id/access {name}` (what the name dialog does), so the app connects without the dialog.",
    "Page-side timing (an init script injected through CDP before any page script, so the page's CSP does not apply; every time is performance.now() = ms since navigation start): **first thumbnail painted** = the earliest Element Timing entry (renderTime) of any grid `<img>`: the server's `<img>` tags have no `elementtiming` attribute, so a MutationObserver adds one to each grid image as the parser inserts it, before it can load or paint. As a cross-check the page also records the first grid image's `load` event and the frame after it (rAF, then a posted message), reported in the JSON as firstThumbFallbackMs. **All first-viewport thumbnails** = the latest Element Timing entry with a non-empty intersection rect, only when every grid image inside the viewport has one.",
    "**Interactive** = the first animation frame in which (a) the tiles have their `.heart` buttons (the app has mounted), (b) the toolbar's `.banner` is hidden with class `online` (the room's WebSocket is open) and (c) the room's document has arrived (the first binary frame that is a Yjs sync step 2, seen by wrapping `window.WebSocket`). Checked with requestAnimationFrame from DOMContentLoaded, so it is quantised to frames (~16 ms). Blocking time = Σ(long task − 50 ms) of the Long Tasks API before that moment.",
    "DOMContentLoaded and load = the navigation entry's domContentLoadedEventStart / loadEventStart; HTML first byte = responseStart. Grid images are `loading=\"lazy\"`, so the page fetches only the thumbnails near the first viewport.",
    "JS bytes per page = every response the page loaded with resource type `script` (module entry and its imported chunks), each fetched again by URL from Node and compressed here with gzip -9 (zlib level 9) and brotli 11; `over the wire` is what Chromium received (body + headers, Playwright's request.sizes()) on the first cold run's cache-less load. HTML bytes: `GET /g/:id` from Node without Accept-Encoding (raw) and compressed the same way; served size/encoding from a request with `Accept-Encoding: gzip, br`.",
    `Dashboard: a fresh context with the session cookies of the API login, \`${r.dashboard?.url ?? "n/a"}\`; listed = all ${PHOTOS} \`.photo-admin li\` present (polled every frame); first thumbnail = first admin thumbnail's load + next frame. The refresh is watched for ${DASH_WATCH_MS / 1000} s after the listing: requests made and long tasks (main thread).`,
    "The instrumentation costs a little: its MutationObserver also sees every node the app adds (3 per tile), and interactive is polled once per frame.",
    "Thumbnails from Node: after the browser runs, 30 client thumbnails fetched one after another and 60 more six at a time, over keep-alive with a visitor cookie; then one client and one dashboard thumbnail fetched again with If-None-Match.",
    "Percentiles interpolate linearly between closest ranks (tests/bench/stats.mjs); with 5 samples p95 is close to the maximum.",
  ];
}

function caveatNotes(r) {
  const out = [];
  out.push("Loopback, no network latency or bandwidth limit, and no CPU throttling: a real client on a phone over 4G would be several times slower; these numbers show what the server and the page cost, not field performance.");
  const enc = [...new Set(r.gallery.js.scripts.map((x) => x.contentEncoding ?? "none"))].join(", ");
  out.push(`\`wrangler dev\` is not production: its proxy workerd sits in front of the worker, local D1/R2 are SQLite/files on disk, and the worker and the Durable Object run in one local workerd. Here scripts arrived with content-encoding ${enc} and the HTML with ${r.gallery.html.servedEncoding ?? "none"}; Cloudflare's edge may pick brotli, so the target is judged on the gzip -9 figure, not the dev server's wire bytes.`);
  out.push(`This is a shared 2-core VM; Loupe (workerd), wrangler, Chromium and this script share the cores. CPU per phase (cores busy of ${os.cpus().length}; "others" = processes outside this bench, e.g. another engineer's tests): ${r.phases.map((p) => `${p.name} ${p.seconds} s: ${p.busyCores} busy, ${p.otherCores} others`).join("; ")}.`);
  if (r.reloads.length) out.push(`**wrangler dev reloaded the worker during this run (a source file changed under it): ${r.reloads.map((x) => `${x.phase} (${x.atSeconds} s)`).join(", ")}. Runs in those phases may include a cold isolate.**`);
  out.push("Element Timing's renderTime is Chromium's paint/presentation timestamp for the image; headless Chromium with software compositing (--disable-gpu) still produces frames, but without a display its frame timing differs from a visible browser window.");
  out.push("The photos are small synthetic 900×600 JPEGs, so thumbnails are smaller than a real photographer's (~10–20 KB each instead of 50–150 KB); image bytes and decode time per thumbnail are therefore on the low side.");
  return out;
}

// ---------------------------------------------------------------- main
async function main() {
  console.log(`web bench: ${PHOTOS} photos, ${COLD} cold + ${WARM} warm gallery visits, ${DASH_RUNS} dashboard visits`);
  setPhase("starting Loupe");
  const L = await startLoupe();
  console.log(`  Loupe up on port ${L.port} (${((performance.now() - startedAt) / 1000).toFixed(0)} s); making the ${PHOTOS}-photo gallery…`);
  setPhase("uploading and processing");
  const G = await makeGallery(L);
  console.log(`  processing: ${G.processing.ready} ready, ${G.processing.failed} failed, ${G.processing.secondsAfterLastUpload ?? "n/a"} s after the last upload`);
  if (G.processing.ready === 0) throw new Error(`no photo became ready: ${JSON.stringify(G.processing)}`);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  setPhase("client gallery page");
  console.log("  client gallery page…");
  const gallery = await galleryPage(L, G);
  setPhase("dashboard page");
  console.log("  dashboard page…");
  const dashboard = DASH_RUNS > 0 ? await dashboardPage(L, G) : null;
  setPhase("thumbnails from Node");
  const thumbs = await thumbnailsFromNode(L, G);
  setPhase(null);

  const result = {
    date: new Date().toISOString().slice(0, 10), machine: machine(),
    config: { photos: PHOTOS, cold: COLD, warm: WARM, dashboardRuns: DASH_RUNS, uploadConcurrency: CONCURRENCY, viewport: VIEWPORT, targets: { firstThumbMs: TARGET_FIRST_THUMB_MS, jsGzipBytes: TARGET_JS_GZIP_BYTES } },
    tree: L.tree, galleryMade: { ...G, photosPath: undefined },
    gallery, dashboard, thumbs,
    phases, reloads,
  };
  await browser.close();
  browser = null;
  await stopChild(L.child);
  summarise(result);
  result.method = methodNotes(result);
  result.caveats = caveatNotes(result);
  result.totalSeconds = round((performance.now() - startedAt) / 1000, 1);

  // The JSON keeps the per-run numbers, not every request of every visit.
  const slim = (run) => ({ ...run, requests: requestSummary(run), console: run.console, pageErrors: run.pageErrors, failed: run.failed });
  const json = { ...result, gallery: { ...gallery, cold: gallery.cold.map(slim), warm: gallery.warm.map(slim) }, dashboard: dashboard ? { ...dashboard, runs: dashboard.runs.map(slim) } : null };
  const md = markdown(result);
  await mkdir(path.join(here, "results"), { recursive: true });
  await writeFile(path.join(here, "results", "web.json"), JSON.stringify(json, null, 2) + "\n");
  await writeFile(path.join(here, "results", "web.md"), md);
  console.log("\n" + md);
  console.log("wrote tests/bench/results/web.json and web.md");
}

main().then(() => process.exit(0), async (err) => {
  console.error(`web bench failed (${phase}): ${err.stack ?? err}`);
  try { await browser?.close(); } catch { /* exiting anyway */ }
  process.exit(1);
});
