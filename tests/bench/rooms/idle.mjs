// bench:rooms scenario 2, idle memory: many rooms of synced, silent clients, and what each
// connection costs the server processes in RSS (and in open files, which bound how many fit).
import { performance } from "node:perf_hooks";
import { round, sleep } from "../harness/numbers.mjs";
import { fdLimit, openFiles, rss } from "../harness/proc-stats.mjs";
import { FD_MARGIN, LATER_MS, MiB, PER_ROOM, SETTLE_MS } from "./config.mjs";
import { closeAll, openMany } from "./sync-client.mjs";

/** Opens `rooms` × 10 idle clients, a chunk of rooms at a time. Before each chunk it checks that
 *  every server process (and this one) has the open files for it, at the rate the previous chunk
 *  cost, so no process is pushed into EMFILE (that would measure a failure, not memory); where a
 *  limit binds, the run stops there and says which. RSS "before" is read before the first socket. */
export async function idleMemory({ name, rooms, specsFor, servers, limit, valid = () => true }) {
  const procs = { ...servers, bench: "self" }; // this process holds one socket per client
  const rssOf = () => Object.fromEntries(Object.entries(servers).map(([k, pid]) => [k, rss(pid)]));
  const fdsOf = () => Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, openFiles(pid)]));
  const before = rssOf();
  const fdBefore = fdsOf();
  const t0 = performance.now();

  const clients = [];
  const failures = {};
  let opened = 0;
  let rate = null; // open files per client in each process, from the last chunk
  let limitedBy = null;
  while (opened < rooms) {
    if (!valid()) break; // the server restarted under us: what follows would measure nothing
    let n = Math.min(opened === 0 ? 10 : 50, rooms - opened);
    if (rate) {
      const now = fdsOf();
      for (const [k, pid] of Object.entries(procs)) {
        if (!(rate[k] > 0)) continue;
        const fits = Math.floor((fdLimit(pid).soft - now[k] - FD_MARGIN) / (rate[k] * PER_ROOM));
        if (fits < n) {
          n = Math.max(0, fits);
          limitedBy = k;
        }
      }
      if (n === 0) break;
    }
    const fdStart = fdsOf();
    const chunk = await openMany(await specsFor(opened, opened + n), limit);
    const fdEnd = fdsOf();
    clients.push(...chunk.clients);
    for (const [why, count] of Object.entries(chunk.failures)) failures[why] = (failures[why] ?? 0) + count;
    rate = Object.fromEntries(Object.keys(procs).map((k) => [k, (fdEnd[k] - fdStart[k]) / Math.max(1, chunk.clients.length)]));
    opened += n;
  }
  if (opened < rooms && limitedBy) console.log(`  ${name}: the open-files limit of ${limitedBy} leaves room for ${opened} of ${rooms} rooms`);
  const connectS = (performance.now() - t0) / 1000;
  const roomsOpened = opened;
  if (valid()) await sleep(SETTLE_MS);
  const after = rssOf();
  const fdAfter = fdsOf();
  if (valid()) await sleep(LATER_MS);
  const later = rssOf();
  await closeAll(clients);

  const per = (k, at) => (at[k] - before[k]) / clients.length / 1024;
  return {
    roomsWanted: rooms,
    clientsWanted: rooms * PER_ROOM,
    roomsOpened,
    clientsSynced: clients.length,
    failures,
    limitedBy,
    connectSeconds: round(connectS, 1),
    fdLimits: Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, fdLimit(pid)])),
    fdsPerConnection: Object.fromEntries(Object.keys(procs).map((k) => [k, round((fdAfter[k] - fdBefore[k]) / Math.max(1, clients.length), 2)])),
    fdsBefore: fdBefore,
    fdsAfter: fdAfter,
    rssMiB: Object.fromEntries(
      Object.keys(servers).map((k) => [k, { before: round(before[k] / MiB, 1), after: round(after[k] / MiB, 1), later: round(later[k] / MiB, 1) }]),
    ),
    perConnectionKiB: Object.fromEntries(Object.keys(servers).map((k) => [k, { after: round(per(k, after), 1), later: round(per(k, later), 1) }])),
  };
}
