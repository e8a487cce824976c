// The studio's daily screens in Chromium against `npm start`, with local fakes of the mail provider
// and of Cloudflare's custom-hostname API (the same ones the workerd tests use): confirming the
// address, the website with its logo, cover and own domain, defaults for new galleries, the mail
// previews, a team invite accepted in a fresh browser, a forgotten password, and two-factor sign-in.
import type { Server } from "node:http";
import path from "node:path";
import { TOTP } from "otpauth";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { FAKE_CF_TOKEN, FAKE_CF_ZONE, startFakeCloudflare } from "../setup/fake-cloudflare";
import { startFakeMail } from "../setup/fake-mail";
import { http } from "./server";
import { createGallery, loupeAndChromium, shots, signUpStudio } from "./stage";

const fakes: { mail?: string; cloudflare?: string; servers: Server[] } = { servers: [] };
const stage = loupeAndChromium(async () => {
  const mail = await startFakeMail();
  const cloudflare = await startFakeCloudflare();
  fakes.mail = mail.url;
  fakes.cloudflare = cloudflare.url;
  fakes.servers.push(mail.server, cloudflare.server);
  return {
    EMAIL_API_URL: `${mail.url}/emails`,
    EMAIL_API_KEY: "re_test_loupe_fake",
    CF_API_URL: cloudflare.url,
    CF_ZONE_ID: FAKE_CF_ZONE,
    CF_API_TOKEN: FAKE_CF_TOKEN,
    CUSTOM_DOMAIN_TARGET: "domains.loupe.test",
  };
});
afterAll(() => {
  for (const s of fakes.servers) s.close();
});

const app = () => `http://app.localhost:${stage.loupe.port}`;
const PASSWORD = "a-long-password-2026";

/** The link in the newest mail to `to` whose subject matches, once the provider has it. */
async function mailedLink(to: string, subject: RegExp): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const sent = (await (await fetch(`${fakes.mail}/__sent`)).json()) as { to: string[]; subject: string; text: string }[];
    const mail = sent.filter((m) => m.to.includes(to) && subject.test(m.subject)).at(-1);
    const link = mail && /http:\/\/\S+/.exec(mail.text)?.[0];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}: ${JSON.stringify(sent.map((m) => [m.to, m.subject]))}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Opens a mailed link's page and sends its form (confirm, reset, accept). */
async function followLink(page: Page, link: string, fill: Record<string, string> = {}) {
  await page.goto(link);
  for (const [name, value] of Object.entries(fill)) await page.fill(`form[data-action] input[name=${name}]`, value);
  await page.click("form[data-action] button[type=submit]");
}

/**
 * Signs in from the front page and says what came of it. Every browser here shares one address, so
 * the per-IP sign-in budget can run out mid-test: then it waits as long as the page says, as a
 * person would, and tries again.
 */
async function signIn(page: Page, email: string, password: string): Promise<"in" | "second-factor" | "refused"> {
  for (let attempt = 0; ; attempt++) {
    await page.goto(app());
    await page.fill("#signin input[name=email]", email);
    await page.fill("#signin input[name=password]", password);
    await page.click("#signin button[type=submit]");
    const outcome = await (
      await page.waitForFunction(() => {
        if (document.querySelector("#second-factor")) return "second-factor";
        if (document.body.textContent?.includes("Signed in as")) return "in";
        const said = document.querySelector("#signin-result.error");
        return said ? `refused:${said.textContent}` : null;
      })
    ).jsonValue();
    const wait = /wait (\d+) seconds/.exec(String(outcome));
    if (wait && attempt < 2) {
      await page.waitForTimeout((Number(wait[1]) + 1) * 1000);
      continue;
    }
    return String(outcome).startsWith("refused") ? "refused" : (outcome as "in" | "second-factor");
  }
}

