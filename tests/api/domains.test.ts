// Custom domains through Cloudflare for SaaS (the local fake of its API, tests/setup/fake-cloudflare.ts):
// a studio adds its domain, is shown the DNS record to add, waits while Cloudflare verifies it,
// answers on it once the hostname and its certificate are active, and stops when it is removed.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DomainResponse, DomainsResponse } from "../../worker/contract/domains";
import { directoryDb } from "../../worker/db/directory-db";
import { CLAIM_TTL_MS, refreshDomains } from "../../worker/domain/domains/domains";
import { ATTEMPTS } from "../../worker/domain/limits/attempts";
import { newGallery } from "../helpers/galleries";
import { call, expectError, json, signUp, studioHost } from "../helpers/http";
import { awayFromWindowEdge, EDGE_TIMEOUT } from "../helpers/windows";

/** What the fake Cloudflare holds now, by hostname. */
const atCloudflare = async (): Promise<string[]> => {
  const body = (await (await fetch(`${env.CF_API_URL}/__hostnames`)).json()) as { result: { hostname: string }[] };
  return body.result.map((h) => h.hostname);
};
/** What a customer's DNS change brings about at Cloudflare. */
const cloudflareSays = (change: { hostname: string; status?: string; sslStatus?: string }) =>
  fetch(`${env.CF_API_URL}/__set`, { method: "POST", body: JSON.stringify(change) });

