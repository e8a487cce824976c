// Bad input gets a 400-class answer with a code and a message naming the field, and changes nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectError, freshIp, json, PASSWORD, signUp } from "../helpers/http";

const good = (slug: string) => ({ studioName: "Good Studio", slug, name: "Ann", email: `${slug}@example.test`, password: PASSWORD });

async function tenantCount(): Promise<number> {
  const row = await env.DIRECTORY.prepare("SELECT count(*) AS n FROM tenants").first<{ n: number }>();
  return row!.n;
}

describe("sign-up input", () => {
  const cases: [string, unknown, number, string, RegExp][] = [
    ["missing slug", { ...good("x1"), slug: undefined }, 400, "invalid_input", /slug/],
    ["slug too short", good("ab"), 400, "invalid_input", /slug: must be at least 3/],
    ["slug too long", good("a".repeat(41)), 400, "invalid_input", /slug: must be at most 40/],
    ["slug with capitals", good("MyStudio"), 400, "invalid_input", /slug: use lowercase/],
    ["slug with a dot", good("my.studio"), 400, "invalid_input", /slug/],
    ["reserved slug", good("admin"), 400, "invalid_input", /slug: is reserved/],
    ["reserved slug app", good("app"), 400, "invalid_input", /slug: is reserved/],
    ["bad email", { ...good("okslug1"), email: "not-an-email" }, 400, "invalid_input", /email: must be an email/],
    ["short password", { ...good("okslug2"), password: "short" }, 400, "invalid_input", /password: must be at least 10/],
    ["wrongly typed name", { ...good("okslug3"), studioName: 42 }, 400, "invalid_input", /studioName/],
    ["oversized field", { ...good("okslug4"), studioName: "x".repeat(500) }, 400, "invalid_input", /studioName: must be at most 80/],
    ["array body", [good("okslug5")], 400, "invalid_input", /body/],
  ];
  for (const [name, body, status, code, mentions] of cases) {
    it(`${name} → ${status} ${code}, nothing created`, async () => {
      const before = await tenantCount();
      await expectError(await call("POST", "/api/auth/signup", { ip: freshIp(), body }), status, code, mentions);
      expect(await tenantCount()).toBe(before);
    });
  }

  it("malformed JSON → 400 invalid_json", async () => {
    await expectError(
      await call("POST", "/api/auth/signup", { ip: freshIp(), rawBody: '{"slug": "x",', headers: { "content-type": "application/json" } }),
      400,
      "invalid_json",
      /not valid JSON/,
    );
  });

  it("a body that is not JSON at all → 415", async () => {
    await expectError(
      await call("POST", "/api/auth/signup", { ip: freshIp(), rawBody: "slug=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
      /JSON/,
    );
  });

  it("an oversized body → 413 before it is parsed", async () => {
    const before = await tenantCount();
    const body = { ...good("bigbody"), about: "x".repeat(70 * 1024) };
    await expectError(await call("POST", "/api/auth/signup", { ip: freshIp(), body }), 413, "payload_too_large", /64 KB/);
    expect(await tenantCount()).toBe(before);
  });

  it("a taken slug or email says so, and the first studio is unchanged", async () => {
    const first = await signUp("taken-slug");
    const before = await tenantCount();
    const slugAgain = await call("POST", "/api/auth/signup", { ip: freshIp(), body: { ...good("taken-slug"), email: "other@example.test" } });
    await expectError(slugAgain, 409, "slug_taken", /taken-slug.*taken/);
    const emailAgain = await call("POST", "/api/auth/signup", { ip: freshIp(), body: { ...good("fresh-slug"), email: first.email } });
    await expectError(emailAgain, 409, "email_taken", /already exists/);
    expect(await tenantCount()).toBe(before);
    const studio = await json(await call("GET", `/api/studios/${first.studio.id}`, { jar: first.jar }));
    expect(studio.studio.profile.name).toBe("Studio taken-slug");
    const row = await env.DIRECTORY.prepare("SELECT count(*) AS n FROM tenants WHERE slug = 'fresh-slug'").first<{ n: number }>();
    expect(row!.n).toBe(0);
  });
});

describe("profile input", () => {
  it("rejects unknown or wrongly typed fields and keeps the profile", async () => {
    const s = await signUp("profile-checks");
    const path = `/api/studios/${s.studio.id}`;
    await expectError(await call("PATCH", path, { jar: s.jar, body: { accentColor: "red" } }), 400, "invalid_input", /accentColor/);
    await expectError(await call("PATCH", path, { jar: s.jar, body: { name: "" } }), 400, "invalid_input", /name: is required/);
    await expectError(await call("PATCH", path, { jar: s.jar, body: { plan: "studio" } }), 400, "invalid_input", /plan|Unrecognized/);
    const ok = await call("PATCH", path, { jar: s.jar, body: { tagline: "Weddings in the Alps", accentColor: "#aa3300" } });
    expect(ok.status).toBe(200);
    const profile = (await json(ok)).profile;
    expect(profile).toMatchObject({ name: "Studio profile-checks", tagline: "Weddings in the Alps", accentColor: "#aa3300" });
  });

  it("answers an unknown API path with a JSON 404, not a page", async () => {
    const res = await call("GET", "/api/nope");
    await expectError(res, 404, "not_found");
  });
});