describe("the studio's daily loop", () => {
  const owner = { studioName: "Fern & Field", slug: "fern", name: "Flora Fern", email: "flora@fern.test" };
  let page: Page;

  it("confirms the address, then brands the website, adds its own domain, and previews its mail", { timeout: 180_000 }, async () => {
    page = await signUpStudio(stage.browser, stage.loupe.port, owner);
    const confirm = await (await stage.browser.newContext()).newPage();
    await followLink(confirm, await mailedLink(owner.email, /Confirm your email/));
    await confirm.waitForSelector("text=flora@fern.test is confirmed");

    await page.goto(`${app()}/#/website`);
    await page.fill(".website-form input[name=tagline]", "Gardens, weddings and the people in them");
    await page.click(".website-form button[type=submit]");
    await page.waitForSelector("text=Saved: your website and your mail use it now.");
    const files = page.locator(".brand-field input[type=file]");
    await files.nth(0).setInputFiles(path.resolve(__dirname, "../fixtures/logo.png"));
    await page.waitForSelector("text=Logo saved");
    const cover = await sharp({ create: { width: 1800, height: 1000, channels: 3, background: { r: 60, g: 110, b: 70 } } })
      .jpeg()
      .toBuffer();
    await files.nth(1).setInputFiles({ name: "garden.jpg", mimeType: "image/jpeg", buffer: cover });
    await page.waitForSelector("text=Home-page cover saved");

    await page.fill(".domains input[name=hostname]", "https://not a domain/");
    await page.click(".domains button[type=submit]");
    await page.waitForSelector(".domains .error:has-text('hostname')");
    await page.fill(".domains input[name=hostname]", "photos.fernfield.test");
    await page.click(".domains button[type=submit]");
    await page.waitForSelector(".domain-pending td:has-text('domains.loupe.test')");
    // Not serving while pending.
    expect((await http(stage.loupe.port, "GET", "photos.fernfield.test", "/")).status).toBe(404);
    await fetch(`${fakes.cloudflare}/__set`, {
      method: "POST",
      body: JSON.stringify({ hostname: "photos.fernfield.test", status: "active", sslStatus: "active" }),
    });
    await page.click(".domain button:has-text('Check now')");
    await page.waitForSelector(".domain-serving .badge:has-text('serving')");
    await page.screenshot({ path: path.join(shots, "studio-website.png"), fullPage: true });
    const onDomain = await http(stage.loupe.port, "GET", "photos.fernfield.test", "/");
    expect(onDomain.status).toBe(200);
    expect(onDomain.text).toContain("Gardens, weddings and the people in them");

    const site = await (await stage.browser.newContext()).newPage();
    await site.goto(`http://fern.localhost:${stage.loupe.port}/`);
    await site.waitForSelector("header.with-cover .studio-logo");
    expect(await site.$eval("header .studio-logo", (img) => (img as HTMLImageElement).naturalWidth)).toBe(240);
    await site.screenshot({ path: path.join(shots, "studio-home.png") });

    await page.goto(`${app()}/#/store/mail`);
    await page.waitForSelector(".mail-previews iframe");
    await page.selectOption(".mail-previews select", { label: "A client you invite to a gallery" });
    const frame = page.frameLocator(".mail-previews iframe");
    await expect.poll(() => frame.locator("body").textContent()).toContain("Fern & Field: your photos from");
    await page.screenshot({ path: path.join(shots, "studio-mail-preview.png"), fullPage: true });
  });

  it("starts new galleries with the studio's defaults", async () => {
    await page.goto(`${app()}/#/gallery-defaults`);
    await page.fill(".defaults-form input[name=expiresInDays]", "30");
    await page.selectOption(".defaults-form select[name=downloadMode]", "web");
    await page.fill(".defaults-form input[name=maxPerList]", "40");
    await page.click(".defaults-form button[type=submit]");
    await page.waitForSelector("text=Saved: galleries you make from now on start like this.");
    await page.goto(`${app()}/#/`);
    await createGallery(page, "Beech Wedding");
    await page.click(".tabs a:has-text('Settings')");
    await page.waitForSelector("select[name=downloads]");
    expect(await page.inputValue("select[name=downloads]")).toBe("web");
    expect(await page.inputValue("input[name=expiresAt]")).not.toBe("");
  });

  it("invites staff by mail; they join from a fresh browser and cannot change what stays with the owners", async () => {
    await page.goto(`${app()}/#/team`);
    await page.fill("#team-invite input[name=email]", "sam@fern.test");
    await page.click("#team-invite button[type=submit]");
    await page.waitForSelector("text=Invite mailed to sam@fern.test");
    const staff = await (await stage.browser.newContext()).newPage();
    await followLink(staff, await mailedLink("sam@fern.test", /invites you to Fern & Field/), { name: "Sam Ash", password: "sams-password-2026" });
    await staff.waitForSelector("text=Signed in as Sam Ash");
    await staff.goto(`${app()}/#/website`);
    await staff.waitForSelector("text=Only the studio's owners change the website.");
    expect(await staff.locator(".website-form button[type=submit]").count()).toBe(0);
    await staff.goto(`${app()}/#/team`);
    await staff.waitForSelector("text=stay with the owners");
  });

  it("resets a forgotten password through the mailbox, ends the other sessions, and signs in with two factors", { timeout: 240_000 }, async () => {
    const phone = await (await stage.browser.newContext()).newPage();
    await phone.goto(`${app()}/forgot`);
    await phone.fill("form[data-action] input[name=email]", owner.email);
    await phone.click("form[data-action] button[type=submit]");
    await followLink(phone, await mailedLink(owner.email, /Reset your Loupe password/), { password: "a-brand-new-password" });
    await phone.waitForSelector("text=every other sign-in has ended");
    // The session on the first browser has ended.
    await page.goto(`${app()}/#/`);
    await page.reload();
    await page.waitForSelector("#signin");
    expect(await signIn(page, owner.email, PASSWORD)).toBe("refused");
    expect(await page.locator("#signin-result").textContent()).toMatch(/not right|Wrong|incorrect|invalid/i);
    expect(await signIn(page, owner.email, "a-brand-new-password")).toBe("in");
    await page.waitForSelector("text=Signed in as Flora Fern");

    await page.goto(`${app()}/#/account`);
    await page.click("#two-factor button:has-text('Set up an authenticator app')");
    const secret = ((await page.locator("#two-factor code.secret").textContent()) ?? "").replace(/\s/g, "");
    const totp = new TOTP({ secret, digits: 6, period: 30 });
    await page.fill("#two-factor input[name=code]", totp.generate());
    await page.fill("#two-factor input[name=password]", "a-brand-new-password");
    await page.click("#two-factor button:has-text('Turn on')");
    await page.waitForSelector(".recovery-codes li");
    await page.screenshot({ path: path.join(shots, "studio-two-factor.png"), fullPage: true });

    const laptop = await (await stage.browser.newContext()).newPage();
    expect(await signIn(laptop, owner.email, "a-brand-new-password")).toBe("second-factor");
    // The step can be left for the start.
    expect(await laptop.locator("#second-factor a[href='/']").count()).toBe(1);
    // A code of the next time step: the one used to turn it on cannot sign in twice.
    await laptop.fill("#second-factor input[name=code]", totp.generate({ timestamp: Date.now() + 30_000 }));
    await laptop.click("#second-factor button[type=submit]");
    await laptop.waitForSelector("text=Signed in as Flora Fern");
  });
});
