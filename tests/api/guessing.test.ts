// Guessing from many networks at once: passwords, download PINs and discount codes are budgeted per
// gallery as well as per IP, and new visitor identities cost the gallery's budget. A spent budget
// answers 429 with when to try again; whoever already has access goes on.
import { describe, expect, it } from "vitest";
import { ATTEMPTS } from "../../worker/domain/limits/attempts";
import { galleriesPath, newGallery, startUpload } from "../helpers/galleries";
import { CookieJar, call, freshIp, json, signUp, studioHost } from "../helpers/http";
import { awayFromWindowEdge, EDGE_TIMEOUT } from "../helpers/windows";
import { client, openShop, SHEET, storePath } from "../store/helpers";

/** `n` calls, 20 at a time, each from a network of its own. */
async function fromManyNetworks(n: number, send: (ip: string) => Promise<Response>): Promise<Response[]> {
  const out: Response[] = [];
  for (let i = 0; i < n; i += 20) out.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => send(freshIp())))));
  return out;
}

async function expectSpent(res: Response, what: RegExp) {
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(429);
  expect(body.error.code).toBe("rate_limited");
  expect(body.error.message).toMatch(what);
  const retry = Number(res.headers.get("retry-after"));
  expect(retry).toBeGreaterThan(0);
  expect(retry).toBeLessThanOrEqual(3600);
}

describe("visitor identities", () => {
  it("someone who names themselves again stays the same visitor", async () => {
    const owner = await signUp("same-visitor");
    const g = await newGallery(owner);
    const host = studioHost(owner.studio.slug);
    const jar = new CookieJar();
    const actorId = async (name: string) => {
      expect((await call("POST", `/g/${g.id}/access`, { host, jar, ip: freshIp(), body: { name } })).status).toBe(200);
      return (await json(await call("POST", `/g/${g.id}/room-token`, { host, jar }))).actor as { id: string; name: string };
    };
    const first = await actorId("Ann");
    const again = await actorId("Ann Lee");
    expect(again).toEqual({ ...first, name: "Ann Lee" });
  });

  it(
    `cost the gallery: after ${ATTEMPTS.visitor.limit} new ones in an hour the next is refused with when to retry; known visitors go on`,
    EDGE_TIMEOUT,
    async () => {
      await awayFromWindowEdge(ATTEMPTS.visitor.windowMs);
      const owner = await signUp("visitor-budget");
      const g = await newGallery(owner);
      const host = studioHost(owner.studio.slug);
      const early = new CookieJar();
      expect((await call("POST", `/g/${g.id}/access`, { host, jar: early, ip: freshIp(), body: { name: "Early" } })).status).toBe(200);
      const minted = await fromManyNetworks(ATTEMPTS.visitor.limit - 1, (ip) => call("POST", `/g/${g.id}/access`, { host, ip, body: { name: "Bot" } }));
      expect(minted.every((r) => r.status === 200)).toBe(true);
      await expectSpent(await call("POST", `/g/${g.id}/access`, { host, ip: freshIp(), body: { name: "One more" } }), /Too many new visitors for this gallery/);
      // The early visitor keeps their identity and their room.
      expect((await call("POST", `/g/${g.id}/access`, { host, jar: early, ip: freshIp(), body: { name: "Early" } })).status).toBe(200);
      expect((await call("POST", `/g/${g.id}/room-token`, { host, jar: early })).status).toBe(200);
      // Another gallery of the studio is not affected.
      const other = await newGallery(owner);
      expect((await call("POST", `/g/${other.id}/access`, { host, ip: freshIp(), body: { name: "Elsewhere" } })).status).toBe(200);
    },
  );
});

