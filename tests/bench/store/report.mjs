// bench:store's report: the verdict against the target, the markdown table (a column per step)
// and the notes that explain it.
import os from "node:os";
import { fmt } from "../harness/numbers.mjs";
import { phaseCpu } from "../harness/phases.mjs";
import { closing } from "../harness/report.mjs";
import { KEEP_UP, LANES, MAX_INFLIGHT, MAX_STEPS, PARTIAL, PRICE, RATE_TARGET, RETRIES, SEED, STEP_SECONDS } from "./config.mjs";

export function verdict(r) {
  const s = r.steps[0],
    v = r.verification.perStep[0];
  const checks = [
    [`offered ${s.offeredRate} events/s ≥ ${RATE_TARGET}`, s.offeredRate >= RATE_TARGET],
    [`achieved ${fmt(s.achievedRate, 1)}/s ≥ ${KEEP_UP.minShare * 100}% of offered`, s.achievedRate >= KEEP_UP.minShare * s.offeredRate],
    [`${s.errors + s.wrongBodies} errors (non-2xx, network, malformed answers; first attempts)`, s.errors === 0 && s.wrongBodies === 0],
    [`${v.duplicateEffects} duplicate effects`, v.duplicateEffects === 0],
    [`${v.missingEffects + v.wrongStatus + v.wrongRefund + v.wrongPaymentIntent} missing effects or wrong final states`, v.ok],
    [
      "the same id after its acknowledgement said duplicate: true, first deliveries false",
      s.redeliveries.answeredDuplicate === s.redeliveries.laterAfterOriginalAcked && s.firstDeliveriesSaidDuplicate === 0 && s.idsWithoutFirstAnswer === 0,
    ],
  ];
  return { pass: checks.every(([, ok]) => ok), checks };
}

