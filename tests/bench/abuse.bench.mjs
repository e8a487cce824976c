// `npm run bench:abuse`: one visitor floods a live room; does anyone else notice?
//   A legitimate client in the sample gallery's room picks and unpicks a photo every 200 ms and
//   times each intent to its ack: in a quiet room (ABUSE_QUIET_S), then while one visitor (one
//   identity, one room token) floods the room from ABUSE_SOCKETS sockets for ABUSE_FLOOD_S seconds,
//   then after (ABUSE_AFTER_S). The flooder (abuse/flooder.mjs, a thread of its own) offers
//   ABUSE_RATE frames a second, intents (comments) and awareness, and reconnects whenever it is
//   closed, as an attacker would (ABUSE_RECONNECT=0: not). ABUSE_DIRECT=1: every socket straight
//   to the workerd running Loupe.
// Reported: the legitimate client's p50/p95/max per phase and the ratio of flood p95 to quiet p95
// (target ≤ 3); the flood's frames sent, intents accepted per second (bounded by the per-person
// budget: a burst of 60, then 20 a second, and none while cut off), refusals and closes; D1 activity
// rows and room-document bytes the flood added (bounded by those budgets).
// Loupe runs as `npm start` does, from a snapshot of the working tree, through wrangler dev's proxy.
// Writes tests/bench/results/abuse.json and abuse.md and prints the table.
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import * as Y from "yjs";
import { httpClient, must } from "./harness/http.mjs";
import { userEntryPort } from "./harness/loupe.mjs";
import { fmt, plain, round, sleep, summary } from "./harness/numbers.mjs";
import { phaseCpu, phases, runSeconds, setPhase, startRun } from "./harness/phases.mjs";
import { exitOnSignals, stopChild } from "./harness/processes.mjs";
import { closing, devVersions, machine, writeResults } from "./harness/report.mjs";
import { startRoomsLoupe } from "./rooms/servers.mjs";
import { SyncClient } from "./rooms/sync-client.mjs";

const QUIET_S = Number(process.env.ABUSE_QUIET_S ?? 20);
const FLOOD_S = Number(process.env.ABUSE_FLOOD_S ?? 60);
const AFTER_S = Number(process.env.ABUSE_AFTER_S ?? 20);
const SOCKETS = Number(process.env.ABUSE_SOCKETS ?? 50);
const DIRECT = process.env.ABUSE_DIRECT === "1";
// ABUSE_RECONNECT=0: the flooder does not open a socket again once the room closed it, to tell
// the room's own cost from that of a reconnect storm answered by the worker.
const RECONNECT = process.env.ABUSE_RECONNECT !== "0";
// Frames a second the flooder offers: far past every budget, and within what one client machine
// sends without taking the CPU this machine's workerd needs (sender and server share 2 cores here).
const RATE = Number(process.env.ABUSE_RATE ?? 2000);
// At the edge Cloudflare names each request's network in CF-Connecting-IP; wrangler dev passes on
// what the client sends, so the flooder and the client each get an address of their own and the
// per-IP budgets act as they would in production (loopback itself is not budgeted).
const FLOODER_IP = "203.0.113.66";
const CLIENT_IP = "198.51.100.7";
const PICK_EVERY_MS = 200;
const ACK_TIMEOUT_MS = 60_000;
// party/budgets.ts: a person's intents, a burst then a rate (this bench runs without a TS loader).
const INTENTS = { burst: 60, perSecond: 20 };

startRun("starting Loupe");
exitOnSignals("stopping Loupe");
const call = httpClient();

/**
 * The legitimate client: pick, unpick, pick… one photo every PICK_EVERY_MS, on a fixed schedule
 * whether or not the last one was answered, so a stall shows in every sample it delays.
 */
function legitimate(client, photoId) {
  const samples = []; // { phase, t, ms, ok, code }
  const replies = [];
  let n = 0;
  const timer = setInterval(() => {
    const started = performance.now();
    const sample = { phase, t: round((started - t0) / 1000, 2), ms: null, ok: false, code: null };
    samples.push(sample);
    const kind = n % 2 ? "unpick" : "pick";
    n += 1;
    replies.push(
      Promise.race([
        client.intent({ type: kind, id: `legit-${Date.now().toString(36)}-${n}`, listId: "legit-list", photoId }),
        sleep(ACK_TIMEOUT_MS).then(() => null),
      ]).then((reply) => {
        if (!reply) return;
        sample.ms = reply.at - started;
        sample.ok = reply.type === "ack";
        sample.code = reply.code ?? null;
      }),
    );
  }, PICK_EVERY_MS);
  const stop = async () => {
    clearInterval(timer);
    await Promise.all(replies);
  };
  return { samples, stop };
}

