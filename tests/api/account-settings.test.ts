// The photographer's own account: two-factor sign-in with an authenticator app and recovery codes,
// a password change that ends the other sign-ins, sessions seen and ended, and a new address that
// takes effect only once confirmed. A wrong second factor counts toward the same lockout.
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import type { RecoveryCodes, SessionsResponse, TwoFactorSetup } from "../../worker/contract/account";
import { MAX_FAILED_LOGINS } from "../../worker/domain/accounts/lockout";
import { CookieJar, call, expectError, freshIp, json, mailedLink, PASSWORD, signUp } from "../helpers/http";
import { sentTo, until } from "../helpers/mail";

const login = (email: string, password: string, jar = new CookieJar(), ip = freshIp()) =>
  call("POST", "/api/auth/login", { jar, ip, body: { email, password } });
const me = (jar: CookieJar) => call("GET", "/api/me", { jar });
const codeAt = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), period: 30, digits: 6, algorithm: "SHA1" }).generate({ timestamp });

describe("two-factor sign-in", () => {
  it("is set up with an app's code; sign-in then needs a code or a recovery code, each good once", async () => {
    const owner = await signUp("two-factor");
    const setup = await json<TwoFactorSetup>(await call("POST", "/api/me/two-factor/setup", { jar: owner.jar }));
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Loupe:two-factor%40example\.test\?/);
    await expectError(
      await call("POST", "/api/me/two-factor/enable", { jar: owner.jar, body: { code: "12345", password: PASSWORD } }),
      400,
      "invalid_input",
      /code: must be the 6 digits/,
    );
    // A session alone cannot turn it on: the password is asked too.
    const noPassword = await call("POST", "/api/me/two-factor/enable", {
      jar: owner.jar,
      body: { code: codeAt(setup.secret, Date.now()), password: "not-the-password" },
    });
    await expectError(noPassword, 401, "invalid_credentials", /password: is not your current password/);
    const wrong = codeAt(setup.secret, Date.now() + 10 * 60_000);
    await expectError(
      await call("POST", "/api/me/two-factor/enable", { jar: owner.jar, body: { code: wrong, password: PASSWORD } }),
      400,
      "invalid_input",
      /not the code your app shows/,
    );
    const enabled = await call("POST", "/api/me/two-factor/enable", { jar: owner.jar, body: { code: codeAt(setup.secret, Date.now()), password: PASSWORD } });
    const { recoveryCodes } = await json<RecoveryCodes>(enabled);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await json(await call("GET", "/api/me/security", { jar: owner.jar }))).toMatchObject({ twoFactor: { enabled: true, recoveryCodesLeft: 10 } });

    // The password alone no longer signs in: it earns a challenge and no session.
    const ip = freshIp();
    const jar = new CookieJar();
    const first = await json(await login(owner.email, PASSWORD, jar, ip));
    expect(first).toEqual({ secondFactor: true, challenge: expect.any(String) });
    expect((await me(jar)).status).toBe(401);
    const next = codeAt(setup.secret, Date.now() + 30_000);
    const step = (body: object) => call("POST", "/api/auth/login/second-factor", { jar, ip, body: { challenge: first.challenge, ...body } });
    expect((await step({ code: next })).status).toBe(200);
    expect(await json(await me(jar))).toMatchObject({ account: { email: owner.email } });
    // The same code a second time is refused, even with a fresh challenge.
    const again = await json(await login(owner.email, PASSWORD, new CookieJar(), ip));
    const reused = await call("POST", "/api/auth/login/second-factor", { ip, body: { challenge: again.challenge, code: next } });
    await expectError(reused, 401, "invalid_credentials", /not right, or was used already/);
    // A recovery code works once, whatever its case or dashes.
    const recovery = recoveryCodes[0]!.toUpperCase().replace("-", " ");
    const byRecovery = await call("POST", "/api/auth/login/second-factor", { ip, body: { challenge: again.challenge, recoveryCode: recovery } });
    expect(byRecovery.status).toBe(200);
    await expectError(
      await call("POST", "/api/auth/login/second-factor", { ip, body: { challenge: again.challenge, recoveryCode: recovery } }),
      401,
      "invalid_credentials",
    );
    expect(await json(await call("GET", "/api/me/security", { jar: owner.jar }))).toMatchObject({ twoFactor: { recoveryCodesLeft: 9 } });
    // A forged challenge gets nothing.
    await expectError(
      await call("POST", "/api/auth/login/second-factor", { ip, body: { challenge: "x".repeat(40), code: "123456" } }),
      401,
      "invalid_credentials",
      /enter your password again/,
    );
  });

  it("counts wrong codes toward the lockout, from the network that tried them", async () => {
    const owner = await signUp("two-factor-lock");
    const { secret } = await json<TwoFactorSetup>(await call("POST", "/api/me/two-factor/setup", { jar: owner.jar }));
    await call("POST", "/api/me/two-factor/enable", { jar: owner.jar, body: { code: codeAt(secret, Date.now()), password: PASSWORD } });
    const ip = freshIp();
    const { challenge } = await json(await login(owner.email, PASSWORD, new CookieJar(), ip));
    const guess = () => call("POST", "/api/auth/login/second-factor", { ip, body: { challenge, code: "000000" } });
    // The right password without its second factor counted as the first failure.
    for (let i = 2; i < MAX_FAILED_LOGINS; i++) expect((await guess()).status).toBe(401);
    await expectError(await guess(), 423, "account_locked");
    // The right code from the same network waits too; the owner's own browser is another matter (lockout.test.ts).
    await expectError(
      await call("POST", "/api/auth/login/second-factor", { ip, body: { challenge, code: codeAt(secret, Date.now() + 30_000) } }),
      423,
      "account_locked",
    );
  });
});

