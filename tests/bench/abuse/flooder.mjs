// bench:abuse's flooder, in a worker thread of its own so its sending never delays the legitimate
// client's event loop: one visitor (one room token) on `sockets` sockets, offering `rate` frames a
// second between them (three comment intents to one awareness update) for `seconds`, and opening a
// socket again 200 ms after the room closes it, as an attacker would.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";

const { url, host, ip, photoId, sockets, rate, seconds, reconnect } = workerData;
const TICK_MS = 20;
const stats = { framesSent: 0, framesDropped: 0, acks: 0, refused: 0, closes: {}, opens: 0, upgradesRefused: {}, firstCloseAfterS: null, ackTimesS: [] };
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;

/** A y-protocols awareness message with one client's state. */
function awarenessFrame(clientId, clock, state) {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify(state));
  const msg = encoding.createEncoder();
  encoding.writeVarUint(msg, 1);
  encoding.writeVarUint8Array(msg, encoding.toUint8Array(update));
  return encoding.toUint8Array(msg);
}

let running = true;
let i = 0;
const open = [];
// A socket the room closed can linger half-closed behind wrangler's proxy; after a second the
// attacker stops waiting for the handshake and opens another.
const closing = new Map();

function connect() {
  const ws = new WebSocket(url, { headers: { host, "cf-connecting-ip": ip }, perMessageDeflate: false });
  stats.opens += 1;
  ws.on("open", () => open.push(ws));
  ws.on("message", (data, binary) => {
    if (binary) return;
    const text = data.toString();
    if (text.includes('"ack"')) {
      stats.acks += 1;
      stats.ackTimesS.push(Math.round(elapsed() * 10) / 10);
    } else if (text.includes('"rate_limited"')) stats.refused += 1;
  });
  ws.on("close", (code) => {
    stats.closes[code] = (stats.closes[code] ?? 0) + 1;
    stats.firstCloseAfterS ??= Math.round(elapsed() * 100) / 100;
    const at = open.indexOf(ws);
    if (at >= 0) open.splice(at, 1);
    if (running && reconnect) setTimeout(connect, 200);
  });
  // A refused upgrade (the per-IP budget answering 429 before the room is asked).
  ws.on("error", (err) => {
    const status = /Unexpected server response: (\d+)/.exec(String(err.message))?.[1];
    if (status) stats.upgradesRefused[status] = (stats.upgradesRefused[status] ?? 0) + 1;
  });
}

for (let s = 0; s < sockets; s++) connect();

// Each tick, the frames due since the start, spread round the open sockets. A frame due while no
// socket is open, or whose socket's buffer is full, is counted as dropped, not sent later.
const timer = setInterval(() => {
  for (const ws of [...open]) {
    if (ws.readyState === WebSocket.OPEN) continue;
    if (!closing.has(ws)) closing.set(ws, performance.now());
    else if (performance.now() - closing.get(ws) > 1000) {
      closing.delete(ws);
      ws.terminate();
    }
  }
  const due = Math.floor(elapsed() * rate) - stats.framesSent - stats.framesDropped;
  for (let k = 0; k < due; k++) {
    const ws = open[(i + k) % Math.max(1, open.length)];
    if (!ws || ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > 1024 * 1024) {
      stats.framesDropped += 1;
      continue;
    }
    i += 1;
    if (i % 4 === 0) ws.send(awarenessFrame(4242, i, { viewing: photoId }));
    else ws.send(`__YPS:${JSON.stringify({ type: "comment.add", id: `flood-${i}`, commentId: `flood-${i}`, photoId, text: `flood ${i}` })}`);
    stats.framesSent += 1;
  }
}, TICK_MS);

setTimeout(() => {
  running = false;
  clearInterval(timer);
  stats.seconds = elapsed();
  for (const ws of [...open]) ws.terminate();
  parentPort.postMessage(stats);
}, seconds * 1000);
