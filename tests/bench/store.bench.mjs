// `npm run bench:store`: Stripe webhook handling (issue 6) against `wrangler dev`: throughput and
// latency at a fixed offered rate, and afterwards whether every event had its effect exactly once.
//   1. Loupe runs as `npm start` does (scripts/start.mjs → wrangler dev on 127.0.0.1, fresh state
//      dir) with LOUPE_VARS giving it the two webhook signing secrets and no STRIPE_SECRET_KEY (so
//      no call leaves the machine). Through the dashboard API the demo studio gets a price sheet
//      with one digital item (web download, $5.00) on its sample gallery; before each step clients
//      place that step's pending orders the client app's way (POST /g/:id/access, PUT /g/:id/cart,
//      POST /g/:id/checkout; each checkout from its own cf-connecting-ip, the route's per-IP budget
//      being 20 a minute). The studio has no Stripe account, so these are "offline" orders.
//   2. Steps at a fixed offered rate: Connect events (POST /webhooks/stripe/connect on wrangler dev's
//      public port, Host app.localhost, signed for real with stripe's generateTestHeaderStringAsync
//      and the connect secret) sent open-loop on a fixed schedule (one every 1/rate s, whatever the
//      answers do; at most STORE_MAX_INFLIGHT in flight). The events carry no `account`: the handler
//      finds the studio by metadata.tenantId (studioOf in worker/domain/store/webhooks.ts). Per
//      order, what one Stripe Checkout payment sends a Connect endpoint, plus trouble:
//        - checkout.session.completed (payment_status paid, payment_intent pi_…)          1
//        - payment_intent.created, payment_intent.succeeded, charge.succeeded,
//          charge.updated (metadata {tenantId, orderId}, as Stripe copies it; no effect)    4
//        - the completion again, same id, 2–5 s later (must answer duplicate: true)        0.15
//        - the completion again, same id, at the same instant (a race: either answer)      0.05
//        - a second completion under a new event id, 1–6 s later (no second effect)        0.10
//        - charge.refunded, amount_refunded $2.00 (partial) or $5.00 (in full), held
//          until the completion was acknowledged; half name the order in metadata, half
//          only the payment intent                                                0.20 + 0.10
//        - account.updated of an account no studio has; customer.created, no metadata  0.10
//      ≈ 5.7 events per order; a step of rate r and s seconds has r × s / 5.7 orders. An event
//      answered non-2xx is sent again like Stripe would (same id, signed again), after 1, 2, 4 s
//      (Stripe waits minutes to hours), so the effects can be checked after the trouble.
//      The first step is the target (STORE_RATE); then the rate doubles while steps keep up, or
//      halves until one does, then bisects the bracket (STORE_STEPS gives a fixed list instead).
//   3. Every answer's status and body are checked (2xx {received: true, duplicate}); Loupe's own
//      request log lines (wrangler dev's output) say how many events reached the worker. After the
//      steps the effects are read from the local D1 databases (wrangler d1 execute on the state
//      dir, Loupe stopped): every order paid (or refunded when refunded in full) with its payment
//      intent and the refunded amount sent, exactly one "confirmed" order_confirmation, one
//      downloads_ready mail and one download grant each, and every acknowledged event id in
//      stripe_events. A sample of orders is also read through the dashboard API.
// CPU of wrangler dev's two workerd processes (its proxy and the one running Loupe) and of wrangler
// itself during each step, and the machine's busy cores. Writes tests/bench/results/store.json
// and store.md and prints the table; wrangler dev's whole output goes to
// $TMPDIR/loupe-bench-store-wrangler.log.
//
// Loupe runs from a snapshot of the working tree (tracked and untracked, not ignored files, copied
// to a temp dir with node_modules linked), so edits made to the tree during the run cannot make
// wrangler dev reload the worker mid-step. STORE_SNAPSHOT=0 runs in place instead.
//
// Knobs (env): STORE_RATE=100 (events/s, the target step)  STORE_SECONDS=20 (the target step)
// STORE_STEP_SECONDS=10 (the other steps)  STORE_MAX_STEPS=4  STORE_STEPS=200,300 (fixed rates
// after the target instead of doubling/halving; "" for none)  STORE_ORDERS (orders for the target
// step; default rate × seconds / 5.7)  STORE_MAX_INFLIGHT=256  STORE_RETRIES=3
// STORE_ORDER_LANES=6 (clients placing orders at once)  STORE_SEED=6  STORE_SNAPSHOT=1
// STORE_VIA=proxy|direct (see VIA below)

