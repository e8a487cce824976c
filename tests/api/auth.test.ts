import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { networkOf } from "../../worker/contract/network";
import type { MeResponse } from "../../worker/contract/studios";
import { CookieJar, call, freshIp, json, PASSWORD, signUp, studioHost } from "../helpers/http";

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

  it("parallel guesses from one network get at most five password checks, and the lock holds against the right password", async () => {
    const { email } = await signUp("parallel-guess");
    const ip = freshIp();
    const guesses = await Promise.all(Array.from({ length: 12 }, () => call("POST", "/api/auth/login", { ip, body: { email, password: "wrong password" } })));
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.every((s) => s === 401 || s === 423)).toBe(true);
    const row = await env.DIRECTORY.prepare("SELECT failures FROM login_locks WHERE subject = ? AND account_id = (SELECT id FROM accounts WHERE email = ?)")
      .bind(`ip:${ip}`, email)
      .first<{ failures: number }>();
    expect(row!.failures).toBe(5);
    expect((await call("POST", "/api/auth/login", { ip, body: { email, password: PASSWORD } })).status).toBe(423);
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
    await env.DIRECTORY.prepare("UPDATE login_locks SET locked_until = ? WHERE account_id = (SELECT id FROM accounts WHERE email = ?)")
      .bind(Date.now() - 1000, email)
      .run();
    const again = await call("POST", "/api/auth/login", { ip, body: { email, password: "wrong password" } });
    expect(again.status).toBe(401);
    expect((await call("POST", "/api/auth/login", { ip, body: { email, password: PASSWORD } })).status).toBe(200);
  });

  it("a stranger who knows the owner's email cannot lock the owner out of the browser they use", async () => {
    const ownerIp = freshIp();
    const { email } = await signUp("no-lock-weapon", { ip: ownerIp });
    // The owner signs in once from their own browser: it is known from then on.
    const browser = new CookieJar();
    expect((await call("POST", "/api/auth/login", { ip: ownerIp, jar: browser, body: { email, password: PASSWORD } })).status).toBe(200);
    expect(browser.cookies.has("__Host-loupe_dev")).toBe(true);
    // Five wrong passwords from one stranger's network lock that network only.
    const stranger = freshIp();
    for (let i = 0; i < 5; i++) await call("POST", "/api/auth/login", { ip: stranger, body: { email, password: "wrong password" } });
    expect((await call("POST", "/api/auth/login", { ip: stranger, body: { email, password: PASSWORD } })).status).toBe(423);
    expect((await call("POST", "/api/auth/login", { ip: freshIp(), body: { email, password: PASSWORD } })).status).toBe(200);
    // From ten networks, fifty failures lock out every browser the account does not know...
    for (let n = 0; n < 9; n++) {
      const ip = freshIp();
      await Promise.all(Array.from({ length: 5 }, () => call("POST", "/api/auth/login", { ip, body: { email, password: "wrong password" } })));
    }
    const unknown = await call("POST", "/api/auth/login", { ip: freshIp(), body: { email, password: PASSWORD } });
    expect(unknown.status).toBe(423);
    expect((await json(unknown)).error.message).toMatch(/sign in from a browser you have used before/);
    // ...but not the owner's own, from any network.
    expect((await call("POST", "/api/auth/login", { ip: freshIp(), jar: browser, body: { email, password: PASSWORD } })).status).toBe(200);
    expect((await call("POST", "/api/auth/login", { ip: stranger, jar: browser, body: { email, password: PASSWORD } })).status).toBe(200);
    // Nor does the studio's website hand strangers the sign-in email to try.
    const site = await call("GET", "/", { host: studioHost("no-lock-weapon") });
    expect(site.status).toBe(200);
    expect(await site.text()).not.toContain(email);
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

  it("counts an IPv6 network's /64 as one: new addresses in it share the budget", async () => {
    expect(networkOf("2001:db8:a:b:1:2:3:4")).toBe("2001:db8:a:b::/64");
    expect(networkOf("2001:0DB8:000a:b::ff")).toBe("2001:db8:a:b::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(networkOf("203.0.113.9")).toBe("203.0.113.9");
    const prefix = `2001:db8:${(Math.random() * 0xffff) | 0}:${(Math.random() * 0xffff) | 0}`;
    let limited: Response | undefined;
    for (let i = 1; i <= 45 && !limited; i++) {
      const r = await call("POST", "/api/auth/login", { ip: `${prefix}:${i.toString(16)}::1`, body: { email: "v6@example.test", password: "whatever" } });
      if (r.status === 429) limited = r;
    }
    expect(limited, "a /64 rotating its addresses is still one network").toBeDefined();
    const neighbour = await call("POST", "/api/auth/login", {
      ip: `2001:db8:ffff:${(Math.random() * 0xffff) | 0}::1`,
      body: { email: "v6@example.test", password: "whatever" },
    });
    expect(neighbour.status).toBe(401);
  });

  it("keeping sessions alive in many tabs does not spend a network's sign-in budget; a refresh flood has its own", async () => {
    const office = freshIp();
    const { email, jar } = await signUp("busy-office", { ip: office });
    // More than two windows' worth of the sign-in budget: counted against it, some would be refused.
    for (let i = 0; i < 45; i++) expect((await call("POST", "/api/auth/refresh", { jar, ip: office })).status).toBe(200);
    expect((await call("POST", "/api/auth/login", { ip: office, body: { email, password: PASSWORD } })).status).toBe(200);

    const flood = freshIp();
    let limited: Response | undefined;
    for (let i = 0; i < 700 && !limited; i++) {
      const r = await call("POST", "/api/auth/refresh", { ip: flood });
      if (r.status === 429) limited = r;
      else expect(r.status).toBe(401);
    }
    expect(limited).toBeDefined();
    expect((await json(limited!)).error.message).toMatch(/session refreshes/);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    // The flood spent only its own network's refreshes, not its sign-ins nor anyone else's.
    expect((await call("POST", "/api/auth/login", { ip: flood, body: { email, password: PASSWORD } })).status).toBe(200);
    expect((await call("POST", "/api/auth/refresh", { jar, ip: office })).status).toBe(200);
  });
});

describe("session lifetime", () => {
  it("ends 90 days after sign-in however often it was refreshed", async () => {
    const { jar, email } = await signUp("old-session");
    const ip = freshIp();
    expect((await call("POST", "/api/auth/refresh", { jar, ip })).status).toBe(200);
    await env.DIRECTORY.prepare("UPDATE sessions SET created_at = ? WHERE account_id = (SELECT id FROM accounts WHERE email = ?)")
      .bind(Date.now() - 91 * 86_400_000, email)
      .run();
    const res = await call("POST", "/api/auth/refresh", { jar, ip });
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toBe("You signed in 90 days ago; sign in again.");
    // The session is over, not only this refresh.
    expect((await call("POST", "/api/auth/refresh", { jar, ip })).status).toBe(401);
  });
});

describe("the content security policy", () => {
  it("lets a page open sockets only to its own host", async () => {
    const host = studioHost("csp-check");
    await signUp("csp-check");
    const csp = (await call("GET", "/", { host })).headers.get("content-security-policy") ?? "";
    const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(" ");
    expect(connect).toEqual(["'self'", `ws://${host}`]);
  });
});
