// bench:web's report: the summary of the runs, the targets, the markdown tables and the notes.
import os from "node:os";
import { fmt } from "../harness/numbers.mjs";
import { phaseCpu } from "../harness/phases.mjs";
import { closing } from "../harness/report.mjs";
import { DASH_WATCH_MS, kb, PHOTOS, SETTLE_MS, STALL_MS, stat, TARGET_FIRST_THUMB_MS, TARGET_JS_GZIP_BYTES, VIEWPORT } from "./config.mjs";
import { requestSummary } from "./instrument.mjs";

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

export function summarise(r) {
  const g = r.gallery;
  const s = (runs) => Object.fromEntries(metricRows.map(([k]) => [k, stat(runs.map((x) => x[k]))]));
  r.summary = { cold: s(g.cold), warm: s(g.warm) };
  const coldReq = g.cold.map(requestSummary);
  r.summary.coldRequests = {
    total: stat(coldReq.map((x) => x.total)),
    wireBytes: stat(coldReq.map((x) => x.wire)),
    images: stat(coldReq.map((x) => x.byType.image?.count ?? 0)),
    imageWireBytes: stat(coldReq.map((x) => x.byType.image?.wire ?? 0)),
  };
  const sent = (type, re) => g.cold.flatMap((x) => x.waterfall.filter((w) => w.type === type && (!re || re.test(w.path))).map((w) => w.serverMs));
  r.summary.coldServerMs = {
    image: stat(sent("image")),
    roomToken: stat(sent("fetch", /room-token$/)),
    document: stat(sent("document")),
    script: stat(sent("script")),
  };
  const warmReq = g.warm.map(requestSummary);
  r.summary.warmRequests = { total: stat(warmReq.map((x) => x.total)), wireBytes: stat(warmReq.map((x) => x.wire)) };
  const d = r.dashboard;
  r.summary.dashboard = d
    ? {
        listedMs: stat(d.runs.map((x) => x.listedMs)),
        firstThumbMs: stat(d.runs.map((x) => x.firstThumbMs)),
        dclMs: stat(d.runs.map((x) => x.dclMs)),
        loadMs: stat(d.runs.map((x) => x.loadMs)),
      }
    : null;
  const count = (xs) => {
    const m = new Map();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return Object.fromEntries(m);
  };
  r.browserProblems = {
    gallery: count(
      [...g.cold, ...g.warm].flatMap((x) => [
        ...x.pageErrors.map((e) => `pageerror: ${e}`),
        ...x.console,
        ...x.failed.map((f) => `failed: ${f}`),
        ...requestSummary(x).errors.map((e) => `HTTP ${e}`),
      ]),
    ),
    dashboard: count(
      (d?.runs ?? []).flatMap((x) => [
        ...x.pageErrors.map((e) => `pageerror: ${e}`),
        ...x.console,
        ...x.failed.map((f) => `failed: ${f}`),
        ...requestSummary(x).errors.map((e) => `HTTP ${e}`),
      ]),
    ),
  };
  const ft = r.summary.cold.firstThumbMs;
  r.targets = {
    firstThumb: { target: `< ${TARGET_FIRST_THUMB_MS} ms (cold p95)`, p50: ft.p50, p95: ft.p95, pass: ft.p95 != null && ft.p95 < TARGET_FIRST_THUMB_MS },
    jsGallery: { target: `≤ ${TARGET_JS_GZIP_BYTES / 1000} KB gzip (100,000 bytes)`, bytes: g.js.gzip9, pass: g.js.gzip9 <= TARGET_JS_GZIP_BYTES },
    jsDashboard: d ? { target: `≤ ${TARGET_JS_GZIP_BYTES / 1000} KB gzip (100,000 bytes)`, bytes: d.js.gzip9, pass: d.js.gzip9 <= TARGET_JS_GZIP_BYTES } : null,
  };
}

