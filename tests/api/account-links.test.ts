// Links Loupe mails to a photographer's own account, through the real mail queue and the fake
// provider: a forgotten password reset end to end, and the address confirmed at sign-up (until
// then mail to clients is held and payments wait). Dead, reused and forged links change nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newGallery } from "../helpers/galleries";
import { APP_HOST, CookieJar, call, expectError, freshIp, json, mailedLink, PASSWORD, signUp } from "../helpers/http";
import { sentTo, until } from "../helpers/mail";

const login = (email: string, password: string, jar = new CookieJar()) => call("POST", "/api/auth/login", { jar, ip: freshIp(), body: { email, password } });
const me = (jar: CookieJar) => call("GET", "/api/me", { jar });
const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;

describe("a forgotten password", () => {
  it("is reset through a mailed link once; the old password and every session stop working", async () => {
    const owner = await signUp("reset-flow");
    const laptop = new CookieJar();
    expect((await login(owner.email, PASSWORD, laptop)).status).toBe(200);

    const asked = await call("POST", "/api/auth/password/forgot", { ip: freshIp(), body: { email: owner.email.toUpperCase() } });
    expect(asked.status).toBe(202);
    const [mail] = await until(
      "the reset mail",
      () => sentTo(owner.email),
      (m) => m.some((x) => /Reset your Loupe password/.test(x.subject)),
    );
    const reset = (await sentTo(owner.email)).find((m) => /Reset/.test(m.subject))!;
    expect(mail).toBeDefined();
    const link = reset.text.match(/http:\/\/app\.localhost:8787\/reset\?token=[\w-]+/)![0];
    // The HTML twin carries the same link, escaped, in a button.
    expect(reset.html).toContain(`href="${link}"`);

    const page = await call("GET", pathOf(link), { host: APP_HOST });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Choose a new password");
    const token = new URL(link).searchParams.get("token");
    const short = await call("POST", "/api/auth/password/reset", { ip: freshIp(), body: { token, password: "short" } });
    await expectError(short, 400, "invalid_input", /password: must be at least 10 characters/);
    const done = await call("POST", "/api/auth/password/reset", { ip: freshIp(), body: { token, password: "a-brand-new-password" } });
    expect(done.status).toBe(200);
    expect(await json(done)).toEqual({ ok: true, email: owner.email });

    await expectError(await login(owner.email, PASSWORD), 401, "invalid_credentials");
    expect((await login(owner.email, "a-brand-new-password")).status).toBe(200);
    // Both earlier sign-ins ended with the reset.
    expect((await me(owner.jar)).status).toBe(401);
    expect((await me(laptop)).status).toBe(401);

    // The link is spent: the page says so, and using it again changes nothing.
    const again = await call("GET", pathOf(link), { host: APP_HOST });
    expect(again.status).toBe(410);
    expect(await again.text()).toMatch(/expired, was already used, or is not one Loupe sent\. Nothing was changed\./);
    const reuse = await call("POST", "/api/auth/password/reset", { ip: freshIp(), body: { token, password: "a-thief-s-password" } });
    await expectError(reuse, 410, "link_invalid", /password reset link has expired, was already used/);
    expect((await login(owner.email, "a-brand-new-password")).status).toBe(200);
  });

  it("answers the same for an unknown address, sends at most three links an hour, and refuses forged and expired links", async () => {
    const owner = await signUp("reset-limits");
    const unknown = await call("POST", "/api/auth/password/forgot", { ip: freshIp(), body: { email: "nobody@reset-limits.test" } });
    expect(unknown.status).toBe(202);
    for (let i = 0; i < 5; i++) {
      expect((await call("POST", "/api/auth/password/forgot", { ip: freshIp(), body: { email: owner.email } })).status).toBe(202);
    }
    const rows = await env.DIRECTORY.prepare("SELECT count(*) AS n FROM account_mail WHERE account_id = ? AND kind = 'password_reset'")
      .bind(owner.account.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(3);
    const forged = await call("GET", "/reset?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", { host: APP_HOST });
    expect(forged.status).toBe(410);
    expect((await call("GET", "/reset", { host: APP_HOST })).status).toBe(410);
    // An hour later the newest link is dead too.
    const link = await mailedLink(owner.account.id, "password_reset");
    await env.DIRECTORY.prepare("UPDATE account_tokens SET expires_at = ? WHERE account_id = ?")
      .bind(Date.now() - 1, owner.account.id)
      .run();
    const late = await call("POST", "/api/auth/password/reset", {
      ip: freshIp(),
      body: { token: new URL(link).searchParams.get("token"), password: "too-late-password" },
    });
    await expectError(late, 410, "link_invalid");
    expect((await login(owner.email, PASSWORD)).status).toBe(200);
  });
});

describe("a new studio's address", () => {
  it("holds mail to clients and payments until the owner confirms it through the mailed link", async () => {
    const owner = await signUp("confirm-flow", { confirm: false });
    expect(await json(await me(owner.jar))).toMatchObject({ emailVerified: false });
    const g = await newGallery(owner, { visibility: "password", password: "secret-pw" });
    const made = await call("POST", `/api/studios/${owner.studio.id}/galleries/${g.id}/invites`, {
      jar: owner.jar,
      body: { name: "Ana", email: "ana@confirm-flow.test" },
    });
    expect(made.status).toBe(201);
    const mailbox = () => call("GET", `/api/studios/${owner.studio.id}/store/mail`, { jar: owner.jar }).then(json);
    await until("the invite held", mailbox, (m) => m.mail[0]?.status === "held");
    expect(await sentTo("ana@confirm-flow.test")).toEqual([]);
    await expectError(
      await call("POST", `/api/studios/${owner.studio.id}/store/payments/connect`, { jar: owner.jar }),
      403,
      "email_unverified",
      /Confirm your email address first/,
    );

    const link = await mailedLink(owner.account.id, "verify_email");
    const page = await call("GET", pathOf(link), { host: APP_HOST });
    expect(await page.text()).toContain(`Confirm ${owner.email}`);
    const token = new URL(link).searchParams.get("token");
    expect(await json(await call("POST", "/api/auth/email/confirm", { ip: freshIp(), body: { token } }))).toEqual({ ok: true, email: owner.email });
    expect(await json(await me(owner.jar))).toMatchObject({ emailVerified: true });
    // The held invite goes out now, once.
    await until(
      "the invite sent",
      () => sentTo("ana@confirm-flow.test"),
      (m) => m.length === 1,
    );
    await until("the mailbox says sent", mailbox, (m) => m.mail[0]?.status === "sent");
    await expectError(await call("POST", "/api/auth/email/confirm", { ip: freshIp(), body: { token } }), 410, "link_invalid");
    // Nothing more to confirm.
    expect(await json(await call("POST", "/api/me/verification", { jar: owner.jar }))).toEqual({ sentTo: null });
  });
});
