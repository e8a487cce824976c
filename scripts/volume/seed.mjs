// The busy studio of `npm run seed:volume` and `npm run bench:volume`: a studio a few years into its
// business, made the way the studio and its clients make one — through Loupe's HTTP API (whose
// routes call the domain functions) and the gallery room's intents — never by writing SQL.
//   VOLUME_GALLERIES=1000  VOLUME_PHOTOS=5000 (the wedding)  VOLUME_SMALL=100 (a second gallery)
//   VOLUME_ORDERS=10000  VOLUME_MESSAGES=2000  VOLUME_VISITORS=300 (each a list of VOLUME_PICKS=50
//   picks and 3 comments in the wedding's room)  VOLUME_CONCURRENCY=8
import { performance } from "node:perf_hooks";
import { SignJWT } from "jose";
import sharp from "sharp";
import WebSocket from "ws";

const env = (name, fallback) => Number(process.env[name] ?? fallback);
export const SIZES = {
  galleries: env("VOLUME_GALLERIES", 1000),
  photos: env("VOLUME_PHOTOS", 5000),
  small: env("VOLUME_SMALL", 100),
  orders: env("VOLUME_ORDERS", 10000),
  messages: env("VOLUME_MESSAGES", 2000),
  visitors: env("VOLUME_VISITORS", 300),
  picks: env("VOLUME_PICKS", 50),
  concurrency: env("VOLUME_CONCURRENCY", 8),
};
export const BUSY = { slug: "busy", studioName: "Busy Studio", name: "Bea Busy", email: "bea@busy.localhost", password: "busy-password-2026" };
const SETS = ["Getting ready", "Ceremony", "Reception", "Party"];

export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pad = (i, n = 4) => String(i).padStart(n, "0");
// A client's address, one per visitor: the per-IP budgets of checkout and the contact form apply
// to each as they would to real clients.
const ipOf = (i) => `203.0.${(i >> 8) & 255}.${i & 255}`;
const cookieOf = (res) => (res.cookies ?? []).map((c) => c.split(";")[0]).join("; ");
const STUDIO = Symbol("the busy studio's session");
/** A Cookie header with the pairs of `setCookies` put over those of `header`. */
const withCookies = (header, setCookies) => {
  const pairs = new Map(header.split("; ").map((p) => [p.split("=")[0], p]));
  for (const c of setCookies ?? []) pairs.set(c.split("=")[0], c.split(";")[0]);
  return [...pairs.values()].join("; ");
};