export function markdown(r) {
  const g = r.gallery,
    S = r.summary,
    T = r.targets,
    G = r.galleryMade;
  const L = [];
  const pf = (p) => (p ? "**PASS**" : "**FAIL**");
  L.push(
    `### Web benchmark (${r.date}, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, Chromium ${r.machine.chromium} headless, workerd ${r.machine.workerd} via wrangler ${r.machine.wrangler} dev)`,
  );
  L.push("");
  L.push(
    `A ${g.html.tiles.toLocaleString("en")}-photo client gallery (${g.url}) in Chromium over loopback; ${g.cold.length} cold runs (fresh context, empty cache) and ${g.warm.length} warm runs (same context, cache filled by an uncounted first visit). Viewport ${VIEWPORT.width}×${VIEWPORT.height}. Times in ms from navigation start.`,
  );
  L.push("");
  L.push("| Target | Measured | Result |");
  L.push("|---|---|---|");
  L.push(`| First thumbnails painted ${T.firstThumb.target} | p50 ${fmt(T.firstThumb.p50)} ms, p95 ${fmt(T.firstThumb.p95)} ms | ${pf(T.firstThumb.pass)} |`);
  L.push(`| Client gallery JS ${T.jsGallery.target} | ${kb(T.jsGallery.bytes)} (${g.js.scripts.length} scripts) | ${pf(T.jsGallery.pass)} |`);
  if (T.jsDashboard)
    L.push(`| Dashboard JS, same target (for reference) | ${kb(T.jsDashboard.bytes)} (${r.dashboard.js.scripts.length} scripts) | ${pf(T.jsDashboard.pass)} |`);
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
  L.push(
    `| Gallery HTML (${g.html.tiles} tiles) | ${kb(g.html.raw)} | ${kb(g.html.gzip9)} | ${kb(g.html.brotli)} | ${kb(g.html.servedBytes)}${g.html.servedEncoding ? ` (${g.html.servedEncoding})` : " (uncompressed)"} |`,
  );
  for (const s of g.js.scripts)
    L.push(
      `| gallery page script ${s.path} | ${kb(s.raw)} | ${kb(s.gzip9)} | ${kb(s.brotli)} | ${kb(s.wire)}${s.contentEncoding ? ` (${s.contentEncoding})` : ""} |`,
    );
  L.push(`| **gallery page JS total** | ${kb(g.js.raw)} | **${kb(g.js.gzip9)}** | ${kb(g.js.brotli)} | ${kb(g.js.wire)} |`);
  if (r.dashboard) {
    for (const s of r.dashboard.js.scripts)
      L.push(
        `| dashboard script ${s.path} | ${kb(s.raw)} | ${kb(s.gzip9)} | ${kb(s.brotli)} | ${kb(s.wire)}${s.contentEncoding ? ` (${s.contentEncoding})` : ""} |`,
      );
    L.push(
      `| **dashboard JS total** | ${kb(r.dashboard.js.raw)} | **${kb(r.dashboard.js.gzip9)}** | ${kb(r.dashboard.js.brotli)} | ${kb(r.dashboard.js.wire)} |`,
    );
  }
  L.push(
    `| Cold visit, everything until interactive + ${SETTLE_MS} ms (p50) | | | | ${kb(S.coldRequests.wireBytes.p50)} in ${fmt(S.coldRequests.total.p50)} requests, of which ${fmt(S.coldRequests.images.p50)} images (${kb(S.coldRequests.imageWireBytes.p50)}) |`,
  );
  L.push(`| Warm visit, same window (p50) | | | | ${kb(S.warmRequests.wireBytes.p50)} in ${fmt(S.warmRequests.total.p50)} requests |`);
  L.push("");
  L.push(
    `HTML from Node (5 requests, keep-alive): server time p50 ${fmt(g.html.serverMs.p50)} ms, p95 ${fmt(g.html.serverMs.p95)} ms (first byte p50 ${fmt(g.html.ttfbMs.p50)} ms).`,
  );
  const th = r.thumbs;
  L.push(
    `Thumbnails from Node (client route /media/…/thumb.jpg, visitor cookie, keep-alive): one at a time p50 ${fmt(th.clientSequentialMs.p50)} ms, p95 ${fmt(th.clientSequentialMs.p95)} ms (n = ${th.clientSequentialMs.n}); six at a time p50 ${fmt(th.clientSixParallelMs.p50)} ms, p95 ${fmt(th.clientSixParallelMs.p95)} ms, ${fmt(th.clientSixParallelPerSecond)} thumbnails/s. Revalidation with If-None-Match: client thumbnail ${th.clientThumb.status} → ${th.clientThumb.revalidatedStatus ?? "no ETag"} (cache-control \`${th.clientThumb.cacheControl}\`), dashboard thumbnail ${th.dashboardThumb.status} → ${th.dashboardThumb.revalidatedStatus ?? "no ETag"} (cache-control \`${th.dashboardThumb.cacheControl}\`).`,
  );
  const sv = S.coldServerMs;
  L.push(
    `In the browser (cold runs; request sent → last byte, i.e. server time plus loopback): gallery HTML p50 ${fmt(sv.document.p50)} ms; thumbnails p50 ${fmt(sv.image.p50)} ms, p95 ${fmt(sv.image.p95)} ms (n = ${sv.image.n}); room-token p50 ${fmt(sv.roomToken.p50)} ms, p95 ${fmt(sv.roomToken.p95)} ms; scripts p50 ${fmt(sv.script.p50)} ms.`,
  );
  L.push("");
  const wf = (run, label) => {
    const w = run.waterfall;
    const imgs = w.filter((x) => x.type === "image");
    const rows = [...w.filter((x) => x.type !== "image"), ...(imgs.length ? [imgs[0], imgs.at(-1)] : [])].sort((a, b) => a.startMs - b.startMs);
    L.push(
      `${label}: ${rows.map((x) => `${x.path === imgs[0]?.path ? "first image" : x === imgs.at(-1) ? `last of ${imgs.length} images` : x.path} ${x.status} ${x.startMs}→${x.endMs ?? "?"}`).join(" · ")}; first thumbnail painted ${fmt(run.firstThumbMs)}, DOM interactive ${fmt(run.domInteractiveMs)}, hearts ${fmt(run.heartsMs)}, socket created ${fmt(run.wsCreatedMs)}, open ${fmt(run.wsOpenMs)}, synced ${fmt(run.syncedMs)}, interactive ${fmt(run.interactiveMs)}.`,
    );
  };
  L.push("Request waterfall (ms after navigation start, request start→response end, Chromium's timing):");
  L.push("");
  if (g.cold[0]) wf(g.cold[0], "- first cold run");
  if (g.warm[0]) wf(g.warm[0], "- first warm run");
  L.push("");
  L.push("#### Making the gallery");
  L.push("");
  L.push(
    `${G.upload.uploaded}/${G.upload.photos} photos uploaded in ${fmt(G.upload.seconds, 1)} s (distinct 900×600 JPEGs, mean ${kb(G.upload.meanBytes)}, made with sharp as they went; ${G.upload.concurrency} in flight; ${G.upload.failed} failed). Queue: ${G.processing.ready} ready, ${G.processing.failed} failed${G.processing.timedOut ? " (**timed out**)" : ""}${G.processing.stalled ? ` (**stalled**: no photo became ready for ${STALL_MS / 1000} s; statuses ${JSON.stringify(G.processing.byStatus)})` : ""}; all processed ${fmt(G.processing.secondsFromFirstUpload, 1)} s after the first upload started, ${fmt(G.processing.secondsAfterLastUpload, 1)} s after the last upload, ≈ ${fmt(G.processing.photosPerMinute)} photos a minute end to end (thumbnail 600 px + watermarked preview, photon in WASM).`,
  );
  if (G.upload.errors.length) L.push(`\nUpload errors (first ${G.upload.errors.length}): ${G.upload.errors.map((e) => `\`${e}\``).join("; ")}.`);
  if (r.dashboard) {
    const D = S.dashboard,
      w = r.dashboard.runs.map((x) => x.watch);
    L.push("");
    L.push("#### Dashboard (app host, signed in, gallery photos tab)");
    L.push("");
    L.push(
      `${r.dashboard.runs.length} cold runs: first screenful of the ${PHOTOS.toLocaleString("en")}-photo grid drawn p50 ${fmt(D.listedMs.p50)} ms (max ${fmt(D.listedMs.max)}), first thumbnail painted p50 ${fmt(D.firstThumbMs.p50)} ms, DOMContentLoaded p50 ${fmt(D.dclMs.p50)} ms. Its 2-second refresh, watched ${DASH_WATCH_MS / 1000} s: ${w.map((x) => `${x.photoListRequests} list fetches, ${x.thumbRequests} thumbnail requests (${x.thumb304} × 304), ${kb(x.wire)}, ${x.longTasks} long tasks totalling ${x.longTaskMs} ms (longest ${x.longestTaskMs} ms)`).join("; ")}.`,
    );
  }
  L.push("");
  L.push("#### Browser console and failed requests");
  L.push("");
  const probs = (o) => Object.entries(o).map(([k, n]) => `- ${n}× ${k}`);
  const gp = probs(r.browserProblems.gallery),
    dp = probs(r.browserProblems.dashboard);
  L.push(
    gp.length
      ? `Gallery page (over all ${g.cold.length + g.warm.length} visits):\n${gp.join("\n")}`
      : "Gallery page: no console errors or warnings, no page errors, no failed or ≥ 400 requests.",
  );
  if (r.dashboard)
    L.push(dp.length ? `\nDashboard:\n${dp.join("\n")}` : "\nDashboard: no console errors or warnings, no page errors, no failed or ≥ 400 requests.");
  return closing(L, r, fmt(r.totalSeconds, 0));
}

export function methodNotes(r) {
  return [
    (r.tree.snapshot
      ? `Loupe runs from a snapshot of the working tree (HEAD ${r.tree.head} plus ${r.tree.changedFiles} changed or new files; the ${r.tree.files} files git lists, copied to a temp dir, node_modules linked), so edits made to the tree during the run cannot reload the worker or rebuild the assets under the measurement. `
      : "Loupe runs in place (WEB_SNAPSHOT=0). ") +
      "Loupe runs as `npm start` does (scripts/start.mjs: builds the browser apps with Vite, applies the migrations, `wrangler dev` on 127.0.0.1 with a fresh state dir, demo studio). The gallery is made through the dashboard API with the demo login: `POST /api/studios/:s/galleries {title, visibility: public}`, then per photo `POST …/photos {filename, size, contentType}` and `PUT …/photos/:p/master` (no original: proofing only needs the master's derivatives); `GET …/photos` every 2 s until every photo is `ready` (or `failed`).",
    "Browser: Debian's Chromium through playwright-core, headless, `--no-sandbox --disable-gpu` (as tests/e2e). Each cold run is a new browser context (own empty HTTP cache, cookies, storage); warm runs are new pages in one context after an uncounted first visit. Before the visit the context gets a visitor cookie from `POST /g/:id/access {name}` (what the name dialog does), so the app connects without the dialog.",
    "Page-side timing (an init script injected through CDP before any page script, so the page's CSP does not apply; every time is performance.now() = ms since navigation start): **first thumbnail painted** = the earliest Element Timing entry (renderTime) of any grid `<img>`: the server's `<img>` tags have no `elementtiming` attribute, so a MutationObserver adds one to each grid image as the parser inserts it, before it can load or paint. As a cross-check the page also records the first grid image's `load` event and the frame after it (rAF, then a posted message), reported in the JSON as firstThumbFallbackMs. **All first-viewport thumbnails** = the latest Element Timing entry with a non-empty intersection rect, only when every grid image inside the viewport has one.",
    "**Interactive** = the first animation frame in which (a) the tiles have their `.heart` buttons (the app has mounted), (b) the toolbar's `.banner` is hidden with class `online` (the room's WebSocket is open) and (c) the room's document has arrived (the first binary frame that is a Yjs sync step 2, seen by wrapping `window.WebSocket`). Checked with requestAnimationFrame from DOMContentLoaded, so it is quantised to frames (~16 ms). Blocking time = Σ(long task − 50 ms) of the Long Tasks API before that moment.",
    'DOMContentLoaded and load = the navigation entry\'s domContentLoadedEventStart / loadEventStart; HTML first byte = responseStart. Grid images are `loading="lazy"`, so the page fetches only the thumbnails near the first viewport.',
    "JS bytes per page = every response the page loaded with resource type `script` (module entry and its imported chunks), each fetched again by URL from Node and compressed here with gzip -9 (zlib level 9) and brotli 11; `over the wire` is what Chromium received (body + headers, Playwright's request.sizes()) on the first cold run's cache-less load. HTML bytes: `GET /g/:id` from Node without Accept-Encoding (raw) and compressed the same way; served size/encoding from a request with `Accept-Encoding: gzip, br`.",
    `Dashboard: a fresh context with the session cookies of the API login, \`${r.dashboard?.url ?? "n/a"}\`; listed = the grid's first screenful of \`.photo-admin li\` drawn and the All photos chip showing ${PHOTOS} (polled every frame; the grid draws only the rows on screen); first thumbnail = first admin thumbnail's load + next frame. The refresh is watched for ${DASH_WATCH_MS / 1000} s after the listing: requests made and long tasks (main thread).`,
    "The instrumentation costs a little: its MutationObserver also sees every node the app adds (3 per tile), and interactive is polled once per frame.",
    "Thumbnails from Node: after the browser runs, 30 client thumbnails fetched one after another and 60 more six at a time, over keep-alive with a visitor cookie; then one client and one dashboard thumbnail fetched again with If-None-Match.",
    "Percentiles interpolate linearly between closest ranks (tests/bench/stats.mjs); with 5 samples p95 is close to the maximum.",
  ];
}

