// Tenant isolation: every route of the app is listed here, and every route that touches a
// studio's data is called with studio A's session against studio B's host and ids. A new route
// joins by adding one line; the first test fails until it does.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../worker/app";
import { APP_HOST, call, CookieJar, freshIp, json, PASSWORD, signUp, studioHost } from "./helpers";

interface World {
  a: Awaited<ReturnType<typeof signUp>>;
  b: Awaited<ReturnType<typeof signUp>>;
  aStaffId: string;
  aInviteId: string;
  bInviteId: string;
}

type Req = { method: string; path: string; body?: unknown; host?: string };
interface TenantRoute {
  /** Requests made with A's session aimed at B: B's ids on the app host, or B's host. */
  attack: (w: World) => Req[];
  /** The same request on A's own studio: proves the route works, so a 404 above means isolation. */
  own: (w: World) => Req;
  ownStatus: number;
}

// Routes that need no studio context: public, or scoped to the caller alone.
const NOT_TENANT_SCOPED = new Set([
  "GET /app/healthz", "GET /app/readyz", "GET /app/assets/*",
  "GET /studio/healthz", "GET /studio/readyz", "GET /studio/assets/*",
  "GET /root/healthz", "GET /root/readyz", "GET /root/assets/*",
  "GET /root", "GET /app",
  "GET /studio", // a studio's public home page, resolved from the host alone (tested below)
  "POST /app/api/auth/signup", "POST /app/api/auth/login", "POST /app/api/auth/refresh",
  "POST /app/api/auth/logout", "POST /app/api/auth/invites/accept",
  "GET /app/api/me", // the caller's own memberships (tested below: B never appears)
]);

const studioPath = (id: string, rest = "") => `/api/studios/${id}${rest}`;

const TENANT_ROUTES: Record<string, TenantRoute> = {
  "GET /app/api/studios/:studioId": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id) }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id) }),
    ownStatus: 200,
  },
  "PATCH /app/api/studios/:studioId": {
    attack: (w) => [{ method: "PATCH", path: studioPath(w.b.studio.id), body: { name: "Defaced" } }],
    own: (w) => ({ method: "PATCH", path: studioPath(w.a.studio.id), body: { tagline: "Weddings" } }),
    ownStatus: 200,
  },
  "GET /app/api/studios/:studioId/members": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/members") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/members") }),
    ownStatus: 200,
  },
  "POST /app/api/studios/:studioId/invites": {
    attack: (w) => [{ method: "POST", path: studioPath(w.b.studio.id, "/invites"), body: { email: "mole@example.test" } }],
    own: (w) => ({ method: "POST", path: studioPath(w.a.studio.id, "/invites"), body: { email: "new@example.test" } }),
    ownStatus: 201,
  },
  "GET /app/api/studios/:studioId/invites": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/invites") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/invites") }),
    ownStatus: 200,
  },
  "DELETE /app/api/studios/:studioId/invites/:inviteId": {
    attack: (w) => [
      { method: "DELETE", path: studioPath(w.b.studio.id, `/invites/${w.bInviteId}`) },
      { method: "DELETE", path: studioPath(w.a.studio.id, `/invites/${w.bInviteId}`) },
    ],
    own: (w) => ({ method: "DELETE", path: studioPath(w.a.studio.id, `/invites/${w.aInviteId}`) }),
    ownStatus: 204,
  },
  "DELETE /app/api/studios/:studioId/members/:accountId": {
    attack: (w) => [
      { method: "DELETE", path: studioPath(w.b.studio.id, `/members/${w.b.account.id}`) },
      { method: "DELETE", path: studioPath(w.a.studio.id, `/members/${w.b.account.id}`) },
    ],
    own: (w) => ({ method: "DELETE", path: studioPath(w.a.studio.id, `/members/${w.aStaffId}`) }),
    ownStatus: 204,
  },
};

/** Every route with a final handler: middleware (`use`) is left out, `app.all` routes are not. */
function registeredRoutes(): string[] {
  const keys = app.routes.filter((r) => r.method !== "ALL" || r.handler.length < 2).map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)].sort();
}

let w: World;

async function invite(owner: World["a"], email: string) {
  const res = await call("POST", studioPath(owner.studio.id, "/invites"), { jar: owner.jar, body: { email } });
  return (await json(res)).invite as { id: string; token: string };
}

beforeAll(async () => {
  const a = await signUp("alpha-studio", { name: "Alpha Photography" });
  const b = await signUp("bravo-studio", { name: "Bravo Weddings" });
  // A staff member in A, for the positive control of member removal; pending invites in both.
  const inv = await invite(a, "staff@alpha.test");
  const staff = await json(await call("POST", "/api/auth/invites/accept", {
    ip: freshIp(), body: { token: inv.token, password: PASSWORD, name: "Alpha Staff" },
  }));
  if (!staff.account) throw new Error(`invite accept failed: ${JSON.stringify(staff)}`);
  w = { a, b, aStaffId: staff.account.id, aInviteId: (await invite(a, "later@alpha.test")).id, bInviteId: (await invite(b, "later@bravo.test")).id };
});