/** The flood, in a worker thread (abuse/flooder.mjs); resolves with its counts when it is over. */
function flood(url, host, photoId) {
  const worker = new Worker(new URL("./abuse/flooder.mjs", import.meta.url), {
    workerData: { url, host, ip: FLOODER_IP, photoId, sockets: SOCKETS, rate: RATE, seconds: FLOOD_S, reconnect: RECONNECT },
  });
  return new Promise((resolve, reject) => {
    worker.once("message", (stats) => {
      void worker.terminate();
      resolve(stats);
    });
    worker.once("error", reject);
  });
}

let phase = "quiet";
const t0 = performance.now();

async function main() {
  const loupe = await startRoomsLoupe(call, { snapshot: true, name: "abuse" });
  const { port, studioHost, appHost, sampleGallery, token, sampleAv, photos, tenantId } = loupe;
  // Through wrangler's proxy as a browser goes, or (ABUSE_DIRECT=1) straight to the workerd running Loupe.
  const wsPort = DIRECT ? await userEntryPort(call, loupe.procs().user, appHost) : port;
  const url = (tok) => `ws://127.0.0.1:${wsPort}/g/${sampleGallery}/room?token=${tok}`;
  const cookie = loupe.cookie;
  /** Activity rows by actor id, once the room's mirror has caught up (two equal counts in a row). */
  const activityRows = async () => {
    const count = async () => {
      const by = {};
      let cursor = null;
      do {
        const q = `?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const page = (await must(call(port, "GET", appHost, `/api/studios/${tenantId}/galleries/${sampleGallery}/activity${q}`, { cookie }), 200, "activity"))
          .json;
        for (const row of page.activity) by[row.actor.id] = (by[row.actor.id] ?? 0) + 1;
        cursor = page.next;
      } while (cursor);
      return by;
    };
    let last = await count();
    for (;;) {
      await sleep(2000);
      const now = await count();
      if (JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
  };
  const docBytes = async (name) => {
    const c = await new SyncClient(name).open(url(await token(sampleGallery, `bench-${name}`, name, sampleAv)), studioHost);
    const bytes = Y.encodeStateAsUpdate(c.doc).length;
    c.close();
    return bytes;
  };

  const legit = await new SyncClient("legit").open(url(await token(sampleGallery, "bench-legit", "Lena Legit", sampleAv)), studioHost, {
    "cf-connecting-ip": CLIENT_IP,
  });
  const made = await legit.intent({ type: "list.create", id: `legit-list-${Date.now()}`, listId: "legit-list", name: "Lena's picks" });
  if (made.type !== "ack" && made.code !== "list_exists") throw new Error(`the legitimate client could not make its list: ${JSON.stringify(made)}`);
  const before = { rows: await activityRows(), bytes: await docBytes("before") };

  setPhase("quiet room");
  const l = legitimate(legit, photos[0]);
  await sleep(QUIET_S * 1000);
  setPhase("flood");
  phase = "flood";
  const floodToken = await token(sampleGallery, "bench-flooder", "Flo Flooder", sampleAv);
  const floodStarted = performance.now();
  const floodStats = await flood(url(floodToken), studioHost, photos[1]);
  const floodSeconds = floodStats.seconds;
  setPhase("after");
  phase = "after";
  await sleep(AFTER_S * 1000);
  await l.stop();
  legit.close();
  setPhase("counting");
  await sleep(3000); // the room mirrors to D1 a second after a change
  const after = { rows: await activityRows(), bytes: await docBytes("after") };
  setPhase(null);
  await stopChild(loupe.child);

  const by = (p) => l.samples.filter((s) => s.phase === p);
  const latency = Object.fromEntries(
    ["quiet", "flood", "after"].map((p) => [
      p,
      {
        ...summary(
          by(p).map((s) => s.ms),
          ["p50", "p95", "max"],
        ),
        lost: by(p).filter((s) => s.ms === null).length,
        refused: by(p).filter((s) => s.ms !== null && !s.ok).length,
      },
    ]),
  );
  const floodBudget = INTENTS.burst + INTENTS.perSecond * floodSeconds;
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(devVersions()),
    config: {
      quietSeconds: QUIET_S,
      floodSeconds: round(floodSeconds, 1),
      afterSeconds: AFTER_S,
      sockets: SOCKETS,
      rate: RATE,
      pickEveryMs: PICK_EVERY_MS,
      direct: DIRECT,
      reconnect: RECONNECT,
    },
    floodStartedAt: round((floodStarted - t0) / 1000, 2),
    slowest: [...l.samples].sort((a, b) => (b.ms ?? Infinity) - (a.ms ?? Infinity)).slice(0, 5),
    latency,
    ratio: { floodP95OverQuietP95: round(latency.flood.p95 / latency.quiet.p95, 2), afterP95OverQuietP95: round(latency.after.p95 / latency.quiet.p95, 2) },
    flood: {
      ...floodStats,
      acceptedInFirstSecond: floodStats.ackTimesS.filter((t) => t < 1).length,
      acceptedPerSecond: round(floodStats.acks / floodSeconds, 1),
      budgetIntents: Math.round(floodBudget),
    },
    added: {
      flooderRows: (after.rows["bench-flooder"] ?? 0) - (before.rows["bench-flooder"] ?? 0),
      legitRows: (after.rows["bench-legit"] ?? 0) - (before.rows["bench-legit"] ?? 0),
      docBytes: after.bytes - before.bytes,
      legitIntents: l.samples.length,
    },
    phases: phases.map(({ name, seconds, busyCores, otherCores }) => ({ name, seconds, busyCores, otherCores })),
  };
  await writeResults("abuse", JSON.stringify(result, null, 2), markdown(result));
}

const byCode = (counts) =>
  Object.entries(counts)
    .map(([c, n]) => `${c}: ${fmt(n)}`)
    .join(", ") || "none";

function markdown(r) {
  const lines = [
    `### bench:abuse — ${r.date}`,
    "",
    `${r.machine.cpu}; Node ${r.machine.node}; workerd ${r.machine.workerd}; wrangler ${r.machine.wrangler}`,
    "",
  ];
  lines.push(`#### A legitimate client's pick → ack (ms), one pick every 200 ms, ${r.config.direct ? "straight to workerd" : "through wrangler's proxy"}`, "");
  lines.push("| room | n | p50 | p95 | max | lost | refused |", "|---|---:|---:|---:|---:|---:|---:|");
  for (const [p, s] of Object.entries(r.latency))
    lines.push(`| ${p} | ${s.n} | ${plain(s.p50, 1)} | ${plain(s.p95, 1)} | ${plain(s.max, 1)} | ${s.lost} | ${s.refused} |`);
  lines.push("", `Flood p95 ÷ quiet p95: **${plain(r.ratio.floodP95OverQuietP95)}** (target ≤ 3); after ÷ quiet: ${plain(r.ratio.afterP95OverQuietP95)}.`, "");
  const fl = r.flood;
  lines.push(
    `Slowest: ${r.slowest.map((x) => `${plain(x.ms, 0)} ms at ${x.t} s (${x.phase})`).join("; ")}; the flood began at ${r.floodStartedAt} s and the room first closed a flood socket ${fl.firstCloseAfterS ?? "n/a"} s into it.`,
    "",
  );
  lines.push(
    `#### The flood: one visitor, ${r.config.sockets} sockets, ${fmt(r.config.rate)} frames/s offered for ${r.config.floodSeconds} s, ${r.config.reconnect ? "opening a socket again 200 ms after each close" : "not reconnecting"}`,
    "",
  );
  lines.push(
    "| frames sent | intents accepted | accepted / s | per-person budget for the run | refused (answered) | sockets tried | upgrades refused (HTTP) | closes by code |",
    "|---:|---:|---:|---:|---:|---:|---|---|",
  );
  lines.push(
    `| ${fmt(fl.framesSent)} | ${fmt(fl.acks)} | ${plain(fl.acceptedPerSecond, 1)} | ≤ ${fmt(fl.budgetIntents)} | ${fmt(fl.refused)} | ${fmt(fl.opens)} | ${byCode(fl.upgradesRefused)} | ${byCode(fl.closes)} |`,
    "",
  );
  lines.push("| added by the run | |", "|---|---:|");
  lines.push(
    `| D1 activity rows of the flooder | ${fmt(r.added.flooderRows)} |`,
    `| D1 activity rows of the legitimate client (${r.added.legitIntents} intents) | ${fmt(r.added.legitRows)} |`,
    `| room document bytes (both) | ${fmt(r.added.docBytes)} |`,
  );
  return closing(
    lines,
    {
      method: [
        "Loupe under `npm start` (wrangler dev, local D1 and Durable Objects) from a snapshot of the working tree; every socket through wrangler's proxy.",
        "Room tokens are signed with the dev secret for two actors (the legitimate client and the flooder), as the worker would sign them.",
        "Each side sends its own CF-Connecting-IP (wrangler dev passes it on; at the edge Cloudflare sets it), so the per-IP budgets act as in production.",
        "The flooder's frames: three comment intents to one awareness update, sent while the socket's buffer is under 64 KB; a closed socket is opened again after 200 ms.",
        "Activity rows: the gallery's activity feed walked through the dashboard API; document bytes: a fresh client's synced document, before and after.",
      ],
      caveats: [
        `CPU per phase: ${phaseCpu(r.phases)}.`,
        "Flood and clients share this 2-core machine with wrangler and workerd: the flood's sender competes with the room for CPU.",
      ],
    },
    round(runSeconds(), 0),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