export function markdown(r) {
  const L = [];
  const S = r.steps,
    V = r.verification.perStep;
  const col = (f) => S.map((s, i) => f(s, V[i])).join(" | ");
  L.push(
    `### Store benchmark: Stripe webhooks${r.via === "direct" ? ", straight to Loupe's workerd (no wrangler proxy)" : ""} (${r.date}, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, workerd ${r.machine.workerd} via wrangler ${r.machine.wrangler} dev)`,
  );
  L.push("");
  L.push(
    `**${r.verdict.pass ? "PASS" : "FAIL"}** against the target (${RATE_TARGET} events/s with no error and no duplicate effect, step 1): ${r.verdict.checks.map(([what, ok]) => `${ok ? "✓" : "✗"} ${what}`).join("; ")}.`,
  );
  L.push("");
  L.push(`| Connect webhook events, open-loop | ${S.map((s, i) => (i === 0 ? `**step 1: target**` : `step ${s.step}`)).join(" | ")} |`);
  L.push(`|---|${S.map(() => "---").join("|")}|`);
  const row = (label, f) => L.push(`| ${label} | ${col(f)} |`);
  const lat = (x) => `${fmt(x?.p50, 1)} / ${fmt(x?.p95, 1)}`;
  row("offered rate (events/s) × planned s", (s) => `**${s.offeredRate}** × ${s.plannedSeconds}`);
  row("events (orders)", (s) => `${s.events} (${s.orders})`);
  row("sent rate / **achieved rate** (2xx first answers/s)", (s) => `${fmt(s.sentRate, 1)} / **${fmt(s.achievedRate, 1)}**`);
  row(
    "**latency ms** p50 / **p95** / p99 / max",
    (s) => `${fmt(s.latencyMs.p50, 1)} / **${fmt(s.latencyMs.p95, 1)}** / ${fmt(s.latencyMs.p99, 1)} / ${fmt(s.latencyMs.max, 0)}`,
  );
  row(
    "latency from due time ms p50 / p95 / p99 (incl. send lag)",
    (s) => `${fmt(s.latencyFromDueMs.p50, 1)} / ${fmt(s.latencyFromDueMs.p95, 1)} / ${fmt(s.latencyFromDueMs.p99, 1)}`,
  );
  row("checkout.session.completed p50 / p95 ms", (s) => lat(s.latencyByType.completion));
  row("same id again (duplicate) p50 / p95 ms", (s) => lat(s.latencyByType.redelivery));
  row("charge.refunded p50 / p95 ms", (s) => lat(s.latencyByType.refund));
  row("payment_intent.* / charge.succeeded|updated p50 / p95 ms", (s) => lat(s.latencyByType.companion));
  row("send lag p95 / max ms (sender behind schedule)", (s) => `${fmt(s.sendLagMs.p95, 1)} / ${fmt(s.sendLagMs.max, 0)}`);
  row("max in flight / drain after last send ms", (s) => `${s.maxInflight} / ${fmt(s.drainMs)}`);
  row("first answers: status codes", (s) =>
    Object.entries(s.statusCounts)
      .map(([k, n]) => `${k} × ${n}`)
      .join(", "),
  );
  row("**errors** (non-2xx, network, malformed)", (s) => `**${s.errors + s.wrongBodies}**`);
  row("retries (Stripe-like, 1/2/4 s): sent, never acknowledged", (s) => `${s.retries.sent}, ${s.retries.eventsNeverAcknowledged}`);
  row(
    "requests sent / answered 2xx / logged by Loupe / by wrangler's proxy",
    (s) =>
      `${s.reachedLoupe.requestsAnswered} / ${s.reachedLoupe.answered2xx} / ${
        Object.entries(s.reachedLoupe.loupeLogged)
          .map(([k, n]) => `${k} × ${n}`)
          .join(", ") || 0
      } / ${
        Object.entries(s.reachedLoupe.proxyLogged)
          .map(([k, n]) => `${k} × ${n}`)
          .join(", ") || 0
      }`,
  );
  row(
    "same id after the ack: said duplicate",
    (s) =>
      `${s.redeliveries.answeredDuplicate}/${s.redeliveries.laterAfterOriginalAcked}${s.redeliveries.laterBeforeOriginalAcked ? ` (+${s.redeliveries.laterBeforeOriginalAcked} sent before it)` : ""}`,
  );
  row("same id twice at the same instant: pairs where one said duplicate", (s) => `${s.redeliveries.racesAnsweredDuplicate}/${s.redeliveries.races}`);
  row(
    "first deliveries that said duplicate: alone (must be 0) / with a twin in flight (allowed)",
    (s) => `${s.firstDeliveriesSaidDuplicate} / ${s.overtakenFirstDeliveries}`,
  );
  row("acknowledged ids with no duplicate: false answer (must be 0)", (s) => String(s.idsWithoutFirstAnswer));
  row("orders paid / refunded in full / partly refunded / pending", (_s, v) => `${v.paid} / ${v.refundedInFull} / ${v.partlyRefunded} / ${v.pending}`);
  row("mails confirmed / downloads / received; grants", (_s, v) => `${v.confirmedMails} / ${v.downloadsMails} / ${v.receivedMails}; ${v.grants}`);
  row(
    "**duplicate effects** / missing effects / wrong states",
    (_s, v) => `**${v.duplicateEffects}** / ${v.missingEffects} / ${v.wrongStatus + v.wrongRefund + v.wrongPaymentIntent}`,
  );
  row("acknowledged handled event ids in stripe_events", (_s, v) => `${v.eventIdsRecorded}/${v.acknowledgedEventIds}`);
  row(
    "CPU cores: workerd (Loupe) / workerd (proxy) / wrangler",
    (s) => `${fmt(s.cpu.workerdLoupeCores, 2)} / ${fmt(s.cpu.workerdProxyCores, 2)} / ${fmt(s.cpu.wranglerCores, 2)}`,
  );
  row("CPU ms per request: Loupe's workerd / whole dev stack", (s) => `${fmt(s.cpu.loupeCpuMsPerEvent, 1)} / ${fmt(s.cpu.stackCpuMsPerEvent, 1)}`);
  row(
    `CPU cores: this bench / machine busy (of ${os.cpus().length}) / others`,
    (s) => `${fmt(s.cpu.benchCores, 2)} / ${fmt(s.cpu.busyCores, 2)} / ${fmt(s.cpu.otherCores, 2)}`,
  );
  row(`**kept up** (0 errors, ≥ ${KEEP_UP.minShare * 100}% of offered, p99 ≤ ${KEEP_UP.maxP99Ms} ms)`, (s) => (s.keptUp ? "yes" : "**no**"));
  L.push("");
  const up = S.filter((s) => s.keptUp).map((s) => s.offeredRate),
    down = S.filter((s) => !s.keptUp).map((s) => s.offeredRate);
  const best = up.length ? Math.max(...up) : null,
    worst = down.length ? Math.min(...down.filter((x) => best == null || x > best)) : null;
  L.push(
    `Where it stops keeping up here: ${best != null ? `kept up at ${best} events/s` : `did not keep up at any rate tried (lowest ${Math.min(...down)} events/s)`}${Number.isFinite(worst) && worst != null ? `, not at ${worst} events/s` : best != null ? ", the highest rate tried" : ""}. Loupe's workerd runs the worker on one thread, so at ${fmt(S[0].cpu.loupeCpuMsPerEvent, 1)} ms of its CPU per request (step 1) it cannot exceed ≈ ${fmt(1000 / S[0].cpu.loupeCpuMsPerEvent)} requests/s even with a core to itself; the whole dev stack (Loupe's workerd + wrangler's proxy workerd + wrangler's logging) costs ${fmt(S[0].cpu.stackCpuMsPerEvent, 1)} ms per request, i.e. ≈ ${fmt((os.cpus().length * 1000) / S[0].cpu.stackCpuMsPerEvent)} requests/s if it had all ${os.cpus().length} cores of this machine and nothing else ran.`,
  );
  L.push("");
  L.push(
    `Orders placed before each step (checkout through the client API, ${LANES} clients at once): ${r.orderPlacing.map((o, i) => `step ${i + 1}: ${o.placed} in ${fmt(o.seconds, 1)} s (${fmt(o.perSecond, 1)}/s${o.failed ? `, ${o.failed} failed` : ""})`).join("; ")}.`,
  );
  L.push("");
  L.push(
    `Read back from the local D1 (shard ${r.verification.shard}): ${r.verification.ordersInDb} orders, ${r.verification.mailsInDb} mails (${Object.entries(
      r.verification.mailKinds,
    )
      .map(([k, n]) => `${k} ${n}`)
      .join(
        ", ",
      )}), ${r.verification.grantsInDb} download grants, ${r.verification.stripeEventsInDb} stripe_events. Dashboard API: ${r.api.ordersChecked} acknowledged orders read through GET …/store/orders/:id, ${r.api.ordersWrong} disagreeing; GET …/store/mail lists the latest ${r.api.mailListed} mails, ${r.api.mailSubjectsRepeated} subjects repeated.`,
  );
  const problems = V.flatMap((v) => v.problemSamples.map((p) => `step ${v.step}: ${p}`));
  const errs = S.flatMap((s) => Object.entries(s.errorsByKind).map(([k, n]) => `step ${s.step} (${s.offeredRate}/s): ${n} × ${k}`));
  const samples = S.flatMap((s) =>
    s.errorSamples
      .slice(0, 2)
      .map(
        (e) =>
          `step ${s.step}: ${e.type} (${e.kind}) → ${e.status} \`${(typeof e.body === "string" ? e.body : (JSON.stringify(e.body) ?? String(e.error ?? "no answer"))).slice(0, 160)}\``,
      ),
  );
  if (problems.length || errs.length) {
    L.push("");
    L.push("#### Errors and problems found");
    L.push("");
    for (const p of [...errs, ...samples, ...problems]) L.push(`- ${p}`);
    if (r.uncaught.count) L.push(`- wrangler dev printed ${r.uncaught.count} error lines during the run, e.g. \`${r.uncaught.samples[0]}\``);
  }
  return closing(L, r, fmt(r.totalSeconds, 0));
}