describe("secrets guessed from many networks", () => {
  it(`a gallery password: after ${ATTEMPTS.password.limit} wrong ones, even the right one waits`, EDGE_TIMEOUT, async () => {
    await awayFromWindowEdge(ATTEMPTS.password.windowMs);
    const owner = await signUp("password-budget");
    const g = await newGallery(owner, { visibility: "password", password: "right-one" });
    const host = studioHost(owner.studio.slug);
    const wrong = await fromManyNetworks(ATTEMPTS.password.limit, (ip) => call("POST", `/g/${g.id}/access`, { host, ip, body: { password: "guess" } }));
    expect(wrong.every((r) => r.status === 401)).toBe(true);
    await expectSpent(await call("POST", `/g/${g.id}/access`, { host, ip: freshIp(), body: { password: "right-one" } }), /wrong passwords for this gallery/);
  });

  it(`a download PIN: after ${ATTEMPTS.pin.limit} wrong ones from different networks, the gallery stops checking PINs for the hour`, EDGE_TIMEOUT, async () => {
    await awayFromWindowEdge(ATTEMPTS.pin.windowMs);
    const owner = await signUp("pin-budget");
    const g = await newGallery(owner, { visibility: "public" });
    await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { downloads: { mode: "web", pin: "2468" } } });
    const { photo } = await json(await startUpload(owner, g.id, "IMG_1.jpg", 1000));
    const host = studioHost(owner.studio.slug);
    const ask = (pin: string, ip: string) => call("POST", `/media/${g.id}/${photo.id}/download`, { host, ip, body: { size: "web", pin } });
    let n = 0;
    const wrong = await fromManyNetworks(ATTEMPTS.pin.limit, (ip) => ask(String(1000 + n++), ip));
    expect(wrong.map((r) => r.status)).toEqual(Array(ATTEMPTS.pin.limit).fill(403));
    expect((await json(wrong[0]!)).error.code).toBe("pin_required");
    await expectSpent(await ask("2468", freshIp()), /wrong download PINs for this gallery/);
  });

  it(
    `a discount code: a missing and an expired code get one answer, and after ${ATTEMPTS.discount.limit} wrong ones the gallery stops checking`,
    EDGE_TIMEOUT,
    async () => {
      await awayFromWindowEdge(ATTEMPTS.discount.windowMs);
      const owner = await signUp("code-budget");
      const g = await newGallery(owner);
      const host = studioHost(owner.studio.slug);
      const jar = new CookieJar();
      expect((await call("POST", `/g/${g.id}/access`, { host, jar, ip: freshIp(), body: { name: "Guesser" } })).status).toBe(200);
      const sheet = await json(await call("POST", `${storePath(owner)}/price-sheets`, { jar: owner.jar, body: SHEET }));
      expect((await call("PATCH", `${galleriesPath(owner)}/${g.id}`, { jar: owner.jar, body: { priceSheetId: sheet.priceSheet.id } })).status).toBe(200);
      const code = { code: "SPRING", kind: "percent", value: 1000, endsAt: Date.now() - 1000 };
      expect((await call("POST", `${storePath(owner)}/discounts`, { jar: owner.jar, body: code })).status).toBe(201);
      let n = 0;
      const put = (code: string, ip: string) => call("PUT", `/g/${g.id}/cart`, { host, jar, ip, body: { lines: [], discountCode: code } });
      const answers = await fromManyNetworks(ATTEMPTS.discount.limit, (ip) => put(n++ === 0 ? "SPRING" : `GUESS${n}`, ip));
      const messages = new Set(await Promise.all(answers.map(async (r) => `${r.status} ${(await json(r)).error.message}`)));
      expect([...messages]).toEqual(["400 discountCode: is not a code that can be used now"]);
      await expectSpent(await put("ANOTHER", freshIp()), /wrong discount codes in this gallery/);
    },
  );
});

describe("order confirmations to a typed address", () => {
  it(
    `an offline order mails its confirmation at most ${ATTEMPTS.mailTo.limit} times a day to one address; then checkout says when to try again`,
    EDGE_TIMEOUT,
    async () => {
      await awayFromWindowEdge(ATTEMPTS.mailTo.windowMs);
      const shop = await openShop("order-spam", 1);
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i <= ATTEMPTS.mailTo.limit; i++) {
        const c = await client(shop, `Buyer ${i}`);
        expect((await c.put({ lines: [{ itemId: shop.item("Web download"), photoIds: [shop.photoIds[0]] }] })).status).toBe(200);
        last = await c.checkout({ name: "Someone", email: "target@example.test" });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([...Array(ATTEMPTS.mailTo.limit).fill(201), 429]);
      expect((await json(last!)).error.message).toMatch(/mails from this studio to this address today/);
    },
  );
});