async function must(promise, status, what) {
  const res = await promise;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text?.slice(0, 300)}`);
  return res;
}

/** A small distinct JPEG, as a browser's uploader sends a master (the pipeline makes real derivatives). */
const jpeg = (i) =>
  sharp({ create: { width: 96, height: 64, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 } } })
    .jpeg({ quality: 80 })
    .toBuffer();

/**
 * Seeds the busy studio on a running Loupe (`call` as tests/bench/harness/http.mjs makes it) and
 * answers what a measurement needs: the studio, its session, the wedding and the small gallery.
 * `secret`: the local JWT_SECRET, to mint the room tokens the worker would mint for 300 visitors.
 */
export async function seedVolume({ port, call: send, secret, log = console.log }) {
  const app = `app.localhost:${port}`;
  // The studio's calls say `cookie` (STUDIO below) and carry its session. An access token lives 15
  // minutes and a full seed runs longer, so a 401 refreshes the session, as the dashboard does,
  // and the call is made once more.
  const session = { cookie: "" };
  const call = async (p, method, host, path, opts = {}) => {
    const mine = opts.cookie === STUDIO;
    const res = await send(p, method, host, path, mine ? { ...opts, cookie: session.cookie } : opts);
    if (!mine || res.status !== 401) return res;
    const refreshed = await send(p, "POST", app, "/api/auth/refresh", { cookie: session.cookie });
    if (refreshed.status !== 200) return res;
    session.cookie = withCookies(session.cookie, refreshed.cookies);
    return send(p, method, host, path, { ...opts, cookie: session.cookie });
  };
  const studioHost = `${BUSY.slug}.localhost:${port}`;
  const C = SIZES.concurrency;
  const timings = {};
  const step = async (name, fn) => {
    const t0 = performance.now();
    const out = await fn();
    timings[name] = Math.round((performance.now() - t0) / 100) / 10;
    log(`  ${name}: ${timings[name]} s`);
    return out;
  };

  const signup = await call(port, "POST", app, "/api/auth/signup", {
    body: { studioName: BUSY.studioName, slug: BUSY.slug, name: BUSY.name, email: BUSY.email, password: BUSY.password },
  });
  if (signup.status !== 201) throw new Error(`the busy studio exists already (${signup.status}): seed a fresh state dir (LOUPE_STATE_DIR)`);
  session.cookie = cookieOf(signup);
  const cookie = STUDIO;
  const studioId = signup.json.studio.id;
  const api = `/api/studios/${studioId}`;
  await must(call(port, "PATCH", app, api, { cookie, body: { contactEmail: BUSY.email } }), 200, "profile");
  const sheet = (
    await must(
      call(port, "POST", app, `${api}/store/price-sheets`, {
        cookie,
        body: { name: "Digital", currency: "usd", items: [{ kind: "digital", name: "Web download", variant: "web", unitAmount: 500 }] },
      }),
      201,
      "price sheet",
    )
  ).json.priceSheet;

  await step(`${SIZES.galleries} galleries`, () =>
    mapLimit(
      Array.from({ length: SIZES.galleries }, (_, i) => i),
      C,
      (i) =>
        must(
          call(port, "POST", app, `${api}/galleries`, {
            cookie,
            body: { title: `Wedding ${pad(i)}`, clientName: `Client ${pad(i)}`, clientEmail: `client${pad(i)}@busy.localhost` },
          }),
          201,
          "gallery",
        ),
    ),
  );

  const gallery = async (title, n) => {
    const g = (await must(call(port, "POST", app, `${api}/galleries`, { cookie, body: { title, visibility: "public", sets: SETS } }), 201, title)).json.gallery;
    await must(call(port, "PATCH", app, `${api}/galleries/${g.id}`, { cookie, body: { priceSheetId: sheet.id } }), 200, "sell");
    const path = `${api}/galleries/${g.id}/photos`;
    await mapLimit(
      Array.from({ length: n }, (_, i) => i),
      C,
      async (i) => {
        const bytes = await jpeg(i);
        const setId = g.sets[Math.floor((i * SETS.length) / n)].id;
        const made = await must(
          call(port, "POST", app, path, { cookie, body: { filename: `IMG_${pad(i + 1)}.jpg`, size: bytes.length, contentType: "image/jpeg", setId } }),
          201,
          "photo",
        );
        await must(call(port, "PUT", app, `${path}/${made.json.photo.id}/master`, { cookie, body: new Uint8Array(bytes), type: "image/jpeg" }), 200, "master");
      },
    );
    return g;
  };
  const [wedding, small] = await step(`${SIZES.photos} + ${SIZES.small} photos uploaded`, async () => [
    await gallery("The Big Wedding", SIZES.photos),
    await gallery("Portraits", SIZES.small),
  ]);

  await step(`${SIZES.messages} contact messages`, () =>
    mapLimit(
      Array.from({ length: SIZES.messages }, (_, i) => i),
      C,
      (i) =>
        must(
          call(port, "POST", studioHost, "/contact", {
            headers: { "cf-connecting-ip": ipOf(i) },
            body: { name: `Client ${pad(i)}`, email: `client${pad(i)}@busy.localhost`, message: `Hello, about our wedding (${i}).` },
          }),
          201,
          "contact",
        ),
    ),
  );

  const readyCount = async (g) => (await must(call(port, "GET", app, `${api}/galleries/${g.id}`, { cookie }), 200, "gallery")).json.gallery.photos;
  await step("photos processed (ready)", async () => {
    for (;;) {
      const [a, b] = [await readyCount(wedding), await readyCount(small)];
      if (a.ready + a.failed === SIZES.photos && b.ready + b.failed === SIZES.small) return;
      await sleep(3000);
    }
  });

  // Clients: each names themself (their visitor cookie), then buys web downloads, one order each time.
  const photoIdsOf = async (galleryId) => {
    const out = [];
    for (let cursor = ""; ; ) {
      const page = (await must(call(port, "GET", app, `${api}/galleries/${galleryId}/photos?limit=200${cursor}`, { cookie }), 200, "photos")).json;
      out.push(...page.photos.map((p) => p.id));
      if (!page.next) return out;
      cursor = `&cursor=${encodeURIComponent(page.next)}`;
    }
  };
  const ids = await photoIdsOf(wedding.id);
  const visitors = await step(`${SIZES.visitors} visitors named`, () =>
    mapLimit(
      Array.from({ length: SIZES.visitors }, (_, i) => i),
      C,
      async (i) => {
        const res = await must(
          call(port, "POST", studioHost, `/g/${wedding.id}/access`, { headers: { "cf-connecting-ip": ipOf(i) }, body: { name: `Guest ${pad(i, 3)}` } }),
          200,
          "access",
        );
        return { i, cookie: cookieOf(res), ip: ipOf(i) };
      },
    ),
  );
  const item = sheet.items[0].id;
  // A visitor's cart is theirs: each visitor's orders go one after another, the visitors side by side.
  const orders = await step(`${SIZES.orders} orders`, async () => {
    const placed = await mapLimit(visitors, C, async (v) => {
      const mine = [];
      for (let n = v.i; n < SIZES.orders; n += visitors.length) {
        const headers = { "cf-connecting-ip": ipOf(10_000 + n) };
        await must(
          call(port, "PUT", studioHost, `/g/${wedding.id}/cart`, {
            cookie: v.cookie,
            headers,
            body: { lines: [{ itemId: item, photoIds: [ids[n % ids.length]] }] },
          }),
          200,
          "cart",
        );
        const res = await must(
          call(port, "POST", studioHost, `/g/${wedding.id}/checkout`, {
            cookie: v.cookie,
            headers,
            body: { name: `Guest ${pad(v.i, 3)}`, email: `guest${pad(v.i, 3)}@busy.localhost` },
          }),
          201,
          "checkout",
        );
        mine.push(res.json.order.id);
      }
      return mine;
    });
    return placed.flat();
  });
  await step(`${Math.ceil(orders.length / 4)} orders marked paid`, () =>
    mapLimit(
      orders.filter((_, i) => i % 4 === 0),
      C,
      (id) => must(call(port, "POST", app, `${api}/store/orders/${id}/mark-paid`, { cookie }), 200, "paid"),
    ),
  );

  // The wedding's room: every visitor makes a list of picks and says a few words. The small
  // gallery's room gets five of them, the room a busy one is measured against.
  const key = new TextEncoder().encode(secret);
  const seedRoom = async (galleryId, people, photoIds) => {
    const access = await must(
      call(port, "POST", studioHost, `/g/${galleryId}/access`, { headers: { "cf-connecting-ip": ipOf(0) }, body: { name: "Guest" } }),
      200,
      "access",
    );
    const ticket = await must(call(port, "POST", studioHost, `/g/${galleryId}/room-token`, { cookie: cookieOf(access) }), 200, "room token");
    const av = JSON.parse(Buffer.from(ticket.json.token.split(".")[1], "base64url").toString()).av ?? null;
    await mapLimit(people, 25, async (v) => {
      const token = await new SignJWT({ tid: studioId, gid: galleryId, name: `Guest ${pad(v.i, 3)}`, role: "client", av })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(`v_busy_${pad(v.i, 3)}`)
        .setIssuer("loupe")
        .setAudience("loupe:room")
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(key);
      await roomVisit(`ws://127.0.0.1:${port}/g/${galleryId}/room?token=${token}`, studioHost, v.i, photoIds);
    });
  };
  await step(`room: ${SIZES.visitors} visitors × ${SIZES.picks} picks + 3 comments`, () => seedRoom(wedding.id, visitors, ids));
  await step(`small gallery's room: 5 visitors × ${SIZES.picks} picks + 3 comments`, async () =>
    seedRoom(small.id, visitors.slice(0, 5), await photoIdsOf(small.id)),
  );
  return { studioId, cookie: session.cookie, studioHost, appHost: app, wedding: wedding.id, small: small.id, timings };
}

