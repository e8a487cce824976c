// bench:store's steps: one rate's events sent, then every answer checked and set against what
// wrangler dev's output says reached the worker.
import { countBy, round, sleep } from "../harness/numbers.mjs";
import { coresBetween, cpuTicks } from "../harness/proc-stats.mjs";
import { KEEP_UP, stat } from "./config.mjs";
import { fire, isOk, isProxy503, planStep, signAll } from "./events.mjs";

// biome-ignore lint/suspicious/noControlCharactersInRegex: wrangler colours its error lines
const ANSI_COLOURS = /\x1b\[[0-9;]*m/g;

/** What wrangler dev's output says about the webhook requests: Loupe's own request log (a JSON
 *  line per request the worker answered) and wrangler's proxy log (every request on the port). */
export const logCounts = { loupe: {}, proxy: {}, uncaught: 0, uncaughtSamples: [] };
export function countLogLine(line) {
  if (!line.includes("/webhooks/stripe/connect")) {
    if (/Uncaught|ERROR/.test(line)) {
      logCounts.uncaught++;
      if (logCounts.uncaughtSamples.length < 5) logCounts.uncaughtSamples.push(line.replace(ANSI_COLOURS, "").trim().slice(0, 200));
    }
    return;
  }
  const loupe = /"msg":"request".*"status":(\d+)/.exec(line);
  if (loupe) {
    logCounts.loupe[loupe[1]] = (logCounts.loupe[loupe[1]] ?? 0) + 1;
    return;
  }
  const proxy = /\[wrangler:info\] POST \/webhooks\/stripe\/connect (\d+)/.exec(line);
  if (proxy) logCounts.proxy[proxy[1]] = (logCounts.proxy[proxy[1]] ?? 0) + 1;
}
const logSnapshot = () => JSON.parse(JSON.stringify({ loupe: logCounts.loupe, proxy: logCounts.proxy, uncaught: logCounts.uncaught }));
const logDiff = (a, b) => {
  const d = (x, y) =>
    Object.fromEntries(
      Object.entries(y)
        .map(([k, n]) => [k, n - (x[k] ?? 0)])
        .filter(([, n]) => n),
    );
  return { loupe: d(a.loupe, b.loupe), proxy: d(a.proxy, b.proxy), uncaught: b.uncaught - a.uncaught };
};

export async function runStep(L, stepNo, rate, orders, procs) {
  const { events, plans } = planStep(stepNo, orders, rate, L.studioId);
  await signAll(events);
  const log0 = logSnapshot();
  const cpu0 = cpuTicks(procs);
  const run = await fire(L, events);
  const cpu1 = cpuTicks(procs);
  await sleep(300); // wrangler's last log lines
  const log = logDiff(log0, logSnapshot());
  const first = (e) => e.attempts[0];
  const t0 = Math.min(...events.map((e) => first(e).sentAt));
  const lastSent = Math.max(...events.map((e) => first(e).sentAt)),
    lastFirstDone = Math.max(...events.map((e) => first(e).doneAt));
  const lastDone = Math.max(...events.flatMap((e) => e.attempts.map((a) => a.doneAt)));
  const firstOk = events.filter((e) => isOk(first(e)));
  const errors = events.filter((e) => !isOk(first(e)));
  const allAttempts = events.flatMap((e) => e.attempts);
  const wrongBody = allAttempts.filter((a) => isOk(a) && (a.body?.received !== true || typeof a.body?.duplicate !== "boolean"));
  const originals = events.filter((e) => !e.original);
  const later = events.filter((e) => e.kind === "redelivery");
  const laterAfterAck = later.filter((e) => e.original.ackedAt !== undefined && e.original.ackedAt <= first(e).sentAt && isOk(first(e)));
  const races = events.filter((e) => e.kind === "race");
  const twinsOf = new Map();
  for (const e of events) if (e.original) twinsOf.set(e.original, [...(twinsOf.get(e.original) ?? []), e]);
  const overtaken = originals.filter((e) => (twinsOf.get(e) ?? []).some((t) => t.attempts.some((a) => a.sentAt < first(e).doneAt)));
  const saidDuplicateAlone = originals.filter((e) => !overtaken.includes(e) && isOk(first(e)) && first(e).body?.duplicate !== false);
  const answersById = new Map();
  for (const e of events) for (const a of e.attempts) if (isOk(a)) answersById.set(e.id, [...(answersById.get(e.id) ?? []), a.body?.duplicate]);
  const idsWithoutFirst = [...answersById].filter(([, d]) => !d.includes(false)).map(([id]) => id);
  const ms = (pred) => stat(events.filter(pred).map((e) => first(e).ms));
  const cpu = coresBetween(cpu0, cpu1);
  const result = {
    step: stepNo,
    offeredRate: rate,
    plannedSeconds: round(events.at(-1).dueMs / 1000 + 1 / rate, 1),
    orders: orders.length,
    events: events.length,
    mix: countBy(events, (e) => e.type + (e.kind === "redelivery" || e.kind === "race" ? ` (${e.kind})` : e.kind === "second completion" ? " (new id)" : "")),
    sendSeconds: round((lastSent - t0) / 1000, 2),
    firstAnswersSeconds: round((lastFirstDone - t0) / 1000, 2),
    totalSeconds: round((lastDone - t0) / 1000, 2),
    sentRate: round((events.length - 1) / ((lastSent - t0) / 1000), 1),
    achievedRate: round(firstOk.length / ((lastFirstDone - t0) / 1000), 1),
    drainMs: round(lastFirstDone - lastSent, 0),
    latencyMs: ms(() => true),
    // From when the event was due (open loop: includes any wait for a free slot under the cap).
    latencyFromDueMs: stat(events.filter((e) => !e.held).map((e) => first(e).doneAt - (run.t0 + e.dueMs))),
    latencyByType: {
      completion: ms((e) => e.kind === "completion"),
      redelivery: ms((e) => e.kind === "redelivery"),
      refund: ms((e) => e.type === "charge.refunded"),
      companion: ms((e) => e.kind === "companion"),
      noise: ms((e) => e.kind === "noise"),
    },
    sendLagMs: stat(events.filter((e) => !e.held).map((e) => e.lagMs)),
    heldRefunds: events.filter((e) => e.held).length,
    maxInflight: run.maxInflight,
    inflightCapHit: run.capWaits,
    statusCounts: countBy(events, (e) => String(first(e).status)),
    errors: errors.length,
    errorsByKind: countBy(errors, (e) => `${isProxy503(first(e)) ? "503 from wrangler dev's proxy (forward to the worker failed)" : first(e).status}`),
    errorSamples: errors.slice(0, 8).map((e) => ({ kind: e.kind, type: e.type, status: first(e).status, body: first(e).body })),
    retries: {
      sent: run.retriesSent,
      statusCounts: countBy(
        allAttempts.filter((a) => a.n > 0),
        (a) => String(a.status),
      ),
      eventsNeverAcknowledged: events.filter((e) => e.gaveUp).length,
    },
    reachedLoupe: {
      requestsAnswered: allAttempts.length,
      answered2xx: allAttempts.filter(isOk).length,
      loupeLogged: log.loupe,
      proxyLogged: log.proxy,
      uncaughtErrorsLogged: log.uncaught,
    },
    wrongBodies: wrongBody.length,
    wrongBodySamples: wrongBody.slice(0, 5).map((a) => a.body),
    // A first delivery must say duplicate: false, unless another delivery of its id was sent while
    // it was in flight (a racing twin, or a redelivery that overtook it: requests in flight are not
    // served in order); whichever the worker takes first is then the first delivery. Either way,
    // every acknowledged id must have at least one answer saying duplicate: false.
    firstDeliveriesSaidDuplicate: saidDuplicateAlone.length,
    firstDeliveriesSaidDuplicateSamples: saidDuplicateAlone.slice(0, 5).map((e) => ({
      id: e.id,
      type: e.type,
      kind: e.kind,
      attempts: e.attempts.map((a) => ({ status: a.status, body: a.body, sentAt: round(a.sentAt - t0, 0) })),
    })),
    overtakenFirstDeliveries: overtaken.filter((e) => isOk(first(e)) && first(e).body?.duplicate === true).length,
    idsWithoutFirstAnswer: idsWithoutFirst.length,
    redeliveries: {
      later: later.length,
      laterAfterOriginalAcked: laterAfterAck.length,
      answeredDuplicate: laterAfterAck.filter((e) => first(e).body?.duplicate === true).length,
      laterBeforeOriginalAcked: later.length - laterAfterAck.length,
      races: races.length,
      racesAnsweredDuplicate: races.filter((e) => first(e).body?.duplicate === true || first(e.original).body?.duplicate === true).length,
    },
    cpu: {
      ...cpu,
      loupeCpuMsPerEvent: round((cpu.workerdLoupeCores * cpu.seconds * 1000) / allAttempts.length, 1),
      stackCpuMsPerEvent: round(((cpu.workerdLoupeCores + cpu.workerdProxyCores + cpu.wranglerCores) * cpu.seconds * 1000) / allAttempts.length, 1),
    },
  };
  result.keptUp =
    result.errors === 0 && result.wrongBodies === 0 && result.achievedRate >= KEEP_UP.minShare * rate && (result.latencyMs.p99 ?? Infinity) <= KEEP_UP.maxP99Ms;
  return { result, events, plans };
}
