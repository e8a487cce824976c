// What bench:web sees of a page: the script injected into it (timings the page takes of itself),
// every request Chromium made for it with its timing and size, and its scripts' bytes.
import { brotliCompressSync, gzipSync, constants as zc } from "node:zlib";
import { round } from "../harness/numbers.mjs";
import { call } from "./config.mjs";

// Injected before any page script (CDP, so the page's CSP does not apply). Times are
// performance.now(), i.e. ms since the navigation started.
export const INIT = `(() => {
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
export function recorder(page) {
  const rec = { requests: [], console: [], pageErrors: [], failed: [] };
  const issued = new WeakMap(); // request → Date.now() when Chromium issued it
  page.on("request", (req) => issued.set(req, Date.now()));
  page.on("requestfinished", async (req) => {
    const res = await req.response().catch(() => null);
    const sizes = await req.sizes().catch(() => null);
    const t = req.timing(); // startTime: epoch ms; the rest: ms after startTime, -1 if not applicable
    rec.requests.push({
      url: req.url(),
      type: req.resourceType(),
      status: res?.status() ?? 0,
      encoding: res ? ((await res.allHeaders().catch(() => ({})))["content-encoding"] ?? null) : null,
      issuedAt: issued.get(req) ?? null,
      startTime: t.startTime,
      requestStartMs: t.requestStart,
      responseEndMs: t.responseEnd,
      wire: sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0,
      body: sizes?.responseBodySize ?? 0,
    });
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

/** Each request's start and end in ms after navigation start (Chromium's own request timing). */
export function waterfall(requests, timeOrigin) {
  return requests
    .map((q) => ({
      path: new URL(q.url).pathname.replace(/^\/media\/[^/]+\/([^/]+)\//, "/media/…/$1/"),
      type: q.type,
      status: q.status,
      startMs: round(q.startTime - timeOrigin, 0),
      endMs: q.responseEndMs >= 0 ? round(q.startTime - timeOrigin + q.responseEndMs, 0) : null,
      wire: q.wire,
      // From sending the request to the last byte: the server's time plus loopback transfer; null when it came from the cache.
      serverMs: q.wire > 0 && q.requestStartMs >= 0 && q.responseEndMs >= 0 ? round(q.responseEndMs - q.requestStartMs, 0) : null,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

export function requestSummary(run) {
  const by = {};
  for (const q of run.requests) {
    const k = q.type;
    by[k] ??= { count: 0, wire: 0 };
    by[k].count++;
    by[k].wire += q.wire;
  }
  return {
    total: run.requests.length,
    wire: run.requests.reduce((s, q) => s + q.wire, 0),
    byType: by,
    notModified: run.requests.filter((q) => q.status === 304).length,
    fromCache: run.requests.filter((q) => q.wire === 0 && q.status !== 304).length,
    errors: run.requests.filter((q) => q.status >= 400).map((q) => `${q.status} ${new URL(q.url).pathname}`),
  };
}

/** A cookie the worker set, for a browser context. `__Host-` cookies are Secure and host-only;
 *  Playwright drops Secure when given an http:// url and Chromium then refuses the prefix, so the
 *  host goes in as a domain without a leading dot (host-only); Chromium counts *.localhost as a
 *  secure origin and sends it over http. */
export const browserCookie = (c, host) => ({ ...c, domain: host.split(":")[0], path: "/", secure: true, httpOnly: true, sameSite: "Lax" });

/** Bytes of each script, fetched again by URL: raw, gzip -9, brotli q11; and what the page got over the wire. */
export async function scriptBytes(L, runs) {
  const scripts = new Map();
  for (const r of runs) for (const q of r.requests) if (q.type === "script" && !scripts.has(q.url)) scripts.set(q.url, q);
  const out = [];
  for (const [url, q] of scripts) {
    const u = new URL(url);
    const res = await call(L.port, "GET", u.host, u.pathname + u.search, { raw: true });
    out.push({
      path: u.pathname,
      status: res.status,
      raw: res.buf.length,
      gzip9: gzipSync(res.buf, { level: 9 }).length,
      brotli: brotliCompressSync(res.buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length,
      wire: q.wire,
      contentEncoding: q.encoding,
    });
  }
  const sum = (k) => out.reduce((s, x) => s + (x[k] ?? 0), 0);
  return { scripts: out, raw: sum("raw"), gzip9: sum("gzip9"), brotli: sum("brotli"), wire: sum("wire") };
}
