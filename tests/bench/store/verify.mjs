// bench:store's check of the effects: after the steps, what the local D1 databases hold must be
// what the acknowledged events did, order by order, once each; a sample through the dashboard API.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { must } from "../harness/http.mjs";
import { DEMO } from "../harness/loupe.mjs";
import { countBy } from "../harness/numbers.mjs";
import { root } from "../harness/processes.mjs";
import { call, SEED } from "./config.mjs";
import { isOk, isProxy503, rng } from "./events.mjs";

function d1(L, database, sql) {
  const r = spawnSync(
    path.join(root, "node_modules", ".bin", "wrangler"),
    ["d1", "execute", database, "--local", "--persist-to", L.stateDir, "--command", sql, "--json"],
    {
      cwd: L.cwd,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    },
  );
  if (r.status !== 0) throw new Error(`wrangler d1 execute ${database} "${sql}" failed: ${r.stderr || r.stdout}`.slice(0, 2000));
  const out = JSON.parse(r.stdout.slice(r.stdout.indexOf("[")));
  return out[0].results;
}

/** What an event did, as far as its answers tell: applied (acknowledged), maybe (an attempt failed
 *  after it may have reached the handler), or not (every attempt failed before reaching Loupe). */
const applied = (e) => (!e ? "no" : e.ackedAt !== undefined ? "yes" : e.attempts.some((a) => !isOk(a) && !isProxy503(a)) ? "maybe" : "no");

/** Compares what the database holds with what the acknowledged events must have done, order by order. */
export function verify(L, steps) {
  const [tenant] = d1(L, "DIRECTORY", `SELECT id, shard, stripe_account_id FROM tenants WHERE slug = '${DEMO.slug}'`);
  const db = `TENANT_DB_${tenant.shard}`;
  const t = `tenant_id = '${tenant.id}'`;
  const orders = new Map(d1(L, db, `SELECT id, number, status, refunded, total, payment_intent_id FROM orders WHERE ${t}`).map((o) => [o.id, o]));
  const mails = d1(L, db, `SELECT id, kind, subject FROM email_outbox WHERE ${t}`);
  const grants = d1(L, db, `SELECT order_id FROM download_grants WHERE ${t}`);
  const recorded = new Set(d1(L, "DIRECTORY", "SELECT id FROM stripe_events").map((e) => e.id));
  const mailCount = new Map(); // `${number}:${what}` → count
  for (const m of mails) {
    const what = m.kind === "downloads_ready" ? "downloads" : / confirmed$/.test(m.subject) ? "confirmed" : / received$/.test(m.subject) ? "received" : m.kind;
    const n = /#(\d+)/.exec(m.subject)?.[1];
    mailCount.set(`${n}:${what}`, (mailCount.get(`${n}:${what}`) ?? 0) + 1);
  }
  const grantCount = countBy(grants, (g) => g.order_id);
  const perStep = steps.map((s) => {
    const problems = [];
    const tally = {
      orders: s.plans.length,
      checkedFully: 0,
      paid: 0,
      refundedInFull: 0,
      partlyRefunded: 0,
      pending: 0,
      confirmedMails: 0,
      downloadsMails: 0,
      receivedMails: 0,
      grants: 0,
      wrongStatus: 0,
      wrongRefund: 0,
      wrongPaymentIntent: 0,
      missingEffects: 0,
      duplicateEffects: 0,
    };
    for (const w of s.plans) {
      const o = orders.get(w.order.id);
      if (!o) {
        problems.push(`order ${w.order.id}: not in the database`);
        continue;
      }
      if (o.status === "paid") tally.paid++;
      if (o.status === "refunded") tally.refundedInFull++;
      if (o.status === "pending") tally.pending++;
      if (o.status === "paid" && o.refunded > 0) tally.partlyRefunded++;
      const c = {
        confirmed: mailCount.get(`${o.number}:confirmed`) ?? 0,
        downloads: mailCount.get(`${o.number}:downloads`) ?? 0,
        received: mailCount.get(`${o.number}:received`) ?? 0,
        grants: grantCount[o.id] ?? 0,
      };
      tally.confirmedMails += c.confirmed;
      tally.downloadsMails += c.downloads;
      tally.receivedMails += c.received;
      tally.grants += c.grants;
      // Fully checked when the payment was acknowledged (then refunds waited for it); otherwise
      // only that nothing happened twice.
      const paidAcked = applied(w.completion) === "yes";
      const refund = applied(w.refund);
      if (paidAcked) {
        tally.checkedFully++;
        const statuses = w.full ? (refund === "yes" ? ["refunded"] : refund === "maybe" ? ["paid", "refunded"] : ["paid"]) : ["paid"];
        const amounts = refund === "yes" ? [w.amount] : refund === "maybe" ? [0, w.amount] : [0];
        if (!statuses.includes(o.status)) {
          tally.wrongStatus++;
          problems.push(`order #${o.number}: status ${o.status}, expected ${statuses.join(" or ")}`);
        }
        if (!amounts.includes(o.refunded)) {
          tally.wrongRefund++;
          problems.push(`order #${o.number}: refunded ${o.refunded}, expected ${amounts.join(" or ")}`);
        }
        if (o.payment_intent_id !== w.pi) {
          tally.wrongPaymentIntent++;
          problems.push(`order #${o.number}: payment intent ${o.payment_intent_id}, expected ${w.pi}`);
        }
      }
      for (const [k, n] of Object.entries(c)) {
        if (n === 1 || (n === 0 && !paidAcked && k !== "received")) continue;
        if (n === 0) tally.missingEffects++;
        else tally.duplicateEffects++;
        problems.push(`order #${o.number}: ${n} × ${k === "grants" ? "download grant" : `${k} mail`}, expected 1`);
      }
    }
    // Types Loupe does not handle are answered `ignored: true` and never recorded.
    const acked = new Set(s.events.filter((e) => e.ackedAt !== undefined && !e.attempts.some((a) => a.body?.ignored === true)).map((e) => e.id));
    const missing = [...acked].filter((id) => !recorded.has(id));
    if (missing.length) problems.push(`${missing.length} acknowledged event ids not recorded in stripe_events (e.g. ${missing[0]})`);
    return {
      step: s.result.step,
      ...tally,
      acknowledgedEventIds: acked.size,
      eventIdsRecorded: acked.size - missing.length,
      problems: problems.length,
      problemSamples: problems.slice(0, 15),
      ok: problems.length === 0,
    };
  });
  return {
    shard: tenant.shard,
    tenantStripeAccount: tenant.stripe_account_id,
    ordersInDb: orders.size,
    mailsInDb: mails.length,
    grantsInDb: grants.length,
    stripeEventsInDb: recorded.size,
    mailKinds: countBy(mails, (m) => m.kind),
    perStep,
  };
}

