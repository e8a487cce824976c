// bench:rooms scenario 1, fan-out latency: N clients in one room, a rotating sender changes the
// document, and a sample is the time until the last other client has applied the change. Loupe's
// clients send intents (acknowledged, verified afterwards); the reference relay's write Yjs updates.
import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { round, sleep, summary as summarize } from "../harness/numbers.mjs";
import { CLIENTS, MAX_TIMEOUTS, ROUND_TIMEOUT_MS, ROUNDS, WARMUP } from "./config.mjs";
import { closeAll, openMany, SyncClient } from "./sync-client.mjs";

// Rooms figures keep 2 decimals.
const summary = (xs) => summarize(xs, ["p50", "p95", "p99", "mean", "max"], 2);

/** Round r: sender r mod N; it picks photo ⌊k/2⌋ (k = ⌊r/N⌋) on even k, unpicks it on odd k, so
 *  every round really changes the document. `send(sender, key, type, photoId)` starts the change. */
async function fanOut(clients, photos, send) {
  const n = clients.length;
  const samples = [];
  const starts = [];
  const begin = performance.now();
  let timedOut = 0;
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    const sender = clients[r % n];
    const k = Math.floor(r / n);
    const photoId = photos[Math.floor(k / 2) % photos.length];
    const type = k % 2 === 0 ? "pick" : "unpick";
    const key = `${sender.listId}/${photoId}`;
    let last = 0;
    let left = n - 1;
    let done;
    const all = new Promise((resolve) => (done = resolve));
    for (const c of clients) {
      if (c === sender) continue;
      c.watch = {
        key,
        present: type === "pick",
        seen: (t) => {
          last = Math.max(last, t);
          if (--left === 0) done(true);
        },
      };
    }
    const t0 = performance.now();
    send(sender, key, type, photoId);
    const ok = await Promise.race([all, sleep(ROUND_TIMEOUT_MS).then(() => false)]);
    for (const c of clients) c.watch = null;
    if (!ok) {
      // A change that never reaches everyone is a finding, not a slow sample; after a few the
      // server is clearly broken and waiting 10 s per round would only stretch the run.
      if (++timedOut >= MAX_TIMEOUTS) {
        console.log(`  ${timedOut} rounds timed out; stopping this scenario`);
        break;
      }
      continue;
    }
    if (r >= WARMUP) {
      samples.push(last - t0);
      starts.push(t0 - begin);
    }
  }
  // Raw samples go to the JSON: a tail shows in when it happens (periodic server work or not).
  return { samples, timedOut, raw: { ms: samples.map((x) => round(x, 2)), atSeconds: starts.map((x) => round(x / 1000, 2)) } };
}

export async function referenceLatency(port, photos) {
  const specs = Array.from({ length: CLIENTS }, (_, i) => ({ name: `ref-${i}`, url: `ws://127.0.0.1:${port}/bench-latency`, writable: true }));
  const { clients, failures } = await openMany(specs, 50);
  if (clients.length !== CLIENTS) throw new Error(`reference: only ${clients.length}/${CLIENTS} clients synced: ${JSON.stringify(failures)}`);
  for (const [i, c] of clients.entries()) c.listId = `list-ref-${i}`;
  // The sender changes its own Y.Doc; its update handler sends the Yjs update to the relay.
  const { samples, timedOut, raw } = await fanOut(clients, photos, (sender, _key, type, photoId) => {
    let list = sender.picked.get(sender.listId);
    if (!list) {
      list = new Y.Map();
      sender.picked.set(sender.listId, list);
    }
    if (type === "pick") list.set(photoId, true);
    else list.delete(photoId);
  });
  await closeAll(clients);
  return { clients: clients.length, rounds: samples.length, warmup: WARMUP, timedOut, latencyMs: summary(samples), raw };
}

