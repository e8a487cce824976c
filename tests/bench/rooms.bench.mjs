// `npm run bench:rooms`: live proofing rooms under load, against the reference y-websocket relay.
//   1. Fan-out latency: N clients in one room; a rotating sender toggles a pick (Loupe: an intent
//      frame; reference: a Yjs update to a Y.Map), timed until the last of the other N-1 clients
//      has the change applied in its own Y.Doc. Also: intents sent / acked / lost, and a fresh
//      client's sync afterwards must show every acknowledged change.
//   2. Idle memory: R rooms × 10 synced idle clients; RSS of the server process after minus before,
//      per connection.
// Loupe runs as `npm start` does (scripts/start.mjs → wrangler dev → workerd) on a free port with
// a fresh state dir; the reference relay (@y/websocket-server) runs as its own Node child process,
// so neither server shares an event loop with the clients (all clients live in this process, so
// one performance.now() clock times every sample).
// Writes tests/bench/results/rooms.json and rooms.md and prints the table.
//
// Knobs (env): ROOMS_CLIENTS=100 (clients in the latency room)  ROOMS_ROUNDS=300 (timed rounds,
// after ROOMS_WARMUP=30)  ROOMS_IDLE_ROOMS=1000 (× 10 idle clients each)
// ROOMS_ONLY=reference|loupe (run one side only; the ratios then stay empty)
// ROOMS_IDLE_VIA_PROXY=1 (idle sockets through wrangler's proxy, as the latency room's go; its
// open-files limit then caps the idle run at about 3,300 sockets).
import { httpClient } from "./harness/http.mjs";
import { userEntryPort } from "./harness/loupe.mjs";
import { round } from "./harness/numbers.mjs";
import { phases, runSeconds, setPhase, startRun } from "./harness/phases.mjs";
import { procStat } from "./harness/proc-stats.mjs";
import { exitOnSignals, stopChild } from "./harness/processes.mjs";
import { compactNumberArrays, devVersions, machine, version, writeResults } from "./harness/report.mjs";
import { CLIENTS, IDLE_ROOMS, IDLE_VIA_PROXY, ONLY, PER_ROOM, ROUNDS, RUN_LOUPE, RUN_REFERENCE, WARMUP } from "./rooms/config.mjs";
import { idleMemory } from "./rooms/idle.mjs";
import { loupeLatency, referenceLatency } from "./rooms/latency.mjs";
import { markdown, notes } from "./rooms/report.mjs";
import { startReference, startRoomsLoupe } from "./rooms/servers.mjs";

startRun("starting the servers");
exitOnSignals("stopping the servers");
const call = httpClient(); // Node's global agent

