// A studio that has been in business a while, in Chromium against wrangler dev: 150 galleries.
// The list shows the newest first and loads the rest as it scrolls; a search finds one by its
// client; nothing is hidden behind an error.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loupeAndChromium, shots } from "./stage";

const stage = loupeAndChromium();
const GALLERIES = 150;
const pad = (i: number) => String(i).padStart(3, "0");

describe("the dashboard at volume", () => {
  it(`lists ${GALLERIES} galleries page by page as it scrolls, and finds one by its client`, { timeout: 240_000 }, async () => {
    const app = `http://app.localhost:${stage.loupe.port}`;
    const page = await stage.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(app);
    await page.fill("#signup input[name=studioName]", "Volume Studio");
    await page.fill("#signup input[name=slug]", "volume");
    await page.fill("#signup input[name=name]", "Val Volume");
    await page.fill("#signup input[name=email]", "val@volume.test");
    await page.fill("#signup input[name=password]", "a-long-password-2026");
    await page.click("#signup button[type=submit]");
    await page.waitForSelector("text=Signed in as Val Volume");

    // The page's own session makes the galleries, as the dashboard's form would, one by one
    // (in the page: Node's fetch cannot resolve *.localhost).
    const made = await page.evaluate(async (n) => {
      const me = await (await fetch("/api/me")).json();
      const studioId = me.studios[0].tenant.id as string;
      const pad = (i: number) => String(i).padStart(3, "0");
      const statuses: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await fetch(`/api/studios/${studioId}/galleries`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: `Wedding ${pad(i)}`, clientName: `Client ${pad(i)}`, clientEmail: `client${pad(i)}@volume.test` }),
        });
        statuses.push(res.status);
      }
      return statuses;
    }, GALLERIES);
    expect(made.filter((s) => s !== 201)).toEqual([]);

    await page.reload();
    await page.waitForSelector(".gallery-list li");
    const shown = () => page.locator(".gallery-list li").count();
    expect(await shown()).toBe(50);
    await expect.poll(() => page.locator(".gallery-list li").first().textContent()).toContain(`Wedding ${pad(GALLERIES - 1)}`);
    for (let tries = 0; (await shown()) < GALLERIES && tries < 20; tries++) {
      await page.mouse.wheel(0, 20_000);
      await page.waitForTimeout(300);
    }
    expect(await shown()).toBe(GALLERIES);
    expect(await page.locator(".gallery-list li").last().textContent()).toContain("Wedding 000");
    expect(await page.locator(".paged .error").count()).toBe(0);
    await page.screenshot({ path: path.join(shots, "dashboard-galleries-volume.png") });

    await page.fill("input[name=q]", "client077@volume");
    await expect.poll(() => page.locator(".gallery-list li").count()).toBe(1);
    expect(await page.locator(".gallery-list li").textContent()).toContain("Wedding 077");
    await page.fill("input[name=q]", "nobody by this name");
    await page.waitForSelector("text=No gallery matches");
    await page.screenshot({ path: path.join(shots, "dashboard-galleries-search.png") });
  });
});