export function methodNotes(r) {
  return [
    (r.tree.snapshot
      ? `Loupe runs from a snapshot of the working tree (HEAD ${r.tree.head} plus ${r.tree.changedFiles} changed or new files; the ${r.tree.files} files git lists, copied to a temp dir, node_modules linked), so edits made to the tree during the run cannot reload the worker. `
      : "Loupe runs in place (STORE_SNAPSHOT=0). ") +
      "It runs as `npm start` does (scripts/start.mjs: migrations, `wrangler dev` on 127.0.0.1 with a fresh state dir, demo studio) with `LOUPE_VARS` setting STRIPE_CONNECT_WEBHOOK_SECRET and STRIPE_WEBHOOK_SECRET and no STRIPE_SECRET_KEY: nothing calls Stripe, and checkout makes offline (pending) orders.",
    `Orders: the demo studio's sample gallery gets a price sheet with one digital item (web download, ${PRICE / 100} USD, no tax) through the dashboard API; before each step ${LANES} clients open the gallery (POST /g/:id/access) and repeat PUT /g/:id/cart (one line, one photo) and POST /g/:id/checkout, each checkout with its own cf-connecting-ip (the route allows 20 a minute per IP). Each step has its own fresh orders.`,
    `Events: Connect events to POST /webhooks/stripe/connect on wrangler dev's port (app host), JSON as Stripe sends it, signed with stripe ${r.machine.stripe}'s generateTestHeaderStringAsync and the connect secret (signed just before the step, and again for each retry). No \`account\` field: studioOf() finds the studio by metadata.tenantId. Per order, what one Checkout payment sends: checkout.session.completed (paid, payment_intent pi_…), payment_intent.created/.succeeded and charge.succeeded/.updated carrying {tenantId, orderId} (no effect beyond being recorded); trouble: the completion's id again 2–5 s later (15%) or at the same instant (5%), a second completion under a new id 1–6 s later (10%), charge.refunded partial (${PARTIAL / 100} USD, 20%) or in full (10%; half with metadata.orderId, half found by payment intent) held until the completion was acknowledged, account.updated for an account no studio has and customer.created without metadata (10%). Seeded (STORE_SEED=${SEED}): the same mix each run.`,
    `Open loop: events are due 1/rate s apart (in the mix's time order) and sent when due whatever the earlier ones are doing, over keep-alive HTTP/1.1 connections (at most ${MAX_INFLIGHT} scheduled sends in flight: reaching it delays them, shown as send lag and in the latency from due time; released refunds and retries are not held back, so the maximum in flight can be a little higher). Latency = request sent → last byte of the answer, first attempts only. Sent rate = events / time from first to last send; achieved rate = 2xx first answers / time from the first send to the last first answer (a backlog draining after the schedule lowers it). Kept up = no error, achieved ≥ ${KEEP_UP.minShare * 100}% of offered, p99 ≤ ${KEEP_UP.maxP99Ms} ms. Steps after the target double the rate while steps keep up, or halve it until one does, then bisect between the highest rate kept up and the lowest not (while they differ by more than 25%; at most ${MAX_STEPS} steps, each with ${STEP_SECONDS} s of events).`,
    `A non-2xx or failed request is an error (counted on first attempts) and is sent again like Stripe does (same event id, a fresh signature) after 1, 2 and 4 s, up to ${RETRIES} times, so that the effects can still be checked. Loupe's own request log lines ({"msg":"request", path /webhooks/stripe/connect} in wrangler dev's output) are counted per step, to tell requests that reached the worker from those wrangler dev's proxy failed to forward.`,
    "Answers: every event must get 2xx with {received: true, duplicate: boolean}; a first delivery must say duplicate: false; the same id sent after its original was acknowledged must say duplicate: true (one sent while the original is still in flight may say either: both pass the dedupe check, and the handlers being idempotent must keep the effect single; the racing redeliveries test exactly that). A first delivery with another delivery of its id sent while it was in flight (a racing twin, or a later redelivery that overtook it: requests in flight are not served in order) may say either; every acknowledged id must have at least one answer saying duplicate: false.",
    'Effects, read after the steps from the local D1 files with `wrangler d1 execute --local --persist-to <state dir>` (Loupe stopped first): per order whose completion was acknowledged, status paid, or refunded when a full refund was acknowledged; refunded = the amount acknowledged; payment_intent_id = the one sent; exactly one order_confirmation "…confirmed" mail, one "…received" mail (from checkout), one downloads_ready mail and one download_grants row. (An order whose completion was never acknowledged may only have nothing twice.) Mails are matched to orders by the order number in the subject, not by outbox id (the id is the dedupe key, so counting ids could not see a duplicate under another key). Every acknowledged id of a type Loupe handles must be in the directory\'s stripe_events (other types are answered `ignored: true` without a query). Up to 60 random acknowledged orders are also read through the dashboard API (GET /api/studios/:s/store/orders/:id), and GET …/store/mail (the latest 200) is checked for repeated subjects.',
    "CPU: ticks from /proc of wrangler dev's two workerd processes (the proxy on the public port and the one running Loupe's worker), of wrangler's node process and of this bench, from the first send to the last answer of each step; machine busy cores from /proc/stat; others = busy cores not spent by this bench's process tree (another engineer's work on this shared machine). CPU ms per request = that process's CPU time / requests answered (retries included).",
    "Percentiles interpolate linearly between closest ranks (tests/bench/stats.mjs).",
  ];
}