async function main() {
  const versions = { ...devVersions(), yWebsocketServer: version("@y/websocket-server"), yjs: version("yjs"), ws: version("ws") };
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(versions),
    config: { clients: CLIENTS, rounds: ROUNDS, warmup: WARMUP, idleRooms: IDLE_ROOMS, perRoom: PER_ROOM, only: ONLY },
    latency: {},
    idle: {},
  };
  console.log(`rooms bench: ${CLIENTS} clients × ${ROUNDS} rounds (+${WARMUP} warm-up); ${IDLE_ROOMS} idle rooms × ${PER_ROOM}`);
  setPhase("starting the servers");

  // Start both servers together: Loupe's start (migrations, wrangler, the sample gallery) is slow.
  const [ref, loupe] = await Promise.all([RUN_REFERENCE ? startReference() : null, RUN_LOUPE ? startRoomsLoupe(call) : null]);
  const photos = loupe?.photos ?? Array.from({ length: 12 }, (_, i) => `photo-${i}`);

  let idleGalleries = [];
  if (loupe) {
    setPhase("making the idle rooms' galleries");
    console.log(`  Loupe up on port ${loupe.port}; making ${IDLE_ROOMS} galleries for the idle rooms…`);
    const made = await loupe.createGalleries(IDLE_ROOMS);
    idleGalleries = made.ids;
    result.idleGalleriesSeconds = round(made.seconds, 1);
  }

  if (ref) {
    setPhase("reference fan-out latency");
    console.log("  reference: fan-out latency…");
    result.latency.reference = await referenceLatency(ref.port, photos);
  }
  if (loupe) {
    setPhase("Loupe fan-out latency");
    console.log("  Loupe: fan-out latency…");
    result.latency.loupe = await loupeLatency(loupe, photos);
  }
  if (ref && loupe) {
    const q = (k) => round(result.latency.loupe.latencyMs[k] / result.latency.reference.latencyMs[k], 2);
    result.latency.ratio = { p50: q("p50"), p95: q("p95"), p99: q("p99") };
  }

  if (loupe) {
    setPhase("Loupe idle memory");
    console.log(`  Loupe: ${IDLE_ROOMS} rooms × ${PER_ROOM} idle clients…`);
    const { user, proxy } = loupe.procs();
    // wrangler's proxy holds 6 open files per forwarded WebSocket (2 sockets, 4 pipes), so behind
    // it the 20,000-file limit stops at ~3,300 sockets; the workerd that runs Loupe holds one per
    // socket and is the process measured either way, so idle sockets go to it directly.
    const target = IDLE_VIA_PROXY ? loupe.port : await userEntryPort(call, user, loupe.appHost);
    // The idle galleries were all made the same way just now; the first one's version stands for all.
    const idleAv = idleGalleries.length ? await loupe.accessVersion(idleGalleries[0]) : null;
    const reloadsBefore = loupe.reloads().length;
    const valid = () => loupe.reloads().length === reloadsBefore && procStat(user) !== null;
    result.idle.loupe = await idleMemory({
      name: "Loupe",
      rooms: IDLE_ROOMS,
      limit: 32,
      servers: { user, proxy },
      valid,
      specsFor: async (from, to) => {
        const specs = [];
        for (let g = from; g < to; g++) {
          for (let j = 0; j < PER_ROOM; j++) {
            const actor = `idle-${g}-${j}`;
            const token = await loupe.token(idleGalleries[g], actor, `Idle ${g}/${j}`, idleAv);
            specs.push({ name: actor, host: loupe.studioHost, url: `ws://127.0.0.1:${target}/g/${idleGalleries[g]}/room?token=${token}` });
          }
        }
        return specs;
      },
    });
    result.idle.loupe.via = IDLE_VIA_PROXY ? "proxy" : "direct";
    if (!valid()) result.idle.loupe.invalid = "wrangler reloaded the worker (a source file changed) during the idle run";
  }
  if (ref) {
    setPhase("reference idle memory");
    console.log(`  reference: ${IDLE_ROOMS} rooms × ${PER_ROOM} idle clients…`);
    result.idle.reference = await idleMemory({
      name: "reference",
      rooms: IDLE_ROOMS,
      limit: 64,
      servers: { relay: ref.pid },
      specsFor: (from, to) => {
        const specs = [];
        for (let g = from; g < to; g++)
          for (let j = 0; j < PER_ROOM; j++) specs.push({ name: `idle-${g}-${j}`, url: `ws://127.0.0.1:${ref.port}/idle-room-${g}` });
        return specs;
      },
    });
  }

  setPhase(null);
  result.phases = phases;
  if (loupe) result.wranglerReloads = loupe.reloads();
  if (ref) await stopChild(ref.child);
  if (loupe) await stopChild(loupe.child);
  result.totalSeconds = round(runSeconds(), 1);
  result.notes = notes(result);

  // Arrays of numbers (the raw samples) on one line each, so the file stays readable.
  await writeResults("rooms", compactNumberArrays(JSON.stringify(result, null, 2)), markdown(result));
}

main()
  .catch((err) => {
    console.error(err.stack ?? err);
    process.exitCode = 1;
  })
  .finally(() => process.exit()); // the exit hook stops the servers and removes the state dir
