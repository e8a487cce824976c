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
import { chromium } from "playwright-core";
import { startLoupe } from "./harness/loupe.mjs";
import { round } from "./harness/numbers.mjs";
import { phase, phases, runSeconds, setPhase, startRun } from "./harness/phases.mjs";
import { exitOnSignals, stopChild } from "./harness/processes.mjs";
import { devVersions, machine, version, writeResults } from "./harness/report.mjs";
import { CHROMIUM, COLD, CONCURRENCY, call, DASH_RUNS, PHOTOS, SNAPSHOT, TARGET_FIRST_THUMB_MS, TARGET_JS_GZIP_BYTES, VIEWPORT, WARM } from "./web/config.mjs";
import { dashboardPage } from "./web/dashboard.mjs";
import { makeGallery } from "./web/gallery.mjs";
import { galleryPage, thumbnailsFromNode } from "./web/gallery-page.mjs";
import { requestSummary } from "./web/instrument.mjs";
import { caveatNotes, markdown, methodNotes, summarise } from "./web/report.mjs";

startRun("starting Loupe");
let browser = null;
exitOnSignals("stopping", () => {
  try {
    browser?.close();
  } catch {
    /* exiting anyway */
  }
});

async function main() {
  console.log(`web bench: ${PHOTOS} photos, ${COLD} cold + ${WARM} warm gallery visits, ${DASH_RUNS} dashboard visits`);
  setPhase("starting Loupe");
  const L = await startLoupe({ name: "web", call, snapshot: SNAPSHOT });
  console.log(`  Loupe up on port ${L.port} (${runSeconds().toFixed(0)} s); making the ${PHOTOS}-photo gallery…`);
  setPhase("uploading and processing");
  const G = await makeGallery(L);
  console.log(
    `  processing: ${G.processing.ready} ready, ${G.processing.failed} failed, ${G.processing.secondsAfterLastUpload ?? "n/a"} s after the last upload`,
  );
  if (G.processing.ready === 0) throw new Error(`no photo became ready: ${JSON.stringify(G.processing)}`);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  setPhase("client gallery page");
  console.log("  client gallery page…");
  const gallery = await galleryPage(browser, L, G);
  setPhase("dashboard page");
  console.log("  dashboard page…");
  const dashboard = DASH_RUNS > 0 ? await dashboardPage(browser, L, G) : null;
  setPhase("thumbnails from Node");
  const thumbs = await thumbnailsFromNode(L, G);
  setPhase(null);

  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine({ chromium: browser?.version() ?? "?", playwright: version("playwright-core"), ...devVersions() }),
    config: {
      photos: PHOTOS,
      cold: COLD,
      warm: WARM,
      dashboardRuns: DASH_RUNS,
      uploadConcurrency: CONCURRENCY,
      viewport: VIEWPORT,
      targets: { firstThumbMs: TARGET_FIRST_THUMB_MS, jsGzipBytes: TARGET_JS_GZIP_BYTES },
    },
    tree: L.tree,
    galleryMade: { ...G, photosPath: undefined },
    gallery,
    dashboard,
    thumbs,
    phases,
    reloads: L.reloads(),
  };
  await browser.close();
  browser = null;
  await stopChild(L.child);
  summarise(result);
  result.method = methodNotes(result);
  result.caveats = caveatNotes(result);
  result.totalSeconds = round(runSeconds(), 1);

  // The JSON keeps the per-run numbers, not every request of every visit.
  const slim = (run) => ({ ...run, requests: requestSummary(run), console: run.console, pageErrors: run.pageErrors, failed: run.failed });
  const json = {
    ...result,
    gallery: { ...gallery, cold: gallery.cold.map(slim), warm: gallery.warm.map(slim) },
    dashboard: dashboard ? { ...dashboard, runs: dashboard.runs.map(slim) } : null,
  };
  await writeResults("web", JSON.stringify(json, null, 2), markdown(result));
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error(`web bench failed (${phase()}): ${err.stack ?? err}`);
    try {
      await browser?.close();
    } catch {
      /* exiting anyway */
    }
    process.exit(1);
  },
);
