// A newcomer's path: the README's start command brings up Loupe with a demo studio that answers
// at demo.localhost, and the printed demo login works in a real browser.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { http } from "./server";
import { loupeAndChromium, shots } from "./stage";

const repo = path.resolve(__dirname, "../..");
const stage = loupeAndChromium();

describe("newcomer", () => {
  it("the README gives the two commands this test runs", () => {
    const readme = readFileSync(path.join(repo, "README.md"), "utf8");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });

  it("npm start prints the dashboard, the demo studio and a demo login", () => {
    const out = stage.loupe.output();
    expect(out).toMatch(new RegExp(`Dashboard:\\s+http://app\\.localhost:${stage.loupe.port}`));
    expect(out).toMatch(new RegExp(`Demo studio:\\s+http://demo\\.localhost:${stage.loupe.port}`));
    expect(out).toMatch(new RegExp(`Sample gallery:\\s+http://demo\\.localhost:${stage.loupe.port}/g/g_\\w+`));
    expect(out).toMatch(/Demo login:\s+demo@loupe\.localhost \/ \S+/);
  });

  it("the demo studio answers at demo.localhost with its name", async () => {
    const res = await http(stage.loupe.port, "GET", `demo.localhost:${stage.loupe.port}`, "/");
    expect(res.status).toBe(200);
    expect(res.text).toContain("<h1>Demo Studio</h1>");
    const ready = await http(stage.loupe.port, "GET", `demo.localhost:${stage.loupe.port}`, "/readyz");
    expect(JSON.parse(ready.text).status).toBe("ready");
    const unknown = await http(stage.loupe.port, "GET", `nobody.localhost:${stage.loupe.port}`, "/");
    expect(unknown.status).toBe(404);
  });

  it("the sample gallery's twelve photos go through the real pipeline and show in Chromium", async () => {
    const url = /Sample gallery:\s+(\S+)/.exec(stage.loupe.output())![1]!;
    const pathname = new URL(url).pathname;
    const deadline = Date.now() + 90_000;
    let html = "";
    while (Date.now() < deadline) {
      html = (await http(stage.loupe.port, "GET", `demo.localhost:${stage.loupe.port}`, pathname)).text;
      if (html.includes("12 photos")) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(html).toContain("Ana &amp; Luis — Wedding");
    expect(html).toContain("12 photos");
    const page = await stage.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>(".grid img")];
      return imgs.length === 12 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    // The sets, in order (the favourites view is hidden until asked for).
    expect(await page.locator(".photo-set:not([hidden]) h2").allTextContents()).toEqual(["Getting ready", "Ceremony", "Reception"]);
    await page.screenshot({ path: path.join(shots, "sample-gallery.png"), fullPage: true });
    await page.close();
  });

  it("in Chromium: the studio site renders, and the demo login signs in and survives a reload", async () => {
    const [, email, password] = /Demo login:\s+(\S+) \/ (\S+)/.exec(stage.loupe.output())!;
    const page = await stage.browser.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(`http://demo.localhost:${stage.loupe.port}/`);
    expect(await page.locator("h1").textContent()).toBe("Demo Studio");
    // The stylesheet loaded (CSP allows it): the header is centred.
    expect(await page.locator(".studio-header").evaluate((el) => getComputedStyle(el).textAlign)).toBe("center");
    await page.screenshot({ path: path.join(shots, "demo-studio.png") });

    await page.goto(`http://app.localhost:${stage.loupe.port}/`);
    await page.fill("#signin input[name=email]", email!);
    await page.fill("#signin input[name=password]", "wrong password!");
    await page.click("#signin button[type=submit]");
    await expect.poll(() => page.locator("#signin-result").textContent()).toContain("Email or password is incorrect");
    await page.fill("#signin input[name=password]", password!);
    await page.click("#signin button[type=submit]");
    await page.waitForSelector("text=Signed in as Dana Demo");
    await page.reload();
    await page.waitForSelector("text=Signed in as Dana Demo");
    expect(await page.locator("#signin a[href*='demo.localhost']").first().textContent()).toBe(`demo.localhost:${stage.loupe.port}`);
    await page.screenshot({ path: path.join(shots, "dashboard-signed-in.png") });
    await page.close();
  });
});