export function caveatNotes(r) {
  const out = [];
  out.push(
    "Loopback, no network latency or bandwidth limit, and no CPU throttling: a real client on a phone over 4G would be several times slower; these numbers show what the server and the page cost, not field performance.",
  );
  const enc = [...new Set(r.gallery.js.scripts.map((x) => x.contentEncoding ?? "none"))].join(", ");
  out.push(
    `\`wrangler dev\` is not production: its proxy workerd sits in front of the worker, local D1/R2 are SQLite/files on disk, and the worker and the Durable Object run in one local workerd. Here scripts arrived with content-encoding ${enc} and the HTML with ${r.gallery.html.servedEncoding ?? "none"}; Cloudflare's edge may pick brotli, so the target is judged on the gzip -9 figure, not the dev server's wire bytes.`,
  );
  out.push(
    `This is a shared 2-core VM; Loupe (workerd), wrangler, Chromium and this script share the cores. CPU per phase (cores busy of ${os.cpus().length}; "others" = processes outside this bench, e.g. another engineer's tests): ${phaseCpu(r.phases)}.`,
  );
  if (r.reloads.length)
    out.push(
      `**wrangler dev reloaded the worker during this run (a source file changed under it): ${r.reloads.map((x) => `${x.phase} (${x.atSeconds} s)`).join(", ")}. Runs in those phases may include a cold isolate.**`,
    );
  out.push(
    "Element Timing's renderTime is Chromium's paint/presentation timestamp for the image; headless Chromium with software compositing (--disable-gpu) still produces frames, but without a display its frame timing differs from a visible browser window.",
  );
  out.push(
    "The photos are small synthetic 900×600 JPEGs, so thumbnails are smaller than a real photographer's (~10–20 KB each instead of 50–150 KB); image bytes and decode time per thumbnail are therefore on the low side.",
  );
  return out;
}
