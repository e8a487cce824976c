// Per-client invite links: one click opens a private gallery under the client's name, the same
// identity on every device; a password change, another studio or a forged link opens nothing.
import { describe, expect, it } from "vitest";
import { ATTEMPTS } from "../../worker/domain/limits/attempts";
import { newGallery } from "../helpers/galleries";
import { CookieJar, call, json, signUp, studioHost } from "../helpers/http";
import { awayFromWindowEdge, EDGE_TIMEOUT } from "../helpers/windows";

type Owner = Awaited<ReturnType<typeof signUp>>;
const invite = (o: Owner, galleryId: string, body: unknown) => call("POST", `/api/studios/${o.studio.id}/galleries/${galleryId}/invites`, { jar: o.jar, body });

async function open(url: string) {
  const u = new URL(url);
  const jar = new CookieJar();
  const res = await call("GET", u.pathname, { host: u.host, jar });
  return { res, jar, host: u.host };
}

describe("client invite links", () => {
  it("open a password gallery in one click, as the named client, on every device", async () => {
    const o = await signUp("invite-links");
    const g = await newGallery(o, { visibility: "password", password: "secret-pw" });
    const made = await invite(o, g.id, { name: "Maria Rivera", email: "maria@example.test" });
    expect(made.status).toBe(201);
    const { url, emailed } = (await json(made)).invite;
    expect(url).toMatch(new RegExp(`^http://${studioHost(o.studio.slug).replace(".", "\\.")}/g/${g.id}/i/`));
    // With an email, the link is also mailed to the client.
    expect(emailed).toBe(true);
    const mail = (await json(await call("GET", `/api/studios/${o.studio.id}/store/mail`, { jar: o.jar }))).mail;
    expect(mail).toEqual([
      expect.objectContaining({ kind: "gallery_invite", to: "maria@example.test", subject: `Studio invite-links: your photos from ${g.title}` }),
    ]);
    expect(mail[0].text).toContain(url);
    const phone = await open(url);
    expect(phone.res.status).toBe(302);
    expect(phone.res.headers.get("location")).toBe(`/g/${g.id}`);
    expect((await call("GET", `/g/${g.id}`, { host: phone.host, jar: phone.jar })).status).toBe(200);
    const ticket = await json(await call("POST", `/g/${g.id}/room-token`, { host: phone.host, jar: phone.jar }));
    expect(ticket.actor).toMatchObject({ name: "Maria Rivera", role: "client" });
    // The same link on a laptop is the same person: her lists and comments follow her.
    const laptop = await open(url);
    const again = await json(await call("POST", `/g/${g.id}/room-token`, { host: laptop.host, jar: laptop.jar }));
    expect(again.actor.id).toBe(ticket.actor.id);
  });

  it("stop working after a password change, on another studio, or forged; bad input is named", async () => {
    const o = await signUp("invite-refusals");
    const b = await signUp("invite-other");
    const g = await newGallery(o, { visibility: "password", password: "secret-pw" });
    const { url } = (await json(await invite(o, g.id, { name: "Sam" }))).invite;
    const path = new URL(url).pathname;
    const onB = await call("GET", path, { host: studioHost(b.studio.slug) });
    expect(onB.status).toBe(404);
    const forged = await call("GET", `/g/${g.id}/i/${path.split("/").pop()!.slice(0, -4)}AAAA`, { host: studioHost(o.studio.slug) });
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain("ask the studio for a new one");
    await call("PATCH", `/api/studios/${o.studio.id}/galleries/${g.id}`, { jar: o.jar, body: { password: "new-secret" } });
    const stale = await call("GET", path, { host: studioHost(o.studio.slug) });
    expect(stale.status).toBe(404);
    expect(stale.headers.get("set-cookie")).toBeNull();
    const bad = await invite(o, g.id, { email: "x@example.test" });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/name: is required/);
  });
});

describe("invite mail", () => {
  it(
    `is budgeted per address: after ${ATTEMPTS.mailTo.limit} to one address in a day the next is refused, naming when, and mails nothing`,
    EDGE_TIMEOUT,
    async () => {
      await awayFromWindowEdge(ATTEMPTS.mailTo.windowMs);
      const o = await signUp("invite-spam");
      const g = await newGallery(o);
      for (let i = 0; i < ATTEMPTS.mailTo.limit; i++) expect((await invite(o, g.id, { name: `Client ${i}`, email: "victim@example.test" })).status).toBe(201);
      const refused = await invite(o, g.id, { name: "One more", email: "Victim@Example.test" });
      expect(refused.status).toBe(429);
      expect((await json(refused)).error.message).toMatch(/Too many mails from this studio to this address today; try again in \d+ (hours|minutes?)/);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      // A link without mail is still made.
      expect((await invite(o, g.id, { name: "By hand" })).status).toBe(201);
      const mail = (await json(await call("GET", `/api/studios/${o.studio.id}/store/mail?limit=200`, { jar: o.jar }))).mail;
      expect(mail.filter((m: { to: string }) => m.to === "victim@example.test")).toHaveLength(ATTEMPTS.mailTo.limit);
    },
  );
});