function leaks(text: string): string[] {
  const secrets = [w.b.studio.id, w.b.studio.slug, w.b.studio.name, w.b.email, w.b.account.id, w.bInviteId, "later@bravo.test"];
  return secrets.filter((s) => text.includes(s));
}

describe("tenant isolation matrix", () => {
  it("classifies every registered route", () => {
    const unclassified = registeredRoutes().filter((r) => !NOT_TENANT_SCOPED.has(r) && !(r in TENANT_ROUTES));
    expect(unclassified, "add these routes to the matrix").toEqual([]);
    const stale = [...NOT_TENANT_SCOPED, ...Object.keys(TENANT_ROUTES)].filter((r) => !registeredRoutes().includes(r));
    expect(stale, "routes listed here that no longer exist").toEqual([]);
  });

  it("puts the two studios on different shards", () => {
    expect(w.a.studio.shard).not.toBe(w.b.studio.shard);
  });

  for (const [route, spec] of Object.entries(TENANT_ROUTES)) {
    it(`${route}: A's session gets 404/403 for B's studio and ids, on every host, and leaks nothing`, async () => {
      for (const req of spec.attack(w)) {
        const host = req.host ?? APP_HOST;
        const res = await call(req.method, req.path, { host, jar: w.a.jar.clone(), body: req.body });
        const text = await res.text();
        expect([403, 404], `${req.method} ${host}${req.path} → ${res.status} ${text}`).toContain(res.status);
        expect(leaks(text), `${req.method} ${host}${req.path} leaked`).toEqual([]);
      }
      // B is untouched: its profile and members are as they were.
      const bView = await json(await call("GET", `/api/studios/${w.b.studio.id}`, { jar: w.b.jar }));
      expect(bView.studio.profile.name).toBe("Bravo Weddings");
      const bMembers = await json(await call("GET", `/api/studios/${w.b.studio.id}/members`, { jar: w.b.jar }));
      expect(bMembers.members.map((m: any) => m.email)).toEqual([w.b.email]);
      const bInvites = await json(await call("GET", `/api/studios/${w.b.studio.id}/invites`, { jar: w.b.jar }));
      expect(bInvites.invites.map((i: any) => i.id)).toEqual([w.bInviteId]);

      const own = spec.own(w);
      const res = await call(own.method, own.path, { host: own.host, jar: w.a.jar.clone(), body: own.body });
      expect(res.status, `${own.method} ${own.path} on A's own studio`).toBe(spec.ownStatus);
    });
  }

  it("without a session every studio route answers 401 and leaks nothing", async () => {
    for (const spec of Object.values(TENANT_ROUTES)) {
      for (const req of spec.attack(w)) {
        const res = await call(req.method, req.path, { body: req.body });
        const text = await res.text();
        expect(res.status, `${req.method} ${req.path}`).toBe(401);
        expect(leaks(text)).toEqual([]);
      }
    }
  });

  it("GET /api/me lists only the caller's studios", async () => {
    const me = await call("GET", "/api/me", { jar: w.a.jar.clone() });
    const text = await me.text();
    expect(me.status).toBe(200);
    expect(text).toContain(w.a.studio.id);
    expect(leaks(text)).toEqual([]);
  });

  it("a studio's home page shows that studio only, and A's session changes nothing on B's host", async () => {
    const aHome = await (await call("GET", "/", { host: studioHost(w.a.studio.slug), jar: w.a.jar.clone() })).text();
    expect(aHome).toContain("Alpha Photography");
    expect(leaks(aHome)).toEqual([]);
    const bHome = await call("GET", "/", { host: studioHost(w.b.studio.slug), jar: w.a.jar.clone() });
    expect(bHome.status).toBe(200);
    const bText = await bHome.text();
    expect(bText).toContain("Bravo Weddings");
    expect(bText).not.toContain("Alpha Photography");
  });

  it("the dashboard API does not exist on studio hosts, even for the studio's own session", async () => {
    for (const spec of Object.values(TENANT_ROUTES)) {
      const own = spec.own(w);
      if (own.host) continue;
      const res = await call(own.method, own.path, { host: studioHost(w.a.studio.slug), jar: w.a.jar.clone(), body: own.body });
      expect(res.status, `${own.method} ${own.path}`).toBe(404);
    }
  });

  it("an unknown host gets a 404 page and no studio's data", async () => {
    for (const host of ["nosuch.localhost:8787", "evil.example.com", "a.b.localhost:8787"]) {
      const res = await call("GET", "/", { host, headers: { accept: "text/html" } });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      const text = await res.text();
      expect(text).toContain("No studio lives at");
      expect(leaks(text)).toEqual([]);
      expect(text).not.toContain("Alpha Photography");
    }
  });
});

