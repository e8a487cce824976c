// bench:web's client gallery: its page in Chromium, cold and warm, and its thumbnail routes from
// Node without a browser.
import { performance } from "node:perf_hooks";
import { brotliCompressSync, gzipSync, constants as zc } from "node:zlib";
import { cookiePairs, must } from "../harness/http.mjs";
import { fmt, mapLimit, round, sleep } from "../harness/numbers.mjs";
import { COLD, call, kb, PAGE_TIMEOUT_MS, SETTLE_MS, stat, VIEWPORT, WARM } from "./config.mjs";
import { browserCookie, INIT, recorder, scriptBytes, waterfall } from "./instrument.mjs";

/** One visit of the client page; `context` decides whether the cache is cold or warm. */
async function visitGallery(context, url) {
  const page = await context.newPage();
  const rec = recorder(page);
  await page.goto(url, { waitUntil: "load", timeout: PAGE_TIMEOUT_MS });
  await page
    .waitForFunction(() => window.__bench.interactive !== null && (window.__bench.et.length > 0 || window.__bench.imgLoadPaint !== null), null, {
      timeout: PAGE_TIMEOUT_MS,
      polling: 50,
    })
    .catch(async () => {
      throw new Error(
        `page not interactive / no thumbnail within ${PAGE_TIMEOUT_MS / 1000} s: ${JSON.stringify(await page.evaluate(() => ({ ...window.__bench, et: window.__bench.et.length })).catch(() => null))}; errors ${JSON.stringify([...rec.pageErrors, ...rec.console, ...rec.failed].slice(0, 5))}`,
      );
    });
  await sleep(SETTLE_MS);
  const m = await page.evaluate(() => {
    const B = window.__bench;
    const nav = performance.getEntriesByType("navigation")[0];
    const vh = innerHeight,
      vw = innerWidth;
    const imgs = [...document.querySelectorAll(".grid img")];
    const inView = imgs.filter((i) => {
      const r = i.getBoundingClientRect();
      return r.bottom > 0 && r.top < vh && r.right > 0 && r.left < vw && r.width * r.height > 0;
    });
    return {
      B,
      scrollY,
      timeOrigin: performance.timeOrigin,
      nav: {
        ttfb: nav.responseStart,
        responseEnd: nav.responseEnd,
        domInteractive: nav.domInteractive,
        dcl: nav.domContentLoadedEventStart,
        load: nav.loadEventStart,
        transferSize: nav.transferSize,
        encodedBodySize: nav.encodedBodySize,
        decodedBodySize: nav.decodedBodySize,
      },
      tiles: document.querySelectorAll(".grid li[data-photo-id]").length,
      hearts: document.querySelectorAll(".grid .heart").length,
      imgsInView: inView.length,
      imgsComplete: imgs.filter((i) => i.complete && i.naturalWidth > 0).length,
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
    firstThumbFallbackMs: B.imgLoadPaint,
    firstThumbLoadMs: B.imgLoad,
    viewportThumbsMs: etView.length >= m.imgsInView && m.imgsInView > 0 ? Math.max(...etView.map((e) => e.t)) : null,
    viewportThumbs: m.imgsInView,
    viewportThumbsPainted: etView.length,
    interactiveMs: B.interactive,
    heartsMs: B.hearts,
    wsCreatedMs: B.wsCreated,
    wsOpenMs: B.wsOpen,
    syncedMs: B.synced,
    fcpMs: B.fcp,
    lcpMs: B.lcp?.t ?? null,
    lcpElement: B.lcp?.tag ?? null,
    ttfbMs: m.nav.ttfb,
    htmlDoneMs: m.nav.responseEnd,
    domInteractiveMs: m.nav.domInteractive,
    dclMs: m.nav.dcl,
    loadMs: m.nav.load,
    longTasksBeforeInteractive: before(B.interactive).length,
    longestTaskMs: Math.max(0, ...before(B.interactive).map((x) => x.duration)),
    tbtMs: tbt(B.interactive),
    tiles: m.tiles,
    hearts: m.hearts,
    imgsLoaded: m.imgsComplete,
    scrollY: m.scrollY,
    requests: rec.requests,
    console: rec.console,
    pageErrors: rec.pageErrors,
    failed: rec.failed,
    waterfall: waterfall(rec.requests, m.timeOrigin),
  };
}

export async function galleryPage(browser, L, G) {
  const studioOrigin = `http://${L.studioHost}`;
  const url = `${studioOrigin}/g/${G.galleryId}`;
  // A visitor cookie, as the name dialog would set it, so the app connects without asking.
  const visitor = async (name) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await call(L.port, "POST", L.studioHost, `/g/${G.galleryId}/access`, { body: { name } });
      if (r.status === 200) return cookiePairs(r.cookies).map((c) => browserCookie(c, L.studioHost));
      if (r.status === 429) {
        console.log("    /access rate-limited; waiting 20 s");
        await sleep(20_000);
        continue;
      }
      throw new Error(`POST /g/${G.galleryId}/access: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    }
    throw new Error("POST /access kept answering 429");
  };

  // The HTML itself, from Node: size, compression, server time.
  const htmlRuns = [];
  for (let i = 0; i < 5; i++)
    htmlRuns.push(await call(L.port, "GET", L.studioHost, `/g/${G.galleryId}`, { raw: true, headers: { "accept-encoding": "gzip, br" } }));
  const plain = await call(L.port, "GET", L.studioHost, `/g/${G.galleryId}`, { raw: true });
  const html = {
    status: plain.status,
    raw: plain.buf.length,
    gzip9: gzipSync(plain.buf, { level: 9 }).length,
    brotli: brotliCompressSync(plain.buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length,
    servedEncoding: htmlRuns[0].headers["content-encoding"] ?? null,
    servedBytes: htmlRuns[0].buf.length,
    serverMs: stat(htmlRuns.map((r) => r.totalMs)),
    ttfbMs: stat(htmlRuns.map((r) => r.ttfbMs)),
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

/** The thumbnail routes without a browser: latency one at a time and six at a time (a browser's
 *  connections per host), and whether a revalidation with the ETag gets a 304. */
export async function thumbnailsFromNode(L, G) {
  const list = (await must(call(L.port, "GET", L.appHost, G.photosPath, { cookie: L.cookie }), 200, "list photos")).json.photos.filter((p) => p.urls);
  const access = await call(L.port, "POST", L.studioHost, `/g/${G.galleryId}/access`, { body: { name: "Node visitor" } });
  const visitor = cookiePairs(access.cookies)
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
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
    return {
      status: first.status,
      bytes: first.buf.length,
      cacheControl: first.headers["cache-control"] ?? null,
      etag: etag ?? null,
      revalidatedStatus: again?.status ?? null,
    };
  };
  const p0 = list[0];
  return {
    clientSequentialMs: stat(seq),
    clientSixParallelMs: stat(par),
    clientSixParallelPerSecond: round(par.length / parSeconds, 0),
    clientThumb: await revalidate(L.studioHost, p0.urls.thumb, visitor),
    dashboardThumb: await revalidate(L.appHost, `${G.photosPath}/${p0.id}/thumb.jpg`, L.cookie),
  };
}