import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { devProcesses, startLoupe, userEntryPort } from "./harness/loupe.mjs";
import { round, sleep } from "./harness/numbers.mjs";
import { phase, phases, runSeconds, setPhase, startRun } from "./harness/phases.mjs";
import { exitOnSignals, stopChild } from "./harness/processes.mjs";
import { devVersions, machine, version, writeResults } from "./harness/report.mjs";
import {
  CONNECT_SECRET,
  call,
  EVENTS_PER_ORDER,
  FIXED_STEPS,
  KEEP_UP,
  LANES,
  MAX_INFLIGHT,
  MAX_RATE,
  MAX_STEPS,
  MIN_RATE,
  ORDERS,
  ordersFor,
  PARTIAL,
  PLATFORM_SECRET,
  PRICE,
  RATE,
  RATE_TARGET,
  RETRIES,
  SECONDS,
  SEED,
  SNAPSHOT,
  STEP_SECONDS,
  VIA,
} from "./store/config.mjs";
import { caveatNotes, markdown, methodNotes, verdict } from "./store/report.mjs";
import { openShop, placeOrders } from "./store/shop.mjs";
import { countLogLine, logCounts, runStep } from "./store/steps.mjs";
import { apiSample, verify } from "./store/verify.mjs";

startRun("starting Loupe");
exitOnSignals("stopping");