describe("custom domains", () => {
  it("adds a domain, shows the record to add, serves once Cloudflare says active, and stops when removed", async () => {
    const owner = await signUp("domain-own", { name: "Fern & Field" });
    const base = `/api/studios/${owner.studio.id}/domains`;
    expect(await json<DomainsResponse>(await call("GET", base, { jar: owner.jar }))).toEqual({ domains: [], available: true, limit: 3 });

    const added = await call("POST", base, { jar: owner.jar, body: { hostname: "Photos.FernAndField.com." } });
    expect(added.status).toBe(201);
    const { domain } = await json<DomainResponse>(added);
    expect(domain).toMatchObject({ hostname: "photos.fernandfield.com", state: "pending", status: "pending", sslStatus: "pending_validation" });
    expect(domain.records[0]).toMatchObject({ type: "CNAME", name: "photos.fernandfield.com", value: "domains.loupe.test" });
    expect(domain.records[1]).toMatchObject({ type: "TXT", name: "_cf-custom-hostname.photos.fernandfield.com" });
    expect(domain.problems).toEqual(["custom hostname does not CNAME to this zone."]);
    expect((await atCloudflare()).filter((h) => h === "photos.fernandfield.com")).toHaveLength(1);

    // Pending: the host is not the studio's yet.
    expect((await call("GET", "/", { host: "photos.fernandfield.com" })).status).toBe(404);

    // The CNAME is in place: Cloudflare verifies the hostname first, the certificate after.
    await cloudflareSays({ hostname: "photos.fernandfield.com", status: "active" });
    const half = await json<DomainResponse>(await call("POST", `${base}/photos.fernandfield.com/refresh`, { jar: owner.jar }));
    expect(half.domain).toMatchObject({ state: "pending", status: "active", sslStatus: "pending_validation" });
    expect((await call("GET", "/", { host: "photos.fernandfield.com" })).status).toBe(404);

    await cloudflareSays({ hostname: "photos.fernandfield.com", sslStatus: "active" });
    const live = await json<DomainResponse>(await call("POST", `${base}/photos.fernandfield.com/refresh`, { jar: owner.jar }));
    expect(live.domain).toMatchObject({ state: "serving", problems: [] });
    const home = await call("GET", "/", { host: "photos.fernandfield.com" });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Fern &amp; Field");
    // The subdomain keeps working.
    expect((await call("GET", "/", { host: studioHost("domain-own") })).status).toBe(200);
    // Links the studio hands clients now use its own domain, and open there.
    const g = await newGallery(owner, { visibility: "password", password: "fern-secret" });
    const made = await call("POST", `/api/studios/${owner.studio.id}/galleries/${g.id}/invites`, { jar: owner.jar, body: { name: "Rae" } });
    const { url } = (await json(made)).invite as { url: string };
    expect(url).toMatch(new RegExp(`^https://photos\\.fernandfield\\.com/g/${g.id}/i/`));
    const opened = await call("GET", new URL(url).pathname, { host: "photos.fernandfield.com" });
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`/g/${g.id}`);

    const removed = await call("DELETE", `${base}/photos.fernandfield.com`, { jar: owner.jar });
    expect(removed.status).toBe(204);
    expect((await call("GET", "/", { host: "photos.fernandfield.com" })).status).toBe(404);
    expect(await atCloudflare()).not.toContain("photos.fernandfield.com");
    expect((await json<DomainsResponse>(await call("GET", base, { jar: owner.jar }))).domains).toEqual([]);
  });

  it("refuses what is not a hostname, Loupe's own, another studio's, or past the limit, and changes nothing", async () => {
    const owner = await signUp("domain-bad");
    const other = await signUp("domain-other");
    const base = `/api/studios/${owner.studio.id}/domains`;
    for (const hostname of ["https://photos.example.com", "photos.example.com/gallery", "192.168.0.1", "localhost", "photos", "-bad-.example.com", ""]) {
      await expectError(await call("POST", base, { jar: owner.jar, body: { hostname } }), 400, "invalid_input", /hostname/);
    }
    await expectError(await call("POST", base, { jar: owner.jar, body: { hostname: "localhost" } }), 400, "invalid_input", /hostname/);
    await expectError(await call("POST", base, { jar: owner.jar, body: { hostname: "domain-other.localhost" } }), 400, "domain_reserved", /Loupe's own/);
    await expectError(await call("POST", base, { jar: owner.jar, body: { hostname: "x.domains.loupe.test" } }), 400, "domain_reserved", /hostname/);

    expect((await call("POST", `/api/studios/${other.studio.id}/domains`, { jar: other.jar, body: { hostname: "www.contested.com" } })).status).toBe(201);
    await expectError(await call("POST", base, { jar: owner.jar, body: { hostname: "www.contested.com" } }), 409, "domain_taken", /another studio/);
    await expectError(
      await call("POST", `/api/studios/${other.studio.id}/domains`, { jar: other.jar, body: { hostname: "www.contested.com" } }),
      409,
      "domain_taken",
      /already one of this studio's/,
    );
    // The other studio's domain is not this one's to refresh or remove.
    await expectError(await call("DELETE", `${base}/www.contested.com`, { jar: owner.jar }), 404, "not_found", /hostname/);
    await expectError(await call("POST", `${base}/www.contested.com/refresh`, { jar: owner.jar }), 404, "not_found");
    const theirs = await json<DomainsResponse>(await call("GET", `/api/studios/${other.studio.id}/domains`, { jar: other.jar }));
    expect(theirs.domains.map((d) => d.hostname)).toEqual(["www.contested.com"]);

    for (const h of ["a.limit.com", "b.limit.com", "c.limit.com"])
      expect((await call("POST", base, { jar: owner.jar, body: { hostname: h } })).status).toBe(201);
    await expectError(await call("POST", base, { jar: owner.jar, body: { hostname: "d.limit.com" } }), 409, "domain_limit", /at most 3/);
    expect((await json<DomainsResponse>(await call("GET", base, { jar: owner.jar }))).domains.map((d) => d.hostname)).toEqual([
      "a.limit.com",
      "b.limit.com",
      "c.limit.com",
    ]);
    expect(await atCloudflare()).not.toContain("d.limit.com");
  });

  it("holds to the limit when domains are added at once", async () => {
    const owner = await signUp("domain-race");
    const base = `/api/studios/${owner.studio.id}/domains`;
    const names = ["a", "b", "c", "d", "e"].map((l) => `${l}.race.com`);
    const answers = await Promise.all(names.map((hostname) => call("POST", base, { jar: owner.jar, body: { hostname } })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409)) expect((await json(r)).error.code).toBe("domain_limit");
    const held = (await json<DomainsResponse>(await call("GET", base, { jar: owner.jar }))).domains.map((d) => d.hostname);
    expect(held).toHaveLength(3);
    // Only the domains the studio holds were asked of Cloudflare.
    expect((await atCloudflare()).filter((h) => h.endsWith(".race.com")).sort()).toEqual([...held].sort());
  });

  it("budgets each studio's Cloudflare calls: checks per hour, adds per day; the cron's checks go on", EDGE_TIMEOUT, async () => {
    await awayFromWindowEdge(ATTEMPTS.domainChecks.windowMs, 20_000);
    await awayFromWindowEdge(ATTEMPTS.domainAdds.windowMs, 20_000);
    const owner = await signUp("domain-budget");
    const base = `/api/studios/${owner.studio.id}/domains`;
    expect((await call("POST", base, { jar: owner.jar, body: { hostname: "www.budget.com" } })).status).toBe(201);
    for (let i = 0; i < ATTEMPTS.domainChecks.limit; i++) expect((await call("POST", `${base}/www.budget.com/refresh`, { jar: owner.jar })).status).toBe(200);
    const spent = await call("POST", `${base}/www.budget.com/refresh`, { jar: owner.jar });
    expect(spent.status).toBe(429);
    expect((await json(spent)).error.message).toMatch(/Too many domain checks by this studio this hour; try again in \d+ minutes?/);
    expect(Number(spent.headers.get("retry-after"))).toBeGreaterThan(0);
    // The cron still brings news from Cloudflare.
    await cloudflareSays({ hostname: "www.budget.com", status: "active", sslStatus: "active" });
    await refreshDomains(env, directoryDb(env));
    expect((await json<DomainsResponse>(await call("GET", base, { jar: owner.jar }))).domains[0]).toMatchObject({ state: "serving" });

    // Adding and removing in a loop: the day's adds run out, and nothing more reaches Cloudflare.
    for (let i = 1; i < ATTEMPTS.domainAdds.limit; i++) {
      expect((await call("POST", base, { jar: owner.jar, body: { hostname: `loop${i}.budget.com` } })).status).toBe(201);
      expect((await call("DELETE", `${base}/loop${i}.budget.com`, { jar: owner.jar })).status).toBe(204);
    }
    await expectError(
      await call("POST", base, { jar: owner.jar, body: { hostname: "one-more.budget.com" } }),
      429,
      "rate_limited",
      /domains added by this studio today/,
    );
    expect(await atCloudflare()).not.toContain("one-more.budget.com");
  });

  it("waits for a confirmed email", async () => {
    const fresh = await signUp("domain-unconfirmed", { confirm: false });
    await expectError(
      await call("POST", `/api/studios/${fresh.studio.id}/domains`, { jar: fresh.jar, body: { hostname: "www.unconfirmed.com" } }),
      403,
      "email_unverified",
      /custom domains wait/,
    );
    expect(await atCloudflare()).not.toContain("www.unconfirmed.com");
  });

  it("adopts what Cloudflare made when its answer was lost, and releases claims never verified", async () => {
    const owner = await signUp("domain-lost");
    const base = `/api/studios/${owner.studio.id}/domains`;
    // Cloudflare makes the hostname but the answer is lost: the studio still gets its domain, once.
    await fetch(`${env.CF_API_URL}/__lose`, { method: "POST", body: JSON.stringify({ hostname: "www.lost-answer.com" }) });
    const added = await call("POST", base, { jar: owner.jar, body: { hostname: "www.lost-answer.com" } });
    expect(added.status, await added.clone().text()).toBe(201);
    expect((await json<DomainResponse>(added)).domain).toMatchObject({ state: "pending", records: [{ type: "CNAME" }, { type: "TXT" }] });
    expect((await atCloudflare()).filter((h) => h === "www.lost-answer.com")).toHaveLength(1);
    // Two weeks on and never verified, the claim is released, here and at Cloudflare.
    expect(await refreshDomains(env, directoryDb(env), Date.now() + CLAIM_TTL_MS + 60_000)).toBeGreaterThan(0);
    expect((await json<DomainsResponse>(await call("GET", base, { jar: owner.jar }))).domains).toEqual([]);
    expect(await atCloudflare()).not.toContain("www.lost-answer.com");
  });

  it("a domain Cloudflare gave up on is shown as failed with what to do, and never serves", async () => {
    const owner = await signUp("domain-fail");
    const base = `/api/studios/${owner.studio.id}/domains`;
    expect((await call("POST", base, { jar: owner.jar, body: { hostname: "shop.timedout.com" } })).status).toBe(201);
    await cloudflareSays({ hostname: "shop.timedout.com", status: "active", sslStatus: "validation_timed_out" });
    const { domain } = await json<DomainResponse>(await call("POST", `${base}/shop.timedout.com/refresh`, { jar: owner.jar }));
    expect(domain.state).toBe("failed");
    expect(domain.problems.at(-1)).toMatch(/remove the domain and add it again/);
    expect((await call("GET", "/", { host: "shop.timedout.com" })).status).toBe(404);
  });
});
