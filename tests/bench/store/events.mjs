// bench:store's events: per order, what one Stripe Checkout payment sends a Connect endpoint plus
// the trouble listed in store.bench.mjs's header, laid out on a fixed schedule, signed for real and
// sent open-loop, retried the way Stripe retries.
import { performance } from "node:perf_hooks";
import Stripe from "stripe";
import { CONNECT_SECRET, call, EVENTS_PER_ORDER, eventAgent, MAX_INFLIGHT, PARTIAL, RETRIES, SEED } from "./config.mjs";

/** mulberry32: the same mix of events for the same seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let eventSeq = 0;
/** An event as Stripe sends it to a Connect endpoint (no `account`: see the header comment). */
function eventBody(id, type, object) {
  return JSON.stringify({
    id,
    object: "event",
    api_version: "2025-01-27.acacia",
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
}
export const sign = (payload) => Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: CONNECT_SECRET });

/** The events of one step, each with when it is due (ms after the step's start): the mix is laid
 *  out in time (completions over the first ~85% of the step, the rest around them), then every
 *  event gets its own slot 1/rate apart in that order; a racing redelivery shares its original's. */
export function planStep(stepNo, orders, rate, tenantId) {
  const rand = rng(SEED * 1000 + stepNo);
  const span = ((orders.length * EVENTS_PER_ORDER) / rate) * 1000; // nominal ms
  const events = [];
  const ev = (kind, type, object, nominal, extra = {}) => {
    const e = { kind, type, id: `evt_bench_${stepNo}_${++eventSeq}`, object, nominal: Math.max(0, nominal), attempts: [], ...extra };
    events.push(e);
    return e;
  };
  const plans = orders.map((o, i) => {
    const pi = `pi_bench_${stepNo}_${i}`,
      ch = `ch_bench_${stepNo}_${i}`;
    const meta = { tenantId, orderId: o.id };
    const at = (i / orders.length) * span * 0.8 + rand() * span * 0.05;
    ev(
      "companion",
      "payment_intent.created",
      { id: pi, object: "payment_intent", amount: o.total, currency: "usd", status: "requires_payment_method", metadata: meta },
      at - 1000 - rand() * 2000,
    );
    ev(
      "companion",
      "charge.succeeded",
      { id: ch, object: "charge", payment_intent: pi, amount: o.total, amount_refunded: 0, paid: true, status: "succeeded", metadata: meta },
      at - 200 + rand() * 400,
    );
    ev(
      "companion",
      "payment_intent.succeeded",
      { id: pi, object: "payment_intent", amount: o.total, currency: "usd", status: "succeeded", metadata: meta },
      at - 300 + rand() * 600,
    );
    ev(
      "companion",
      "charge.updated",
      { id: ch, object: "charge", payment_intent: pi, amount: o.total, amount_refunded: 0, paid: true, status: "succeeded", metadata: meta },
      at + 200 + rand() * 1300,
    );
    const session = {
      id: `cs_bench_${o.id}`,
      object: "checkout.session",
      mode: "payment",
      payment_status: "paid",
      status: "complete",
      payment_intent: pi,
      metadata: meta,
      amount_total: null,
      automatic_tax: { enabled: false },
    };
    const completion = ev("completion", "checkout.session.completed", session, at, { orderIdx: i });
    const plan = { order: o, pi, completion, refund: null, full: false, amount: 0 };
    const r = rand();
    if (r < 0.15) ev("redelivery", completion.type, session, at + 2000 + rand() * 3000, { id: completion.id, original: completion });
    else if (r < 0.2) ev("race", completion.type, session, at, { id: completion.id, original: completion, race: true });
    if (rand() < 0.1) ev("second completion", completion.type, session, at + 1000 + rand() * 5000);
    const f = rand();
    if (f < 0.3) {
      plan.full = f < 0.1;
      plan.amount = plan.full ? o.total : PARTIAL;
      const charge = {
        id: ch,
        object: "charge",
        payment_intent: pi,
        amount: o.total,
        amount_refunded: plan.amount,
        paid: true,
        refunded: plan.full,
        metadata: rand() < 0.5 ? meta : { tenantId },
      };
      plan.refund = ev(plan.full ? "refund (full)" : "refund (partial)", "charge.refunded", charge, at + 1500 + rand() * 3000, { after: completion });
    }
    const z = rand();
    if (z < 0.05)
      ev(
        "noise",
        "account.updated",
        { id: `acct_bench_nobody_${stepNo}_${i}`, object: "account", charges_enabled: true, details_submitted: true },
        rand() * span,
      );
    else if (z < 0.1) ev("noise", "customer.created", { id: `cus_bench_${stepNo}_${i}`, object: "customer", metadata: {} }, rand() * span);
    return plan;
  });
  events.sort((a, b) => a.nominal - b.nominal || (a.race ? 1 : 0) - (b.race ? 1 : 0));
  let slot = 0;
  for (const e of events) e.dueMs = e.race ? e.original.dueMs : (slot++ * 1000) / rate;
  return { events, plans };
}