describe("the account page", () => {
  it("changes the password with the current one, ending the other sign-ins but not this one", async () => {
    const owner = await signUp("change-password");
    const phone = new CookieJar();
    expect((await login(owner.email, PASSWORD, phone)).status).toBe(200);
    const sessions = await json<SessionsResponse>(await call("GET", "/api/me/sessions", { jar: owner.jar }));
    expect(sessions.sessions).toHaveLength(2);
    expect(sessions.sessions.filter((s) => s.current)).toHaveLength(1);
    const wrong = await call("POST", "/api/me/password", { jar: owner.jar, body: { current: "not-it-at-all", password: "a-new-password-2026" } });
    await expectError(wrong, 401, "invalid_credentials", /current: is not your current password/);
    expect((await call("POST", "/api/me/password", { jar: owner.jar, body: { current: PASSWORD, password: "a-new-password-2026" } })).status).toBe(200);
    expect((await me(owner.jar)).status).toBe(200);
    expect((await me(phone)).status).toBe(401);
    expect((await login(owner.email, "a-new-password-2026")).status).toBe(200);
  });

  it("lists sessions and ends one, or all the others; another account's session is not found", async () => {
    const a = await signUp("sessions-a");
    const b = await signUp("sessions-b");
    const laptop = new CookieJar();
    await login(a.email, PASSWORD, laptop);
    const tablet = new CookieJar();
    await login(a.email, PASSWORD, tablet);
    const list = (jar: CookieJar) => call("GET", "/api/me/sessions?limit=2", { jar }).then((r) => json<SessionsResponse>(r));
    const page = await list(a.jar);
    expect(page.sessions).toHaveLength(2);
    expect(page.next).not.toBeNull();
    const rest = await json<SessionsResponse>(await call("GET", `/api/me/sessions?limit=2&cursor=${page.next}`, { jar: a.jar }));
    expect(rest.sessions).toHaveLength(1);
    const all = [...page.sessions, ...rest.sessions];
    const bSession = (await list(b.jar)).sessions[0]!;
    await expectError(await call("DELETE", `/api/me/sessions/${bSession.id}`, { jar: a.jar }), 404, "not_found");
    expect((await me(b.jar)).status).toBe(200);
    const laptopSession = (await json<SessionsResponse>(await call("GET", "/api/me/sessions", { jar: laptop }))).sessions.find((s) => s.current)!;
    expect(all.map((s) => s.id)).toContain(laptopSession.id);
    expect((await call("DELETE", `/api/me/sessions/${laptopSession.id}`, { jar: a.jar })).status).toBe(204);
    expect((await me(laptop)).status).toBe(401);
    expect(await json(await call("POST", "/api/me/sessions/end-others", { jar: a.jar }))).toEqual({ ended: 1 });
    expect((await me(tablet)).status).toBe(401);
    expect((await me(a.jar)).status).toBe(200);
  });

  it("changes the address only once the new one is confirmed", async () => {
    const owner = await signUp("change-email");
    const other = await signUp("change-email-other");
    await expectError(
      await call("POST", "/api/me/email", { jar: owner.jar, body: { email: other.email, password: PASSWORD } }),
      409,
      "email_taken",
      /belongs to another Loupe account/,
    );
    await expectError(
      await call("POST", "/api/me/email", { jar: owner.jar, body: { email: "new@change-email.test", password: "wrong-password" } }),
      401,
      "invalid_credentials",
    );
    // A reset link to the old address, asked before the change.
    await call("POST", "/api/auth/password/forgot", { ip: freshIp(), body: { email: owner.email } });
    const oldReset = new URL(await mailedLink(owner.account.id, "password_reset")).searchParams.get("token");
    const asked = await call("POST", "/api/me/email", { jar: owner.jar, body: { email: "New@Change-Email.test", password: PASSWORD } });
    expect(asked.status).toBe(202);
    expect(await json(asked)).toEqual({ pendingEmail: "new@change-email.test" });
    expect(await json(await me(owner.jar))).toMatchObject({ account: { email: owner.email } });
    const link = await mailedLink(owner.account.id, "verify_email");
    const token = new URL(link).searchParams.get("token");
    expect(await json(await call("POST", "/api/auth/email/confirm", { ip: freshIp(), body: { token } }))).toEqual({ ok: true, email: "new@change-email.test" });
    expect(await json(await me(owner.jar))).toMatchObject({ account: { email: "new@change-email.test" }, emailVerified: true });
    expect((await login("new@change-email.test", PASSWORD)).status).toBe(200);
    await expectError(await login(owner.email, PASSWORD), 401, "invalid_credentials");
    // The old address is told, and told where the account went.
    const told = await until(
      "the notice to the old address",
      async () => (await sentTo(owner.email)).filter((m) => m.subject === "Your Loupe sign-in address changed"),
      (m) => m.length === 1,
    );
    expect(told[0]!.text).toContain("is now new@change-email.test");
    // Whoever still reads the old mailbox cannot use its reset link any more.
    await expectError(
      await call("POST", "/api/auth/password/reset", { ip: freshIp(), body: { token: oldReset, password: "a-takeover-password" } }),
      410,
      "link_invalid",
    );
  });
});
