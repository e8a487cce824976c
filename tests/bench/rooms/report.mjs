// bench:rooms' report: the markdown tables and the notes that explain them.
import os from "node:os";
import { plain as fmt } from "../harness/numbers.mjs";
import { phaseCpu } from "../harness/phases.mjs";
import { CLIENTS, IDLE_ROOMS, LATER_MS, PER_ROOM, ROUND_TIMEOUT_MS, ROUNDS, SETTLE_MS, WARMUP } from "./config.mjs";

export function markdown(r) {
  const L = r.latency.loupe,
    R = r.latency.reference,
    ratio = r.latency.ratio;
  const IL = r.idle.loupe,
    IR = r.idle.reference;
  const lat = (x, q) => (x ? fmt(x.latencyMs[q]) : "n/a");
  const lines = [];
  lines.push(
    `### Rooms benchmark (${r.date}, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, workerd ${r.machine.workerd} via wrangler ${r.machine.wrangler} dev)`,
  );
  lines.push("");
  lines.push(`#### 1. Fan-out latency: ${CLIENTS} clients in one room, ${ROUNDS} timed rounds after ${WARMUP} warm-up`);
  lines.push("");
  lines.push("| Intent → all others see it (ms) | Loupe | Reference y-websocket relay | Loupe ÷ reference |");
  lines.push("|---|---|---|---|");
  for (const q of ["p50", "p95", "p99"]) lines.push(`| ${q} | ${lat(L, q)} | ${lat(R, q)} | ${ratio ? fmt(ratio[q]) : "n/a"} |`);
  lines.push(
    `| mean / max | ${L ? `${fmt(L.latencyMs.mean)} / ${fmt(L.latencyMs.max)}` : "n/a"} | ${R ? `${fmt(R.latencyMs.mean)} / ${fmt(R.latencyMs.max)}` : "n/a"} | |`,
  );
  lines.push(
    `| rounds timed / timed out (> ${ROUND_TIMEOUT_MS / 1000} s) | ${L ? `${L.rounds} / ${L.timedOut}` : "n/a"} | ${R ? `${R.rounds} / ${R.timedOut}` : "n/a"} | |`,
  );
  if (L) {
    lines.push(`| sender's ack, p50 / p95 / p99 | ${fmt(L.ackMs.p50)} / ${fmt(L.ackMs.p95)} / ${fmt(L.ackMs.p99)} | (no acks) | |`);
    lines.push(`| intents sent / acked / rejected / lost | ${L.intents.sent} / ${L.intents.acked} / ${L.intents.rejected} / **${L.intents.lost}** | | |`);
    const v = L.verify;
    lines.push(
      `| fresh client's sync after the run | ${v.ok ? "OK" : "**MISMATCH**"}: ${v.picksPresent}/${v.picksExpected} acked picks present, ${v.unpicksAbsent}/${v.unpicksExpected} acked unpicks absent, ${v.listsPresent}/${v.listsExpected} lists | | |`,
    );
  }
  lines.push("");
  const idleTitle = `#### 2. Idle memory: ${IDLE_ROOMS} rooms × ${PER_ROOM} synced idle clients`;
  lines.push(idleTitle);
  lines.push("");
  // wrangler's proxy is only in the idle path with ROOMS_IDLE_VIA_PROXY=1; otherwise it idles.
  const cols = [[IL, "user", "Loupe: the workerd running the worker and rooms"]];
  if (IL?.via === "proxy") cols.push([IL, "proxy", "Loupe: wrangler dev's proxy workerd"]);
  cols.push([IR, "relay", "Reference relay (Node)"]);
  lines.push(`| | ${cols.map((c) => c[2]).join(" | ")} |`);
  lines.push(`|---|${cols.map(() => "---").join("|")}|`);
  const row = (label, f) => lines.push(`| ${label} | ${cols.map(([x, k]) => (x ? f(x, k) : "n/a")).join(" | ")} |`);
  row("rooms / clients synced", (x) => `${x.roomsOpened} / ${x.clientsSynced}${x.clientsSynced < x.clientsWanted ? ` (of ${x.clientsWanted})` : ""}`);
  row("RSS before → after MiB", (x, k) => `${fmt(x.rssMiB[k].before, 1)} → ${fmt(x.rssMiB[k].after, 1)}`);
  row("**memory per connection KiB**", (x, k) => `**${fmt(x.perConnectionKiB[k].after, 1)}**`);
  row(`same, ${LATER_MS / 1000} s later (RSS MiB)`, (x, k) => `${fmt(x.perConnectionKiB[k].later, 1)} (${fmt(x.rssMiB[k].later, 1)})`);
  row("open files per connection (limit)", (x, k) => `${fmt(x.fdsPerConnection[k], 2)} (${x.fdLimits[k].soft})`);
  row("time to open and sync all s", (x) => fmt(x.connectSeconds, 1));
  lines.push("");
  lines.push("Notes:");
  for (const n of r.notes) lines.push(`- ${n}`);
  lines.push("");
  lines.push(`Total bench time ${fmt(r.totalSeconds, 1)} s.`);
  return `${lines.join("\n")}\n`;
}