/** A sample of fully acknowledged orders as the dashboard shows them must agree with the events. */
export async function apiSample(L, steps) {
  const all = steps.flatMap((s) => s.plans).filter((w) => applied(w.completion) === "yes" && applied(w.refund) !== "maybe");
  const rand = rng(SEED);
  const sample = Array.from({ length: Math.min(60, all.length) }, () => all[Math.floor(rand() * all.length)]);
  const wrong = [];
  for (const w of sample) {
    const r = await call(L.port, "GET", L.appHost, `/api/studios/${L.studioId}/store/orders/${w.order.id}`, { cookie: L.cookie });
    const o = r.json?.order;
    const refunded = applied(w.refund) === "yes" ? w.amount : 0;
    const status = w.full && refunded ? "refunded" : "paid";
    if (r.status !== 200 || o.status !== status || o.refunded !== refunded || o.paymentIntentId !== w.pi)
      wrong.push(`#${w.order.number}: HTTP ${r.status} ${o?.status} refunded ${o?.refunded} pi ${o?.paymentIntentId}; expected ${status} ${refunded} ${w.pi}`);
  }
  const mail = (await must(call(L.port, "GET", L.appHost, `/api/studios/${L.studioId}/store/mail`, { cookie: L.cookie }), 200, "GET mail")).json.mail;
  const subjects = countBy(mail, (m) => m.subject);
  const repeated = Object.entries(subjects)
    .filter(([, n]) => n > 1)
    .map(([s, n]) => `${n} × ${s}`);
  return {
    ordersChecked: sample.length,
    ordersWrong: wrong.length,
    wrong: wrong.slice(0, 5),
    mailListed: mail.length,
    mailSubjectsRepeated: repeated.length,
    repeated: repeated.slice(0, 5),
  };
}
