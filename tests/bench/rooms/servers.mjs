// bench:rooms' two servers: the reference relay (@y/websocket-server in a Node child of its own,
// so it shares no event loop with the clients) and Loupe under `npm start`, with what the
// scenarios need of it: the sample gallery and its photos, room tokens, galleries for idle rooms.
import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { SignJWT } from "jose";
import { cookieHeader, must } from "../harness/http.mjs";
import { devWorkerds, startLoupe } from "../harness/loupe.mjs";
import { mapLimit } from "../harness/numbers.mjs";
import { root, startChild } from "../harness/processes.mjs";
import { freePort } from "../tree.mjs";

export async function startReference() {
  const port = await freePort();
  const server = path.join(root, "node_modules/@y/websocket-server/src/server.js");
  const ref = startChild("reference relay", process.execPath, [server], {
    env: { HOST: "127.0.0.1", PORT: String(port) },
    readyText: "running at",
    timeoutMs: 30_000,
  });
  await ref.ready;
  return { port, pid: ref.child.pid, child: ref.child };
}

/** Loupe signed in as the demo studio; bench:rooms runs it in place (a wrangler dev reload during a
 *  measurement is flagged in its report), bench:abuse from a `snapshot` of the working tree. */
export async function startRoomsLoupe(call, { snapshot = false, name = "rooms" } = {}) {
  const L = await startLoupe({ name, call, snapshot });
  const { port, appHost, studioHost, cookie } = L;
  const sampleGallery = /Sample gallery: http:\/\/[^/]+\/g\/([\w-]+)/.exec(L.output())?.[1];
  if (!sampleGallery) throw new Error(`no sample gallery in npm start's output:\n${L.output().slice(-2000)}`);
  const secret = /^JWT_SECRET=(.+)$/m.exec(readFileSync(path.join(L.cwd, ".dev.vars"), "utf8"))?.[1].trim();
  if (!secret) throw new Error(".dev.vars has no JWT_SECRET");

  const tenantId = L.studioId;
  const galleriesPath = `/api/studios/${tenantId}/galleries`;
  const photos = (await must(call(port, "GET", appHost, `${galleriesPath}/${sampleGallery}/photos`, { cookie }), 200, "list photos")).json.photos.map(
    (p) => p.id,
  );
  if (!photos.length) throw new Error("the sample gallery has no photos");

  // A client's room token names the gallery's access version (av: a new password or visibility
  // shuts old tokens out). Learn it the way a browser gets its token: name yourself at
  // /g/:id/access, then ask /g/:id/room-token, and read the claim.
  const accessVersion = async (galleryId) => {
    const access = await call(port, "POST", studioHost, `/g/${galleryId}/access`, { body: { name: "Bench visitor" } });
    if (access.status !== 200) throw new Error(`POST /g/${galleryId}/access: HTTP ${access.status} ${access.text.slice(0, 300)}`);
    const visitor = cookieHeader(access.cookies);
    const ticket = (await must(call(port, "POST", studioHost, `/g/${galleryId}/room-token`, { cookie: visitor }), 200, "POST room-token")).json;
    return JSON.parse(Buffer.from(ticket.token.split(".")[1], "base64url").toString()).av ?? null;
  };

  // Room tokens are minted here with the dev secret, like the worker would (party/room-token.ts):
  // 10,000 through HTTP would only measure the token route's rate limits.
  const key = new TextEncoder().encode(secret);
  const token = (galleryId, actorId, name, av) =>
    new SignJWT({ tid: tenantId, gid: galleryId, name, role: "client", av })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(actorId)
      .setIssuer("loupe")
      .setAudience("loupe:room")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(key);

  const createGalleries = async (n) => {
    const t0 = performance.now();
    const ids = await mapLimit(
      Array.from({ length: n }, (_, i) => i),
      4,
      async (i) =>
        (
          await must(
            call(port, "POST", appHost, galleriesPath, { body: { title: `Bench idle room ${i + 1}`, visibility: "public" }, cookie }),
            201,
            "create gallery",
          )
        ).json.gallery.id,
    );
    return { ids, seconds: (performance.now() - t0) / 1000 };
  };
  return {
    port,
    child: L.child,
    appHost,
    studioHost,
    cookie,
    tenantId,
    sampleGallery,
    sampleAv: await accessVersion(sampleGallery),
    photos,
    token,
    accessVersion,
    createGalleries,
    procs: () => devWorkerds(L.child.pid, port),
    reloads: L.reloads,
    runId: `r${Date.now().toString(36)}`,
  };
}