/** One visitor in the room: a list, SIZES.picks picks and three comments, each intent answered before the next. */
async function roomVisit(url, host, n, photoIds) {
  const ws = new WebSocket(url, { headers: { host }, perMessageDeflate: false });
  const replies = new Map();
  ws.on("message", (data, binary) => {
    if (binary) return;
    const text = data.toString();
    if (!text.startsWith("__YPS:")) return;
    const msg = JSON.parse(text.slice(6));
    replies.get(msg.id)?.(msg);
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let seq = 0;
  const send = (body) =>
    new Promise((resolve) => {
      const id = `seed-${n}-${seq++}`;
      replies.set(id, resolve);
      ws.send(`__YPS:${JSON.stringify({ ...body, id })}`);
    }).then((reply) => {
      if (reply.type === "rejected" && reply.code === "rate_limited") return sleep(reply.retryAfterMs ?? 1000).then(() => send(body));
      return reply;
    });
  const listId = `l-seed-${n}`;
  await send({ type: "list.create", listId, name: "Favourites" });
  for (let k = 0; k < SIZES.picks; k++) await send({ type: "pick", listId, photoId: photoIds[(n * 17 + k * 101) % photoIds.length] });
  for (let k = 0; k < 3; k++)
    await send({ type: "comment.add", commentId: `c-seed-${n}-${k}`, photoId: photoIds[(n * 31 + k) % photoIds.length], text: `Love this one (${k + 1})` });
  ws.close();
}
