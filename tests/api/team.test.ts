// The team: an invite mailed with a link that opens an accept page, a new member joining from a
// fresh browser, roles changed without ever leaving the studio ownerless, and staff refused what
// stays with the owners. Spent and forged invite links get a clear page.
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import type { TwoFactorSetup } from "../../worker/contract/account";
import type { NewStaffInviteResponse } from "../../worker/contract/studios";
import { APP_HOST, CookieJar, call, expectError, freshIp, json, mailedLink, PASSWORD, signUp } from "../helpers/http";
import { sentTo, until } from "../helpers/mail";

describe("the team", () => {
  it("invites by mail; the link opens an accept page; the new member is staff and refused owner-only work", async () => {
    const owner = await signUp("team-mail", { name: "Harbour Light" });
    const studio = `/api/studios/${owner.studio.id}`;
    const made = await call("POST", `${studio}/invites`, { jar: owner.jar, body: { email: "sam@team-mail.test" } });
    expect(made.status).toBe(201);
    const { invite } = await json<NewStaffInviteResponse>(made);
    const [mail] = await until(
      "the invite mail",
      () => sentTo("sam@team-mail.test"),
      (m) => m.length === 1,
    );
    expect(mail!.subject).toBe("Owner of team-mail invites you to Harbour Light on Loupe");
    const link = mail!.text.match(/http:\/\/app\.localhost:8787\/invite\?token=[\w-]+/)![0];
    expect(link).toBe(invite.url);

    const page = await call("GET", new URL(link).pathname + new URL(link).search, { host: APP_HOST });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Join Harbour Light");
    expect(html).toContain("Create your Loupe account for sam@team-mail.test");

    const sam = new CookieJar();
    const token = new URL(link).searchParams.get("token");
    const joined = await call("POST", "/api/auth/invites/accept", { jar: sam, ip: freshIp(), body: { token, name: "Sam", password: "sams-own-password" } });
    expect(joined.status).toBe(201);
    // Not confirmed by the invite: its owner saw the same link.
    expect(await json(await call("GET", "/api/me", { jar: sam }))).toMatchObject({
      emailVerified: false,
      studios: [{ tenant: { id: owner.studio.id }, role: "staff" }],
    });
    // Spent: the page says so.
    expect((await call("GET", new URL(link).pathname + new URL(link).search, { host: APP_HOST })).status).toBe(410);
    expect((await call("GET", "/invite?token=forgedforgedforgedforgedforged", { host: APP_HOST })).status).toBe(410);

    // Staff work on galleries, and are refused what stays with owners.
    expect((await call("GET", `${studio}/galleries`, { jar: sam })).status).toBe(200);
    const refusals = [
      call("POST", `${studio}/invites`, { jar: sam, body: { email: "mole@team-mail.test" } }),
      call("PATCH", `${studio}/members/${owner.account.id}`, { jar: sam, body: { role: "staff" } }),
      call("DELETE", `${studio}/members/${owner.account.id}`, { jar: sam }),
      call("PATCH", studio, { jar: sam, body: { tagline: "mine now" } }),
      call("POST", `${studio}/store/payments/connect`, { jar: sam }),
      call("POST", `${studio}/store/orders/ord_x/refund`, { jar: sam, body: { amount: 100 } }),
      call("POST", `${studio}/store/billing/checkout`, { jar: sam, body: { plan: "pro" } }),
      call("POST", `${studio}/domains`, { jar: sam, body: { hostname: "photos.sams-own.com" } }),
    ];
    for (const res of await Promise.all(refusals)) await expectError(res, 403, "forbidden", /Only a studio owner can do this/);
  });

  it("changes roles, but never leaves the studio without an owner", async () => {
    const owner = await signUp("team-roles");
    const studio = `/api/studios/${owner.studio.id}`;
    const { invite } = await json<NewStaffInviteResponse>(await call("POST", `${studio}/invites`, { jar: owner.jar, body: { email: "kim@team-roles.test" } }));
    const kim = new CookieJar();
    const joined = await json(
      await call("POST", "/api/auth/invites/accept", {
        jar: kim,
        ip: freshIp(),
        body: { token: new URL(invite.url).searchParams.get("token"), name: "Kim", password: "kims-own-password" },
      }),
    );
    await expectError(
      await call("PATCH", `${studio}/members/${owner.account.id}`, { jar: owner.jar, body: { role: "staff" } }),
      409,
      "last_owner",
      /at least one owner/,
    );
    await expectError(await call("PATCH", `${studio}/members/${joined.account.id}`, { jar: owner.jar, body: { role: "boss" } }), 400, "invalid_input", /role/);
    expect((await call("PATCH", `${studio}/members/${joined.account.id}`, { jar: owner.jar, body: { role: "owner" } })).status).toBe(204);
    // Now there are two owners, the first may step down, and Kim runs the team.
    expect((await call("PATCH", `${studio}/members/${owner.account.id}`, { jar: owner.jar, body: { role: "staff" } })).status).toBe(204);
    expect((await call("POST", `${studio}/invites`, { jar: owner.jar, body: { email: "x@team-roles.test" } })).status).toBe(403);
    // Kim now runs the team; the studio's only owner confirms her address first.
    await expectError(await call("POST", `${studio}/invites`, { jar: kim, body: { email: "x@team-roles.test" } }), 403, "email_unverified");
    expect(await json(await call("POST", "/api/me/verification", { jar: kim }))).toEqual({ sentTo: "kim@team-roles.test" });
    const link = await mailedLink(joined.account.id, "verify_email");
    expect((await call("POST", "/api/auth/email/confirm", { ip: freshIp(), body: { token: new URL(link).searchParams.get("token") } })).status).toBe(200);
    expect((await call("POST", `${studio}/invites`, { jar: kim, body: { email: "x@team-roles.test" } })).status).toBe(201);
    await expectError(await call("PATCH", `${studio}/members/a_nobody`, { jar: kim, body: { role: "owner" } }), 404, "not_found");
  });

  it("an existing account with two-factor sign-in joins with its code, never with the password alone", async () => {
    const owner = await signUp("team-2fa");
    const pro = await signUp("team-2fa-pro");
    const { secret } = await json<TwoFactorSetup>(await call("POST", "/api/me/two-factor/setup", { jar: pro.jar }));
    const code = (at: number) => new TOTP({ secret: Secret.fromBase32(secret), period: 30, digits: 6, algorithm: "SHA1" }).generate({ timestamp: at });
    expect((await call("POST", "/api/me/two-factor/enable", { jar: pro.jar, body: { code: code(Date.now()), password: PASSWORD } })).status).toBe(200);
    const { invite } = await json<NewStaffInviteResponse>(
      await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: owner.jar, body: { email: pro.email } }),
    );
    const token = new URL(invite.url).searchParams.get("token");
    const page = await (await call("GET", `/invite?token=${token}`, { host: APP_HOST })).text();
    expect(page).toContain("Code from your authenticator app");
    const ip = freshIp();
    await expectError(
      await call("POST", "/api/auth/invites/accept", { ip, body: { token, password: PASSWORD } }),
      400,
      "invalid_input",
      /code: your account has two-factor sign-in/,
    );
    await expectError(await call("POST", "/api/auth/invites/accept", { ip, body: { token, password: PASSWORD, code: "000000" } }), 401, "invalid_credentials");
    const jar = new CookieJar();
    const joined = await call("POST", "/api/auth/invites/accept", { jar, ip, body: { token, password: PASSWORD, code: code(Date.now() + 30_000) } });
    expect(joined.status, await joined.clone().text()).toBe(201);
    expect((await json(await call("GET", "/api/me", { jar }))).studios.map((s: { tenant: { id: string } }) => s.tenant.id)).toContain(owner.studio.id);
  });

  it("mails no team invite until the studio's address is confirmed", async () => {
    const owner = await signUp("team-unconfirmed", { confirm: false });
    const res = await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: owner.jar, body: { email: "sam@team-unconfirmed.test" } });
    await expectError(res, 403, "email_unverified", /cannot mail team invites/);
  });
});