export async function loupeLatency(loupe, photos) {
  const { port, studioHost, sampleGallery, token, runId } = loupe;
  const url = (gid, tok) => `ws://127.0.0.1:${port}/g/${gid}/room?token=${tok}`;
  const specs = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => ({
      name: `bench-client-${i}`,
      host: studioHost,
      url: url(sampleGallery, await token(sampleGallery, `bench-client-${i}`, `Client ${i}`, loupe.sampleAv)),
    })),
  );
  const { clients, failures } = await openMany(specs, 25);
  if (clients.length !== CLIENTS) throw new Error(`Loupe: only ${clients.length}/${CLIENTS} clients synced: ${JSON.stringify(failures)}`);

  // Every intent and its outcome, to count acks and losses and to verify the document afterwards.
  const log = [];
  let seq = 0;
  const sendIntent = (client, body) => {
    const n = seq++;
    const wire = { ...body, id: `${runId}-${client.name.replace("bench-client-", "c")}-${n}` };
    const entry = { ...wire, seq: n, sentAt: performance.now(), reply: null };
    log.push(entry);
    return client.intent(wire).then((reply) => (entry.reply = reply));
  };

  // Each client makes its own list first (the room only lets a client pick into its own lists).
  await Promise.all(
    clients
      .map((c, i) => {
        c.listId = `${runId}-list-${i}`;
        return sendIntent(c, { type: "list.create", listId: c.listId, name: "Favourites" });
      })
      .map((p) => Promise.race([p, sleep(ROUND_TIMEOUT_MS)])),
  );
  const listRejected = log.filter((e) => e.reply?.type === "rejected");
  if (listRejected.length) throw new Error(`Loupe rejected list.create: ${JSON.stringify(listRejected[0].reply)}`);

  const { samples, timedOut, raw } = await fanOut(clients, photos, (sender, _key, type, photoId) => {
    sendIntent(sender, { type, listId: sender.listId, photoId });
  });
  // Give late replies a moment, then count; an intent with neither ack nor rejection is lost.
  const grace = performance.now() + ROUND_TIMEOUT_MS;
  while (log.some((e) => !e.reply) && performance.now() < grace) await sleep(50);
  const acked = log.filter((e) => e.reply?.type === "ack");
  const rejected = log.filter((e) => e.reply?.type === "rejected");
  const lost = log.filter((e) => !e.reply);
  const ackMs = acked.filter((e) => e.type !== "list.create").map((e) => e.reply.at - e.sentAt);
  await closeAll(clients);

  const verify = await verifyDocument(loupe, acked);
  return {
    clients: clients.length,
    rounds: samples.length,
    warmup: WARMUP,
    timedOut,
    latencyMs: summary(samples),
    ackMs: summary(ackMs.slice(-ROUNDS)),
    intents: { sent: log.length, acked: acked.length, rejected: rejected.length, lost: lost.length },
    rejections: rejected.slice(0, 5).map((e) => ({ intent: e.type, code: e.reply.code, message: e.reply.message })),
    lostSample: lost.slice(0, 5).map((e) => ({ id: e.id, type: e.type })),
    verify,
    raw: { ...raw, ackMs: ackMs.slice(-ROUNDS).map((x) => round(x, 2)) },
  };
}

/** A fresh client syncs the document; for every pick key, the last acknowledged intent must be
 *  what the document shows (pick → present, unpick → absent), and every acknowledged list exists. */
async function verifyDocument(loupe, acked) {
  const c = new SyncClient("bench-verifier");
  await c.open(
    `ws://127.0.0.1:${loupe.port}/g/${loupe.sampleGallery}/room?token=${await loupe.token(loupe.sampleGallery, "bench-verifier", "Verifier", loupe.sampleAv)}`,
    loupe.studioHost,
  );
  const lists = c.doc.getMap("lists");
  const expected = new Map(); // key → present after the last acknowledged intent
  for (const e of [...acked].sort((a, b) => a.seq - b.seq)) {
    if (e.type === "pick" || e.type === "unpick") expected.set(`${e.listId}/${e.photoId}`, e.type === "pick");
  }
  const wantPresent = [...expected].filter(([, p]) => p).map(([k]) => k);
  const wantAbsent = [...expected].filter(([, p]) => !p).map(([k]) => k);
  const listIds = [...new Set(acked.filter((e) => e.type === "list.create").map((e) => e.listId))];
  const result = {
    picksExpected: wantPresent.length,
    picksPresent: wantPresent.filter((k) => c.hasPick(k)).length,
    unpicksExpected: wantAbsent.length,
    unpicksAbsent: wantAbsent.filter((k) => !c.hasPick(k)).length,
    listsExpected: listIds.length,
    listsPresent: listIds.filter((id) => lists.has(id)).length,
    picksInDocument: c.pickCount,
  };
  result.ok = result.picksPresent === result.picksExpected && result.unpicksAbsent === result.unpicksExpected && result.listsPresent === result.listsExpected;
  c.close();
  return result;
}