describe("roles inside a studio", () => {
  it("staff can read but not manage the studio", async () => {
    const owner = await signUp("roles-studio");
    const inv = await json(await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: owner.jar, body: { email: "helper@roles.test" } }));
    const staffJar = new CookieJar();
    const accepted = await call("POST", "/api/auth/invites/accept", {
      jar: staffJar, ip: freshIp(), body: { token: inv.invite.token, password: PASSWORD, name: "Helper" },
    });
    expect(accepted.status).toBe(201);
    expect((await call("GET", `/api/studios/${owner.studio.id}`, { jar: staffJar })).status).toBe(200);
    const patch = await call("PATCH", `/api/studios/${owner.studio.id}`, { jar: staffJar, body: { name: "Mine now" } });
    expect(patch.status).toBe(403);
    expect((await json(patch)).error.code).toBe("forbidden");
    const invite = await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: staffJar, body: { email: "x@roles.test" } });
    expect(invite.status).toBe(403);
    const studio = await json(await call("GET", `/api/studios/${owner.studio.id}`, { jar: owner.jar }));
    expect(studio.studio.profile.name).toBe("Studio roles-studio");
    // The invite is single-use.
    const again = await call("POST", "/api/auth/invites/accept", { ip: freshIp(), body: { token: inv.invite.token, password: PASSWORD, name: "Twice" } });
    expect(again.status).toBe(404);
    // The last owner cannot be removed.
    const removeOwner = await call("DELETE", `/api/studios/${owner.studio.id}/members/${owner.account.id}`, { jar: owner.jar });
    expect(removeOwner.status).toBe(409);
    expect((await json(removeOwner)).error.code).toBe("last_owner");
  });
});

describe("membership under concurrency", () => {
  it("two owners removing each other at once leave one owner", async () => {
    const first = await signUp("two-owners");
    const secondJar = new CookieJar();
    const token = (await json(await call("POST", studioPath(first.studio.id, "/invites"), { jar: first.jar, body: { email: "co@owners.test", role: "owner" } }))).invite.token;
    const accepted = await json(await call("POST", "/api/auth/invites/accept", { jar: secondJar, ip: freshIp(), body: { token, password: PASSWORD, name: "Co" } }));
    const [r1, r2] = await Promise.all([
      call("DELETE", studioPath(first.studio.id, `/members/${accepted.account.id}`), { jar: first.jar }),
      call("DELETE", studioPath(first.studio.id, `/members/${first.account.id}`), { jar: secondJar }),
    ]);
    // Whoever goes second is either the last owner (409) or already gone from the studio (404).
    const statuses = [r1.status, r2.status].sort();
    expect(statuses[0]).toBe(204);
    expect([404, 409]).toContain(statuses[1]);
    const owners = await env.DIRECTORY.prepare("SELECT count(*) AS n FROM memberships WHERE tenant_id = ? AND role = 'owner'")
      .bind(first.studio.id).first<{ n: number }>();
    expect(owners!.n).toBe(1);
  });

  it("concurrent accepts of one invite: one joins, the rest are told the link is used, no 500", async () => {
    const owner = await signUp("race-invite");
    const { token } = await invite(owner, "racer@invite.test");
    const results = await Promise.all(
      [1, 2, 3].map((i) => call("POST", "/api/auth/invites/accept", { ip: freshIp(), body: { token, password: PASSWORD, name: `Racer ${i}` } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 404, 404]);
  });

  it("an owner who is removed cannot come back through an invite they made", async () => {
    const owner = await signUp("sleeper-cell");
    const ownerInvite = await json(await call("POST", studioPath(owner.studio.id, "/invites"), { jar: owner.jar, body: { email: "co2@sleeper.test", role: "owner" } }));
    const co2Jar = new CookieJar();
    const co2 = await json(await call("POST", "/api/auth/invites/accept", { jar: co2Jar, ip: freshIp(), body: { token: ownerInvite.invite.token, password: PASSWORD, name: "Co2" } }));
    const sleeper = await json(await call("POST", studioPath(owner.studio.id, "/invites"), { jar: co2Jar, body: { email: "sleeper@sleeper.test", role: "owner" } }));
    expect((await call("DELETE", studioPath(owner.studio.id, `/members/${co2.account.id}`), { jar: owner.jar })).status).toBe(204);
    const back = await call("POST", "/api/auth/invites/accept", { ip: freshIp(), body: { token: sleeper.invite.token, password: PASSWORD, name: "Sleeper" } });
    expect(back.status).toBe(404);
    expect((await json(back)).error.code).toBe("invite_invalid");
  });
});
