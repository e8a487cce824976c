// The studio website's contact form: a message lands in that studio's dashboard only, bad input
// is refused by field, and a bot that fills the hidden field is thanked and forgotten.
import { describe, expect, it } from "vitest";
import { ATTEMPTS } from "../../worker/domain/limits/attempts";
import { call, freshIp, json, signUp, studioHost } from "../helpers/http";
import { awayFromWindowEdge, EDGE_TIMEOUT } from "../helpers/windows";

const send = (slug: string, body: unknown) =>
  call("POST", "/contact", { host: studioHost(slug), ip: freshIp(), body, headers: { origin: `http://${studioHost(slug)}` } });

describe("contact form", () => {
  it("delivers a message to its studio's dashboard, marks it read, and never to another studio", async () => {
    const a = await signUp("contact-a");
    const b = await signUp("contact-b");
    const home = await (await call("GET", "/", { host: studioHost(a.studio.slug) })).text();
    expect(home).toContain('<form id="contact"');
    expect((await send(a.studio.slug, { name: "Nora", email: "nora@example.test", message: "Are you free on 12 June?" })).status).toBe(201);
    const inbox = await json(await call("GET", `/api/studios/${a.studio.id}/messages`, { jar: a.jar }));
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0]).toMatchObject({ name: "Nora", email: "nora@example.test", message: "Are you free on 12 June?", readAt: null });
    expect((await call("POST", `/api/studios/${a.studio.id}/messages/${inbox.messages[0].id}/read`, { jar: a.jar })).status).toBe(204);
    expect((await json(await call("GET", `/api/studios/${a.studio.id}/messages`, { jar: a.jar }))).messages[0].readAt).toBeGreaterThan(0);
    expect((await json(await call("GET", `/api/studios/${b.studio.id}/messages`, { jar: b.jar }))).messages).toEqual([]);
    // B cannot mark A's message read, nor read A's inbox.
    expect((await call("POST", `/api/studios/${b.studio.id}/messages/${inbox.messages[0].id}/read`, { jar: b.jar })).status).toBe(404);
    expect((await call("GET", `/api/studios/${a.studio.id}/messages`, { jar: b.jar })).status).toBe(404);
  });

  it("refuses bad input by field and stores nothing; a filled hidden field is thanked and dropped", async () => {
    const a = await signUp("contact-bad");
    const cases: [unknown, RegExp][] = [
      [{ name: "Nora", email: "nora@example.test" }, /message: is required/],
      [{ name: "Nora", email: "not-an-email", message: "Hi" }, /email: /],
      [{ name: "", email: "nora@example.test", message: "Hi" }, /name: is required/],
      [{ name: "Nora", email: "nora@example.test", message: "x".repeat(4001) }, /message: must be at most 4000/],
      [{ name: "Nora", email: "nora@example.test", message: "Hi", admin: true }, /admin/],
    ];
    for (const [body, message] of cases) {
      const res = await send(a.studio.slug, body);
      expect(res.status).toBe(400);
      expect((await json(res)).error.message).toMatch(message);
    }
    const raw = await call("POST", "/contact", {
      host: studioHost(a.studio.slug),
      ip: freshIp(),
      rawBody: "name=Nora",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${studioHost(a.studio.slug)}` },
    });
    expect(raw.status).toBe(415);
    expect((await send(a.studio.slug, { name: "Bot", email: "bot@example.test", message: "Buy now", website: "http://spam.test" })).status).toBe(201);
    expect((await json(await call("GET", `/api/studios/${a.studio.id}/messages`, { jar: a.jar }))).messages).toEqual([]);
  });

  it(`takes ${ATTEMPTS.contact.limit} messages an hour per studio from any number of networks, then says when to retry`, EDGE_TIMEOUT, async () => {
    await awayFromWindowEdge(ATTEMPTS.contact.windowMs, 30_000);
    const a = await signUp("contact-flood");
    const other = await signUp("contact-calm");
    const msg = (i: number) => ({ name: `Sender ${i}`, email: `s${i}@example.test`, message: `Message ${i}` });
    for (let i = 0; i < ATTEMPTS.contact.limit; i++) expect((await send(a.studio.slug, msg(i))).status).toBe(201);
    const spent = await send(a.studio.slug, msg(999));
    expect(spent.status).toBe(429);
    expect((await json(spent)).error.message).toMatch(/Too many messages to this studio this hour; try again in \d+ minutes?/);
    expect(Number(spent.headers.get("retry-after"))).toBeGreaterThan(0);
    const inbox = await json(await call("GET", `/api/studios/${a.studio.id}/messages?limit=200`, { jar: a.jar }));
    expect(inbox.messages).toHaveLength(ATTEMPTS.contact.limit);
    // Another studio's form is not affected.
    expect((await send(other.studio.slug, msg(1))).status).toBe(201);
  });
});
