// Health, readiness, request ids, security headers, the Origin check and host handling.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { call, freshIp, json, signUp, studioHost } from "../helpers/http";

async function readyz(bindings: Env) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("http://app.localhost:8787/readyz", { headers: { host: "app.localhost:8787" } }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("health and readiness", () => {
  it("/healthz and /readyz answer on every host", async () => {
    for (const host of ["app.localhost:8787", "whoever.localhost:8787", "localhost:8787", "unknown.example.com"]) {
      expect((await call("GET", "/healthz", { host })).status).toBe(200);
      const ready = await call("GET", "/readyz", { host });
      expect(ready.status).toBe(200);
      const body = await json(ready);
      expect(body.checks.map((c: { binding: string }) => c.binding)).toEqual(["DIRECTORY", "TENANT_DB_0", "TENANT_DB_1", "MEDIA"]);
    }
  });

  it("/readyz names a shard whose database has no schema", async () => {
    const res = await readyz({ ...env, TENANT_DB_1: env.TEST_UNMIGRATED_D1 });
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.status).toBe("not_ready");
    expect(body.error.message).toBe("Not ready: TENANT_DB_1 (query failed)");
    expect(body.checks.find((c: { binding: string }) => c.binding === "TENANT_DB_0").ok).toBe(true);
  });

  it("/readyz names a missing binding", async () => {
    const res = await readyz({ ...env, MEDIA: undefined as unknown as R2Bucket });
    expect(res.status).toBe(503);
    expect((await json(res)).error.message).toMatch(/MEDIA \(binding missing\)/);
  });
});

describe("request pipeline", () => {
  it("sets a request id and the security headers", async () => {
    const res = await call("GET", "/", { headers: { accept: "text/html" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a cross-origin state-changing request and changes nothing", async () => {
    const s = await signUp("origin-check");
    const res = await call("PATCH", `/api/studios/${s.studio.id}`, {
      jar: s.jar,
      body: { name: "Hijacked" },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe("origin_mismatch");
    const same = await call("PATCH", `/api/studios/${s.studio.id}`, {
      jar: s.jar,
      body: { tagline: "Portraits" },
      headers: { origin: "http://app.localhost:8787" },
    });
    expect(same.status).toBe(200);
    const studio = await json(await call("GET", `/api/studios/${s.studio.id}`, { jar: s.jar }));
    expect(studio.studio.profile.name).toBe("Studio origin-check");
  });

  it("a studio subdomain serves that studio's home page with its name", async () => {
    const s = await signUp("home-page", { name: "Home & Page Photo" });
    const res = await call("GET", "/", { host: studioHost("home-page"), headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Home &amp; Page Photo</h1>");
    expect(s.studio.slug).toBe("home-page");
  });

  it("a custom domain from the directory maps to its studio", async () => {
    const s = await signUp("custom-domain", { name: "Custom Domain Studio" });
    await env.DIRECTORY.prepare("INSERT INTO domains (hostname, tenant_id) VALUES (?, ?)").bind("photos.custom.test", s.studio.id).run();
    const res = await call("GET", "/", { host: "photos.custom.test" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Custom Domain Studio");
  });

  it("the bare root domain redirects to the dashboard", async () => {
    const res = await call("GET", "/", { host: "localhost:8787" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://app.localhost:8787/");
  });

  it("serves static assets and a signed-out dashboard page", async () => {
    const css = await call("GET", "/assets/site.css", { ip: freshIp() });
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    const page = await call("GET", "/", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign in");
  });
});
