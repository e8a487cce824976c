// Live proofing against wrangler dev with real WebSocket clients: a client's acknowledged picks
// and comments reach the photographer live, survive wrangler dev being killed and restarted, and
// reach the dashboard's export through the D1 mirror.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { intentId, RoomProtocol, until } from "../rooms/room-protocol";
import { http, type Running, startLoupe } from "./server";

let loupe: Running;
const demoHost = () => `demo.localhost:${loupe.port}`;
const appHost = () => `app.localhost:${loupe.port}`;

beforeAll(async () => {
  loupe = await startLoupe("Demo login:");
});

afterAll(async () => {
  await loupe?.stop();
});

const cookiesOf = (res: { headers: Record<string, string | string[] | undefined> }) =>
  ([res.headers["set-cookie"] ?? []].flat() as string[]).map((c) => c.split(";")[0]).join("; ");

async function dashboard() {
  const [, email, password] = /Demo login:\s+(\S+) \/ (\S+)/.exec(loupe.output())!;
  const login = await http(loupe.port, "POST", appHost(), "/api/auth/login", { email, password }, { origin: `http://${appHost()}` });
  expect(login.status).toBe(200);
  const cookie = cookiesOf(login);
  const me = JSON.parse((await http(loupe.port, "GET", appHost(), "/api/me", undefined, { cookie })).text);
  const studioId = me.studios?.[0]?.tenant?.id;
  expect(studioId, JSON.stringify(me)).toBeTruthy();
  return { cookie, studioId: studioId as string };
}

function open(host: string, path: string, token: string, cookie?: string): Promise<RoomProtocol & { ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${loupe.port}${path}?token=${encodeURIComponent(token)}`, {
    headers: { host, ...(cookie ? { cookie } : {}) },
  });
  const client = Object.assign(new RoomProtocol((d) => ws.send(d)), { ws });
  ws.on("message", (data, isBinary) => client.receive(isBinary ? new Uint8Array(data as Buffer) : data.toString()));
  ws.on("close", (code, reason) => (client.closed = { code, reason: reason.toString() }));
  return new Promise((resolve, reject) => {
    ws.on("open", () => {
      client.hello();
      resolve(client);
    });
    ws.on("error", reject);
  });
}

async function joinAsClient(galleryId: string, name: string) {
  const origin = { origin: `http://${demoHost()}` };
  const access = await http(loupe.port, "POST", demoHost(), `/g/${galleryId}/access`, { name }, origin);
  expect(access.status, access.text).toBe(200);
  const cookie = cookiesOf(access);
  const ticket = await http(loupe.port, "POST", demoHost(), `/g/${galleryId}/room-token`, undefined, { ...origin, cookie });
  expect(ticket.status, ticket.text).toBe(200);
  const { token, path } = JSON.parse(ticket.text);
  return (await open(demoHost(), path, token)).ready();
}

async function joinAsPhotographer(d: { cookie: string; studioId: string }, galleryId: string) {
  const res = await http(loupe.port, "POST", appHost(), `/api/studios/${d.studioId}/galleries/${galleryId}/room-token`, undefined, {
    cookie: d.cookie,
    origin: `http://${appHost()}`,
  });
  expect(res.status, res.text).toBe(200);
  const { token, path } = JSON.parse(res.text);
  return (await open(appHost(), path, token, d.cookie)).ready();
}

describe("live proofing against wrangler dev", () => {
  it("a client's picks reach the photographer live, survive a killed and restarted wrangler dev, and reach the export", async () => {
    const galleryId = /Sample gallery:\s+\S+\/g\/(g_\w+)/.exec(loupe.output())![1]!;
    const d = await dashboard();
    const photos = JSON.parse(
      (await http(loupe.port, "GET", appHost(), `/api/studios/${d.studioId}/galleries/${galleryId}/photos`, undefined, { cookie: d.cookie })).text,
    ).photos as { id: string; filename: string }[];
    expect(photos.length).toBe(12);
    const studio = await joinAsPhotographer(d, galleryId);
    const ana = await joinAsClient(galleryId, "Ana");

    const listId = "ana-album";
    expect((await ana.intent({ type: "list.create", id: intentId(), listId, name: "Album" })).type).toBe("ack");
    const picked = photos.slice(0, 6);
    for (const p of picked) expect((await ana.intent({ type: "pick", id: intentId(), listId, photoId: p.id })).type).toBe("ack");
    expect((await ana.intent({ type: "comment.add", id: intentId(), commentId: "ana-c1", photoId: picked[0]!.id, text: "Our favourite!" })).type).toBe("ack");
    await until(() => studio.picks.size === 6 && studio.comments.has("ana-c1"), "the photographer sees every pick live");

    // Killed right after the last acknowledgement: no graceful shutdown, no time for the mirror.
    await loupe.stop(true, "SIGKILL");
    loupe = await startLoupe("Demo login:", 200_000, { port: loupe.port, stateDir: loupe.stateDir });

    const back = await joinAsClient(galleryId, "Ana again");
    await until(() => back.lists.has(listId), "the document after restart", 15_000);
    expect([...back.picks.keys()].sort()).toEqual(picked.map((p) => `${listId}/${p.id}`).sort());
    expect(back.comments.get("ana-c1")?.text).toBe("Our favourite!");

    const d2 = await dashboard();
    const lists = await until(
      async () => {
        const res = await http(loupe.port, "GET", appHost(), `/api/studios/${d2.studioId}/galleries/${galleryId}/selections`, undefined, { cookie: d2.cookie });
        const body = JSON.parse(res.text);
        return body.lists?.[0]?.count === 6 ? body.lists : undefined;
      },
      "the D1 mirror",
      20_000,
    );
    expect(lists[0].filenames).toEqual(picked.map((p) => p.filename));
    back.ws.close();
  });
});

describe("a refused body", () => {
  it("over the JSON limit and sent chunked, is answered 413 and read to its end: the connection serves the next request", async () => {
    const socket = connect(loupe.port, "127.0.0.1");
    let received = "";
    socket.on("data", (d) => {
      received += d.toString();
    });
    await new Promise((r) => socket.once("connect", r));
    socket.write(`POST /api/auth/signup HTTP/1.1\r\nHost: ${appHost()}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = "x".repeat(16 * 1024);
    for (let i = 0; i < 8; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    socket.write("0\r\n\r\n");
    await until(() => received.includes("payload_too_large"), "the 413");
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    // The same connection, the next request.
    socket.write(`GET /readyz HTTP/1.1\r\nHost: ${appHost()}\r\n\r\n`);
    await until(() => /HTTP\/1\.1 200 /.test(received), "the next request's answer on the same connection", 10_000);
    socket.destroy();
  });
});
