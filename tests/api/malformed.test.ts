// Requests an attacker makes up: each answers 4xx in the app's error shape, names what is wrong,
// changes nothing and tells a stranger nothing about a private gallery.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { galleriesPath, newGallery } from "../helpers/galleries";
import { call, expectError, freshIp, json, signUp, studioHost } from "../helpers/http";
import { intentId, joinAsClient } from "../rooms/room-client";

describe("made-up addresses", () => {
  it("a photo id with dots, or 1,100 characters long, is simply not there", async () => {
    const owner = await signUp("bad-paths");
    const g = await newGallery(owner);
    const host = studioHost(owner.studio.slug);
    await expectError(await call("GET", `/media/${g.id}/a..b/thumb.jpg`, { host }), 404, "not_found");
    await expectError(await call("GET", `/media/${g.id}/${"p".repeat(1100)}/thumb.jpg`, { host }), 404, "not_found");
    await expectError(await call("GET", `/media/${g.id}/${"p".repeat(1100)}/preview.jpg`, { host }), 404, "not_found");
    await expectError(await call("GET", `/media/${"g".repeat(300)}/x/thumb.jpg`, { host }), 404, "not_found");
  });

  it("a room socket with a 300-character connection id is refused by name, without a stack trace", async () => {
    const owner = await signUp("bad-pk");
    const g = await newGallery(owner);
    const host = studioHost(owner.studio.slug);
    const res = await call("GET", `/g/${g.id}/room?token=x&_pk=${"k".repeat(300)}`, { host, headers: { upgrade: "websocket" } });
    await expectError(res, 400, "invalid_input", /_pk: must be 1 to 128/);
  });
});

describe("text and numbers that mean nothing", () => {
  it("NUL bytes, other control characters and lone surrogates in names are refused at their field; nothing changes", async () => {
    const owner = await signUp("bad-text");
    const g = await newGallery(owner, { title: "Before" });
    const patch = (body: unknown) => call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body });
    await expectError(await patch({ title: "Bad\u0000title" }), 400, "invalid_input", /title: must not contain control characters/);
    await expectError(await patch({ clientName: "Esc\u001b[31m" }), 400, "invalid_input", /clientName: must not contain control characters/);
    await expectError(await patch({ description: "half \ud83d an emoji" }), 400, "invalid_input", /description: must be valid text/);
    // Line breaks and tabs are text; a whole emoji is too.
    expect((await patch({ description: "Line one\nLine two\tand 📷" })).status).toBe(200);
    const after = await json(await call("GET", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar }));
    expect(after.gallery.title).toBe("Before");
  });

  it("positions and dates no number or Date can hold are refused at their field", async () => {
    const owner = await signUp("bad-numbers");
    const g = await newGallery(owner);
    const set = await json(await call("POST", `${galleriesPath(owner)}/${g.id}/sets`, { jar: owner.jar, body: { name: "Ceremony" } }));
    const setPath = `${galleriesPath(owner)}/${g.id}/sets/${set.set.id}`;
    await expectError(await call("PATCH", setPath, { jar: owner.jar, body: { position: 1e300 } }), 400, "invalid_input", /position: must be a number between/);
    const patch = (body: unknown) => call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body });
    await expectError(await patch({ expiresAt: 1e300 }), 400, "invalid_input", /expiresAt: must be a number between/);
    await expectError(await patch({ expiresAt: 8.64e15 }), 400, "invalid_input", /expiresAt: must be a date before 2200/);
    await expectError(await patch({ expiresAt: "9999-12-31T00:00:00Z" }), 400, "invalid_input", /expiresAt: must be a date before 2200/);
    await expectError(await patch({ selection: { dueAt: 5 } }), 400, "invalid_input", /selection.dueAt: must be a date in 2000 or later/);
    const after = await json(await call("GET", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar }));
    expect(after.gallery.expiresAt).toBeNull();
  });

  it("the room refuses a list name with a control character, naming the field", async () => {
    const owner = await signUp("bad-room-text");
    const g = await newGallery(owner);
    const kim = await joinAsClient(owner.studio.slug, g.id, "Kim");
    const reply = await kim.intent({ type: "list.create", id: intentId(), listId: "kim-list", name: "Fav\u0007ourites" });
    expect(reply).toMatchObject({ type: "rejected", code: "invalid_intent" });
    expect(reply.message).toMatch(/name: must not contain control characters/);
    expect(kim.lists.size).toBe(0);
  });
});

describe("a private gallery's refusals", () => {
  it("never name its title to someone without the password", async () => {
    const owner = await signUp("quiet-refusals");
    const g = await newGallery(owner, { title: "Smith–Jones wedding", visibility: "password", password: "secret-pass" });
    const host = studioHost(owner.studio.slug);
    const messages = [
      await expectError(await call("POST", `/g/${g.id}/room-token`, { host }), 401, "password_required"),
      await expectError(await call("POST", `/g/${g.id}/access`, { host, ip: freshIp(), body: { password: "wrong-one" } }), 401, "password_required"),
    ];
    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { expiresAt: Date.now() - 1000 } });
    messages.push(await expectError(await call("POST", `/g/${g.id}/room-token`, { host }), 410, "gallery_expired"));
    for (const m of messages) expect(m).not.toMatch(/Smith|Jones|wedding/);
  });
});

describe("a studio's website", () => {
  it("answers one network at most 600 requests a minute, then 429 with when to retry; other networks are served", async () => {
    const owner = await signUp("site-budget");
    const host = studioHost(owner.studio.slug);
    const ip = freshIp();
    // The budget is a window of a clock minute: start well inside one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 25_000) await new Promise((r) => setTimeout(r, left + 200));
    // Every request counts, whatever it asks for (an address that does not exist too).
    const first = await call("GET", "/no-such-page", { host, ip });
    expect(first.status).toBe(404);
    await first.body?.cancel();
    // The other 599 of the minute spent on the same binding, as 599 more requests would.
    for (let i = 0; i < 599; i++) expect((await env.ANON_LIMITER.limit({ key: ip })).success).toBe(true);
    const refused = await call("GET", "/", { host, ip });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await json(refused)).error.message).toMatch(/Too many requests from your network/);
    expect((await call("GET", "/", { host, ip: freshIp() })).status).toBe(200);
  });
});