async function main() {
  console.log(
    `store bench: target ${RATE} events/s × ${SECONDS} s (${ORDERS} orders), then ${FIXED_STEPS ? `fixed steps ${FIXED_STEPS.join(", ") || "none"}` : "doubling or halving"} (${STEP_SECONDS} s each)`,
  );
  setPhase("starting Loupe");
  // wrangler logs every request: the whole run's output is kept, for the log file.
  const L = await startLoupe({
    name: "store",
    call,
    snapshot: SNAPSHOT,
    keepChars: 20_000_000,
    onLine: countLogLine,
    vars: `STRIPE_CONNECT_WEBHOOK_SECRET:${CONNECT_SECRET} STRIPE_WEBHOOK_SECRET:${PLATFORM_SECRET}`,
  });
  console.log(`  Loupe up on port ${L.port} (${runSeconds().toFixed(0)} s); opening the shop…`);
  setPhase("opening the shop");
  const shop = await openShop(L);
  const lp = devProcesses(L.child.pid, L.port);
  if (!lp.workerdLoupe.length || !lp.workerdProxy.length) console.log(`  !! could not tell wrangler dev's workerd processes apart: ${JSON.stringify(lp)}`);
  const procs = { workerdLoupe: lp.workerdLoupe, workerdProxy: lp.workerdProxy, wrangler: lp.wrangler, bench: [process.pid] };
  L.eventPort = VIA === "direct" ? await userEntryPort(call, lp.workerdLoupe[0], L.appHost) : L.port;
  console.log(
    `  webhook events go ${VIA === "direct" ? `straight to Loupe's workerd on port ${L.eventPort}` : `through wrangler dev's proxy on port ${L.port}`}`,
  );
  const steps = [],
    orderPlacing = [];
  const nextRate = () => {
    if (steps.length === 0) return RATE;
    if (FIXED_STEPS) return FIXED_STEPS[steps.length - 1] ?? null;
    if (steps.length >= MAX_STEPS) return null;
    const kept = steps.filter((s) => s.result.keptUp).map((s) => s.result.offeredRate);
    const failed = steps.filter((s) => !s.result.keptUp).map((s) => s.result.offeredRate);
    let rate;
    if (!kept.length) rate = Math.round(Math.min(...failed) / 2);
    else if (!failed.length) rate = Math.max(...kept) * 2;
    else {
      // Bracketed: halve the bracket while it is wider than 25%.
      const lo = Math.max(...kept),
        hi = Math.min(...failed.filter((x) => x > lo));
      if (!Number.isFinite(hi) || hi / lo <= 1.25) return null;
      rate = Math.round((lo + hi) / 2 / 5) * 5;
    }
    return rate < MIN_RATE || rate > MAX_RATE ? null : rate;
  };
  for (let rate = nextRate(); rate != null; rate = nextRate()) {
    const n = steps.length + 1;
    const seconds = n === 1 ? SECONDS : STEP_SECONDS;
    const count = n === 1 ? ORDERS : ordersFor(rate, seconds);
    setPhase(`step ${n}: placing ${count} orders`);
    const placed = await placeOrders(L, shop, count, `s${n}`);
    orderPlacing.push(placed.stats);
    console.log(`  step ${n}: ${placed.stats.placed} pending orders placed in ${placed.stats.seconds} s (${placed.stats.perSecond}/s); ${rate} events/s…`);
    setPhase(`step ${n}: ${rate} events/s`);
    const s = await runStep(L, n, rate, placed.orders, procs);
    const x = s.result;
    console.log(
      `    ${x.events} events: achieved ${x.achievedRate}/s, p50 ${x.latencyMs.p50} ms, p95 ${x.latencyMs.p95} ms, p99 ${x.latencyMs.p99} ms, max ${x.latencyMs.max} ms; first answers ${JSON.stringify(x.statusCounts)}; retries ${x.retries.sent}; Loupe's workerd ${x.cpu.workerdLoupeCores} cores (${x.cpu.loupeCpuMsPerEvent} ms/request); kept up: ${x.keptUp}`,
    );
    steps.push(s);
    await sleep(1500);
  }
  setPhase("checking effects");
  const api = await apiSample(L, steps);
  await stopChild(L.child, 5000);
  const logFile = path.join(os.tmpdir(), "loupe-bench-store-wrangler.log");
  await writeFile(logFile, L.output());
  console.log(`  wrangler dev's output in ${logFile}; reading the effects back from D1…`);
  const verification = verify(L, steps);
  setPhase(null);

  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine({ ...devVersions(), stripe: version("stripe") }),
    via: VIA,
    config: {
      rate: RATE,
      seconds: SECONDS,
      stepSeconds: STEP_SECONDS,
      maxSteps: MAX_STEPS,
      fixedSteps: FIXED_STEPS,
      orders: ORDERS,
      maxInflight: MAX_INFLIGHT,
      retries: RETRIES,
      orderLanes: LANES,
      seed: SEED,
      eventsPerOrder: EVENTS_PER_ORDER,
      price: PRICE,
      partialRefund: PARTIAL,
      keepUp: KEEP_UP,
      target: { eventsPerSecond: RATE_TARGET, errors: 0, duplicateEffects: 0 },
    },
    tree: L.tree,
    orderPlacing,
    steps: steps.map((s) => s.result),
    verification,
    api,
    uncaught: { count: logCounts.uncaught, samples: logCounts.uncaughtSamples },
    phases,
    reloads: L.reloads(),
  };
  result.verdict = verdict(result);
  result.method = methodNotes(result);
  result.caveats = caveatNotes(result);
  result.totalSeconds = round(runSeconds(), 1);
  await writeResults(VIA === "direct" ? "store-direct" : "store", JSON.stringify(result, null, 2), markdown(result));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`store bench failed (${phase()}): ${err.stack ?? err}`);
    process.exit(1);
  },
);
