// bench:web's dashboard: the gallery's photos tab, signed in, and what its 2-second refresh costs
// on a gallery this size.
import { fmt, round, sleep } from "../harness/numbers.mjs";
import { DASH_RUNS, DASH_WATCH_MS, PAGE_TIMEOUT_MS, PHOTOS, VIEWPORT } from "./config.mjs";
import { browserCookie, INIT, recorder, scriptBytes } from "./instrument.mjs";

export async function dashboardPage(browser, L, G) {
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
    // The grid draws the rows on screen only (photo-grid.ts): "listed" is the first screenful of
    // tiles drawn, and the count shown on the "All photos" chip agreeing with the gallery.
    const listed = await page
      .waitForFunction(
        (n) =>
          document.querySelectorAll(".photo-admin li[data-id]").length > 0 && document.querySelector(".chip.active .muted")?.textContent === String(n)
            ? performance.now()
            : null,
        PHOTOS,
        { timeout: PAGE_TIMEOUT_MS, polling: "raf" },
      )
      .then((h) => h.jsonValue())
      .catch(async () => {
        const dash = page.locator(".dash");
        // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node (what the page shows)
        const shown = await dash.innerText().catch(() => "?");
        throw new Error(`dashboard did not list ${PHOTOS} photos: ${shown} ${JSON.stringify([...rec.pageErrors, ...rec.console].slice(0, 5))}`);
      });
    const firstThumb = await page
      .waitForFunction(() => window.__bench.imgLoadPaint, null, { timeout: 20_000, polling: 50 })
      .then((h) => h.jsonValue())
      .catch(() => null);
    // Watch the 2-second refresh on a 1,000-photo gallery: requests and main-thread time.
    const watchFrom = Date.now();
    const tWatch = await page.evaluate(() => performance.now());
    await sleep(DASH_WATCH_MS);
    const after = await page.evaluate((t) => {
      const nav = performance.getEntriesByType("navigation")[0];
      return {
        dcl: nav.domContentLoadedEventStart,
        load: nav.loadEventStart,
        longTasks: window.__bench.longTasks.filter((x) => x.start >= t),
        fcp: window.__bench.fcp,
      };
    }, tWatch);
    const during = rec.requests.filter((q) => q.issuedAt !== null && q.issuedAt >= watchFrom);
    runs.push({
      listedMs: listed,
      firstThumbMs: firstThumb,
      dclMs: after.dcl,
      loadMs: after.load,
      fcpMs: after.fcp,
      watch: {
        seconds: DASH_WATCH_MS / 1000,
        requests: during.length,
        photoListRequests: during.filter((q) => /\/photos$/.test(new URL(q.url).pathname)).length,
        thumbRequests: during.filter((q) => /thumb\.jpg/.test(q.url)).length,
        thumb304: during.filter((q) => /thumb\.jpg/.test(q.url) && q.status === 304).length,
        wire: during.reduce((s, q) => s + q.wire, 0),
        longTasks: after.longTasks.length,
        longTaskMs: round(
          after.longTasks.reduce((s, x) => s + x.duration, 0),
          0,
        ),
        longestTaskMs: round(Math.max(0, ...after.longTasks.map((x) => x.duration)), 0),
      },
      requests: rec.requests,
      console: rec.console,
      pageErrors: rec.pageErrors,
      failed: rec.failed,
    });
    await context.close();
    console.log(
      `    dashboard ${i + 1}: ${PHOTOS} photos listed at ${fmt(listed)} ms; refresh: ${runs.at(-1).watch.requests} requests, ${runs.at(-1).watch.longTaskMs} ms long tasks in ${DASH_WATCH_MS / 1000} s`,
    );
  }
  const js = await scriptBytes(L, runs);
  return { url: url.replace(/:\d+\//, ":<port>/"), runs, js };
}