export function caveatNotes(r) {
  const out = [];
  out.push(
    "`wrangler dev` is not production: a proxy workerd sits in front of the worker (it forwards every request to the workerd that runs Loupe), wrangler's node process prints two log lines per request, local D1 is SQLite on disk behind a Durable Object in Loupe's workerd, and that workerd runs the worker, D1 and R2 on one thread. On Cloudflare a webhook burst spreads over many isolates and D1 runs elsewhere (each query then costs a network round trip, so single-event latency is higher but throughput is not bounded by one thread).",
  );
  out.push(
    `This is a shared ${os.cpus().length}-core VM: Loupe's workerd, wrangler's proxy, wrangler and this bench share the cores, and others' processes took what the "others" row shows. CPU per phase: ${phaseCpu(r.phases.filter((p) => p.name !== "checking effects"))}.`,
  );
  if (r.reloads.length) out.push(`**wrangler dev reloaded the worker during this run: ${r.reloads.map((x) => `${x.phase} (${x.atSeconds} s)`).join(", ")}.**`);
  const errs = r.steps.reduce((n, s) => n + s.errors, 0),
    acked2xx = r.steps.reduce((n, s) => n + s.reachedLoupe.answered2xx, 0),
    logged = r.steps.reduce((n, s) => n + Object.values(s.reachedLoupe.loupeLogged).reduce((a, b) => a + b, 0), 0);
  if (errs)
    out.push(
      `Every error was a request that Loupe's code did not answer: over all steps ${acked2xx} requests got 2xx and Loupe's own request log has ${logged} lines for the webhook path${r.steps.some((s) => Object.keys(s.reachedLoupe.loupeLogged).some((k) => k !== "200")) ? " (some not 200: see the JSON)" : ", all status 200"}; wrangler dev printed ${r.uncaught.count} error lines.`,
    );
  if (r.steps.some((s) => s.errorsByKind && Object.keys(s.errorsByKind).some((k) => k.startsWith("503 from wrangler"))))
    out.push(
      "The 503s (\"Your worker restarted mid-request…\") come from wrangler dev's proxy (wrangler-dist/ProxyWorker.js): its fetch to the workerd running Loupe failed and, for a POST, it answers 503 instead of retrying; the worker was not restarted (no reload was seen) and Loupe's request log has no line for those requests, so Loupe's code never ran for them. They appear only when requests queue up (seconds of backlog); in a separate check against the worker's own port, fresh connections at 96 in flight gave no error while keep-alive connections at 32 in flight had some reset, at the moment the backlog cleared, before reaching the worker. The ECONNRESET / socket hang up errors are the same thing one hop earlier (this bench's keep-alive connections to the proxy, reset under the backlog; the proxy logged no line for them). A runtime/dev-server limit under overload, not webhook logic; production has no such proxy.",
    );
  out.push(
    "All events are one studio's, so every write goes to one tenant shard plus the directory: the worst case for SQLite's single writer. Stripe sends a Connect endpoint its events with limited parallelism and retries failures with backoff over hours; a steady 100 events/s to one endpoint is a stress figure, and an overloaded step's errors would be retried by Stripe (as the bench's own retries show).",
  );
  out.push(
    "The orders are \"offline\" orders (no Stripe account, no STRIPE_SECRET_KEY) paid by card events all the same: the handler does not look at the order's payment method. A refund named only by its payment intent is resolved from the order's recorded payment_intent_id (without a Stripe key there is no lookup at Stripe), which is why refunds wait for their completion's acknowledgement.",
  );
  return out;
}