export async function signAll(events) {
  for (const e of events) {
    e.payload = e.original ? e.original.payload : eventBody(e.id, e.type, e.object);
    e.signature = await sign(e.payload);
  }
}

export const isOk = (a) => typeof a?.status === "number" && a.status >= 200 && a.status < 300;
/** wrangler dev's proxy answers this when its forward to the worker's workerd fails: Loupe never saw it. */
export const isProxy503 = (a) => a?.status === 503 && typeof a.body === "string" && a.body.includes("restarted mid-request");

/** Sends the events on their schedule, open-loop; a non-2xx is sent again after 1, 2, 4 s (same
 *  id, signed again); a refund waits for its completion's acknowledgement (or its last failure).
 *  Resolves when every event was acknowledged or ran out of retries. */
export function fire(L, events) {
  return new Promise((resolve) => {
    const E = events.length;
    let i = 0,
      inflight = 0,
      maxInflight = 0,
      open = E,
      capWaits = 0,
      retriesSent = 0,
      timer = null;
    const t0 = performance.now() + 100;
    const release = (e) => {
      const w = e.waiters ?? [];
      e.waiters = [];
      for (const x of w) send(x);
    };
    const send = (e) => {
      const a = { n: e.attempts.length, sentAt: performance.now() };
      e.attempts.push(a);
      if (a.n === 0) e.lagMs = a.sentAt - (t0 + e.dueMs);
      else retriesSent++;
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      call(L.eventPort, "POST", L.appHost, "/webhooks/stripe/connect", {
        payload: e.payload,
        agent: eventAgent,
        headers: { "content-type": "application/json", "stripe-signature": e.signature },
      })
        .then(
          (r) => {
            a.status = r.status;
            a.body = r.json ?? r.text.slice(0, 200);
          },
          (err) => {
            a.status = `network: ${String(err.message ?? err).slice(0, 80)}`;
          },
        )
        .finally(() => {
          a.doneAt = performance.now();
          a.ms = a.doneAt - a.sentAt;
          inflight--;
          if (isOk(a)) {
            e.ackedAt ??= a.doneAt;
            release(e);
            open--;
          } else if (a.n < RETRIES)
            setTimeout(
              async () => {
                e.signature = await sign(e.payload);
                send(e);
              },
              1000 * 2 ** a.n,
            );
          else {
            e.gaveUp = true;
            release(e);
            open--;
          }
          if (open === 0) {
            clearTimeout(timer);
            resolve({ t0, maxInflight, capWaits, retriesSent });
            return;
          }
          pump();
        });
    };
    const pump = () => {
      clearTimeout(timer);
      const now = performance.now();
      while (i < E && t0 + events[i].dueMs <= now) {
        if (inflight >= MAX_INFLIGHT) {
          capWaits++;
          return;
        } // resumed by the next answer
        const e = events[i++];
        if (e.after && e.after.ackedAt === undefined && !e.after.gaveUp) {
          e.held = true;
          e.after.waiters ??= [];
          e.after.waiters.push(e);
          continue;
        }
        send(e);
      }
      if (i < E) timer = setTimeout(pump, Math.max(0, t0 + events[i].dueMs - performance.now()));
    };
    timer = setTimeout(pump, 100);
  });
}
