// What the browser e2e files share: Loupe started the README's way on a free port with fresh
// state, Debian's Chromium, and the folder screenshots go to (kept out of git).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { http, type Running, startLoupe } from "./server";

export const shots = path.resolve(__dirname, "../../test-results");

/** `vars`: bindings to start Loupe with, made once before it starts (local fakes' addresses). */
export function loupeAndChromium(vars?: () => Promise<Record<string, string>>): { loupe: Running; browser: Browser } {
  const stage = {} as { loupe: Running; browser: Browser };
  beforeAll(async () => {
    stage.loupe = await startLoupe("Demo login:", undefined, undefined, vars ? await vars() : {});
    stage.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    mkdirSync(shots, { recursive: true });
  });
  // A failed test (a timeout above all) says what the pages showed and what Loupe logged last.
  afterEach(async ({ task }) => {
    if (task.result?.state !== "fail" || !stage.browser) return;
    const pages = stage.browser.contexts().flatMap((c) => c.pages());
    for (const page of pages) {
      // What the page shows, as a person would read it (innerText follows CSS; textContent does not).
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here.
      const text = await page.evaluate(() => document.body.innerText).catch((e) => `(unreadable: ${e})`);
      console.error(`--- page ${page.url()} ---\n${text.slice(0, 3000)}`);
    }
    console.error(`--- npm start, last lines ---\n${stage.loupe.output().split("\n").slice(-80).join("\n")}`);
  });
  afterAll(async () => {
    await stage.browser?.close();
    await stage.loupe?.stop();
  });
  return stage;
}

/** A new studio signed up through the dashboard's form, in a new page left signed in. */
export async function signUpStudio(browser: Browser, port: number, who: { studioName: string; slug: string; name: string; email: string }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://app.localhost:${port}`);
  await page.fill("#signup input[name=studioName]", who.studioName);
  await page.fill("#signup input[name=slug]", who.slug);
  await page.fill("#signup input[name=name]", who.name);
  await page.fill("#signup input[name=email]", who.email);
  await page.fill("#signup input[name=password]", "a-long-password-2026");
  await page.click("#signup button[type=submit]");
  await page.waitForSelector(`text=Signed in as ${who.name}`);
  return page;
}

/** Creates a gallery from the dashboard's list, as a photographer would; answers its id once its page shows. */
export async function createGallery(page: Page, title: string): Promise<string> {
  await page.fill(".inline-form input[name=title]", title);
  await page.click(".inline-form button[type=submit]");
  await page.waitForSelector(".dropzone");
  return /#\/g\/([\w-]+)/.exec(page.url())![1]!;
}

/** The demo's sample gallery once its twelve photos are through the pipeline: its address and path. */
export async function sampleGallery(loupe: Running): Promise<{ url: string; path: string }> {
  const url = /Sample gallery:\s+(\S+)/.exec(loupe.output())![1]!;
  const galleryPath = new URL(url).pathname;
  await expect
    .poll(async () => (await http(loupe.port, "GET", `demo.localhost:${loupe.port}`, galleryPath)).text.includes("12 photos"), {
      timeout: 90_000,
      interval: 500,
    })
    .toBe(true);
  return { url, path: galleryPath };
}

/** The demo studio's dashboard in a new page, signed in from the front page. */
export async function demoStudio(browser: Browser, port: number): Promise<Page> {
  const studio = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await studio.goto(`http://app.localhost:${port}/`);
  await studio.fill("#signin input[name=email]", "demo@loupe.localhost");
  await studio.fill("#signin input[name=password]", "demo-password-2026");
  await studio.click("#signin button[type=submit]");
  await studio.waitForSelector("text=Signed in as");
  return studio;
}