export function notes(r) {
  const out = [];
  out.push(
    `Latency: all clients run in this one Node process (one performance.now() clock), each with its own Y.Doc speaking y-protocols sync; a sample is the time from sending the change to the moment the last of the ${CLIENTS - 1} other clients has applied the server's update and sees the photo appear in or disappear from its list's map in doc.getMap("picked"). Rounds run one after another; the sender rotates over all clients and alternately picks and unpicks a photo of the sample gallery in its own list, so every round changes the document. Percentiles interpolate linearly.`,
  );
  out.push(
    "Loupe side: `npm start` (scripts/start.mjs: wrangler dev on 127.0.0.1, fresh state dir), sockets to ws://127.0.0.1:<port>/g/<galleryId>/room with Host demo.localhost:<port>, room tokens (HS256, aud loupe:room, 10 min, role client, av = the gallery's access version as read from one real ticket of POST /g/:id/room-token) signed here with JWT_SECRET from .dev.vars. The latency room's sockets take a browser's path in dev: wrangler's proxy workerd on the public port, then the workerd that runs the worker and the Durable Objects; production has no proxy hop. wrangler dev also logs every request and upgrade to its terminal (piped here).",
  );
  out.push(
    `Both latency figures include this process's own work: decoding the frame and applying the update in ${CLIENTS - 1} Y.Docs one after another on one event loop, so the last client's time grows with the room size on either side.`,
  );
  out.push(
    `Reference: @y/websocket-server ${r.machine.yWebsocketServer} (src/server.js, no persistence) in its own Node process; clients write the same Y.Map key the Loupe room writes and the relay re-broadcasts the Yjs update. It validates, persists and acknowledges nothing, so it is a floor, not a like-for-like server.`,
  );
  out.push(
    "Lost = intents that got neither an ack nor a rejection within 10 s after the last round. The fresh client's check: for every pick key, the last acknowledged intent (pick → present, unpick → absent) must be what its synced document shows, and every acknowledged list must exist.",
  );
  out.push(
    `Idle memory: RSS (VmRSS of /proc/<pid>/status) of each server process read before the first idle socket and ${SETTLE_MS / 1000} s after the last one synced; per connection = (after − before) ÷ clients synced. For Loupe this includes the Durable Object instance of each room (1 per ${PER_ROOM} clients) and the worker's share of each socket. Each idle client is synced (sync step 1 sent, step 2 received) and then silent. Rooms are new public galleries made through the dashboard API before the measurement (${r.idleGalleriesSeconds ?? "n/a"} s for all).`,
  );
  const IL = r.idle.loupe;
  if (IL?.via === "direct") {
    out.push(
      `Idle sockets went straight to the entry port of the workerd that runs Loupe (found from its listening sockets), not through wrangler dev's proxy workerd: the proxy holds 6 open files per forwarded WebSocket (its 2 sockets and 4 pipes, seen in /proc/<pid>/fd), so under this machine's hard limit of ${IL.fdLimits.user.hard} open files per process (root in this container cannot raise it: no CAP_SYS_RESOURCE) it stops near 3,300 sockets, and production has no such proxy. The request is the same (same Host header, same worker route, same room). ROOMS_IDLE_VIA_PROXY=1 measures the proxied path instead.`,
    );
  }
  if (IL?.invalid) out.push(`**Loupe idle numbers are not valid: ${IL.invalid}.**`);
  const measuring = (x) => !["starting the servers", "making the idle rooms' galleries"].includes(x.phase);
  if (r.wranglerReloads?.some((x) => !measuring(x)))
    out.push(
      `wrangler dev reloaded the worker before anything was measured (a source file changed under it, during: ${r.wranglerReloads
        .filter((x) => !measuring(x))
        .map((x) => x.phase)
        .join(", ")}); harmless.`,
    );
  if (r.wranglerReloads?.some(measuring))
    out.push(
      `**wrangler dev reloaded the worker during this run (a source file changed under it), during: ${r.wranglerReloads
        .filter(measuring)
        .map((x) => `${x.phase} (${x.atSeconds} s)`)
        .join(", ")}. Sockets open at that moment were dropped and the worker's memory started afresh; numbers from that phase are suspect.**`,
    );
  const procName = {
    user: "the workerd that runs the worker and rooms",
    proxy: "wrangler dev's proxy workerd",
    bench: "this bench process",
    relay: "the reference relay",
  };
  for (const [side, x] of [
    ["Loupe", r.idle.loupe],
    ["reference", r.idle.reference],
  ]) {
    if (!x || x.clientsSynced >= x.clientsWanted) continue;
    const k = x.limitedBy;
    const failed = Object.keys(x.failures).length ? `; failed to open or sync: ${JSON.stringify(x.failures)}` : "";
    if (k) {
      out.push(
        `**${side}: ${x.clientsWanted.toLocaleString("en")} idle clients were not possible here**: every process on this machine has a hard open-files limit of ${x.fdLimits[k].hard} that root inside this container cannot raise (\`ulimit -n 65535\` → "Operation not permitted", no CAP_SYS_RESOURCE), and ${procName[k]} holds ${fmt(x.fdsPerConnection[k], 2)} open files per client socket${k === "proxy" ? " (the client's socket and its own to the workerd behind it)" : ""}. The largest run that fits was measured: ${x.roomsOpened} rooms × ${PER_ROOM}, ${x.clientsSynced} clients synced${failed}.`,
      );
    } else {
      out.push(`**${side}: only ${x.clientsSynced} of ${x.clientsWanted} idle clients synced**${failed}.`);
    }
  }
  out.push(
    `CPU per phase (average cores busy of ${os.cpus().length}; "others" = processes outside this bench's tree, e.g. tests running on the same machine): ${phaseCpu(r.phases)}.`,
  );
  out.push(
    "RSS counts what the allocator and V8 hold, including garbage not yet collected; it is a whole-process figure, not a per-object count. This is a shared 2-vCPU VM and the servers, wrangler and the clients share its 2 cores; compare the two sides within one run.",
  );
  return out;
}
