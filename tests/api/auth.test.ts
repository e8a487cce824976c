import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MeResponse } from "../../worker/contract/studios";
import { CookieJar, call, freshIp, json, PASSWORD, signUp } from "../helpers/http";

const AT = "__Host-loupe_at";
const RT = "__Host-loupe_rt";

describe("session lifecycle", () => {
  it("sign-up → login → refresh rotation → reuse revokes the family → logout", async () => {
    const ip = freshIp();
    const { email, jar: signupJar } = await signUp("lifecycle", { ip });
    expect(signupJar.cookies.has(AT)).toBe(true);
    expect((await call("GET", "/api/me", { jar: signupJar })).status).toBe(200);

    const jar = new CookieJar();
    const login = await call("POST", "/api/auth/login", { jar, ip, body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const loginBody = await json<MeResponse>(login);
    expect(loginBody.studios.map((s) => s.tenant.slug)).toEqual(["lifecycle"]);
    for (const line of login.headers.getSetCookie()) {
      expect(line).toMatch(/HttpOnly/i);
      expect(line).toMatch(/Secure/i);
      expect(line).toMatch(/SameSite=Strict/i);
    }

    const firstRefresh = jar.cookies.get(RT)!;
    const stolen = jar.clone(); // an attacker's copy of the cookies as they are now

    const rotated = await call("POST", "/api/auth/refresh", { jar, ip });
    expect(rotated.status).toBe(200);
    expect(jar.cookies.get(RT)).not.toBe(firstRefresh);
    expect((await call("GET", "/api/me", { jar })).status).toBe(200);

    // The old refresh token comes back a minute later: the whole family dies, the rightful
    // device included. (Its use is moved back a minute in the database.)
    await env.DIRECTORY.prepare("UPDATE refresh_tokens SET used_at = used_at - 60000 WHERE used_at IS NOT NULL").run();
    const reuse = await call("POST", "/api/auth/refresh", { jar: stolen, ip });
    expect(reuse.status).toBe(401);
    expect((await json(reuse)).error.code).toBe("refresh_reused");
    expect((await call("GET", "/api/me", { jar })).status).toBe(401);
    expect((await call("POST", "/api/auth/refresh", { jar, ip })).status).toBe(401);

    // The sign-up session was another family and is unaffected; logging it out ends it at once.
    expect((await call("GET", "/api/me", { jar: signupJar })).status).toBe(200);
    const keep = signupJar.clone();
    const logout = await call("POST", "/api/auth/logout", { jar: signupJar, ip });
    expect(logout.status).toBe(200);
    expect(signupJar.cookies.size).toBe(0);
    expect((await call("GET", "/api/me", { jar: keep })).status).toBe(401);
    expect((await call("POST", "/api/auth/refresh", { jar: keep, ip })).status).toBe(401);
  });

  it("gives unknown email and wrong password the same answer", async () => {
    const ip = freshIp();
    const { email } = await signUp("same-answer", { ip });
    const wrong = await call("POST", "/api/auth/login", { ip, body: { email, password: "not the password" } });
    const unknown = await call("POST", "/api/auth/login", { ip, body: { email: "nobody@example.test", password: "not the password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await json(wrong), await json(unknown)];
    expect(a.error).toEqual(b.error);
  });
});

describe("concurrency", () => {
  it("two tabs refreshing at once both stay signed in", async () => {
    const { jar } = await signUp("two-tabs");
    const ip = freshIp();
    const [a, b] = [jar.clone(), jar.clone()];
    const [ra, rb] = await Promise.all([call("POST", "/api/auth/refresh", { jar: a, ip }), call("POST", "/api/auth/refresh", { jar: b, ip })]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect((await call("GET", "/api/me", { jar: a })).status).toBe(200);
    expect((await call("GET", "/api/me", { jar: b })).status).toBe(200);
    expect((await call("POST", "/api/auth/refresh", { jar: a, ip })).status).toBe(200);
  });

  it("parallel guesses get at most five password checks, and the lock holds against the right password", async () => {
    const { email } = await signUp("parallel-guess");
    const guesses = await Promise.all(
      Array.from({ length: 12 }, () => call("POST", "/api/auth/login", { ip: freshIp(), body: { email, password: "wrong password" } })),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.every((s) => s === 401 || s === 423)).toBe(true);
    const row = await env.DIRECTORY.prepare("SELECT failed_logins FROM accounts WHERE email = ?").bind(email).first<{ failed_logins: number }>();
    expect(row!.failed_logins).toBe(5);
    expect((await call("POST", "/api/auth/login", { ip: freshIp(), body: { email, password: PASSWORD } })).status).toBe(423);
  });

  it("logout works after the access token has expired", async () => {
    const { jar } = await signUp("late-logout");
    const onlyRefresh = new CookieJar();
    onlyRefresh.cookies.set(RT, jar.cookies.get(RT)!);
    const out = await call("POST", "/api/auth/logout", { jar: onlyRefresh, ip: freshIp() });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/__Host-loupe_rt=;/);
    expect((await call("POST", "/api/auth/refresh", { jar, ip: freshIp() })).status).toBe(401);
    expect((await call("GET", "/api/me", { jar })).status).toBe(401);
  });
});

describe("access tokens", () => {
  it("refuses a forged or tampered access token", async () => {
    const { jar } = await signUp("forged-token");
    const token = jar.cookies.get(AT)!;
    const [h, p] = token.split(".");
    const claims = JSON.parse(atob(p!.replace(/-/g, "+").replace(/_/g, "/")));
    const forgedPayload = btoa(JSON.stringify({ ...claims, sub: "a_someoneelse" }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    const forged = new CookieJar();
    forged.cookies.set(AT, `${h}.${forgedPayload}.${token.split(".")[2]}`);
    expect((await call("GET", "/api/me", { jar: forged })).status).toBe(401);
    const none = new CookieJar();
    none.cookies.set(AT, `${btoa('{"alg":"none"}').replace(/=+$/, "")}.${p}.`);
    expect((await call("GET", "/api/me", { jar: none })).status).toBe(401);
    expect((await call("GET", "/api/me", { jar })).status).toBe(200);
  });
});

describe("lockout and rate limit", () => {
  it("locks an account after five failures and says for how long", async () => {
    const ip = freshIp();
    const { email } = await signUp("lockme", { ip });
    for (let i = 0; i < 4; i++) {
      const r = await call("POST", "/api/auth/login", { ip, body: { email, password: "wrong password" } });
      expect(r.status).toBe(401);
    }
    const fifth = await call("POST", "/api/auth/login", { ip, body: { email, password: "wrong password" } });
    expect(fifth.status).toBe(423);
    // Even the right password is refused while locked.
    const right = await call("POST", "/api/auth/login", { ip, body: { email, password: PASSWORD } });
    expect(right.status).toBe(423);
    const body = await json(right);
    expect(body.error.code).toBe("account_locked");
    expect(body.error.message).toMatch(/15 minutes/);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(800);

    // Fifteen minutes later (moved back in the database), the right password works again and
    // the count starts over: one more failure does not re-lock.
    await env.DIRECTORY.prepare("UPDATE accounts SET locked_until = ? WHERE email = ?")
      .bind(Date.now() - 1000, email)
      .run();
    const again = await call("POST", "/api/auth/login", { ip, body: { email, password: "wrong password" } });
    expect(again.status).toBe(401);
    expect((await call("POST", "/api/auth/login", { ip, body: { email, password: PASSWORD } })).status).toBe(200);
  });

  it("answers 429 with Retry-After once an IP spends its auth budget, and other IPs are unaffected", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await call("POST", "/api/auth/login", { ip, body: { email: "spray@example.test", password: "whatever" } });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(limited, `statuses: ${statuses.join(",")}`).toBeDefined();
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(10);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await json(limited!)).error.code).toBe("rate_limited");
    const other = await call("POST", "/api/auth/login", { ip: freshIp(), body: { email: "spray@example.test", password: "whatever" } });
    expect(other.status).toBe(401);
  });
});
