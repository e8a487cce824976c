// Number helpers every bench report uses. Rounding turns NaN and ±Infinity into null, so an empty
// sample set reads null in the JSON and "n/a" in the tables rather than a made-up 0.
import { quantile } from "../stats.mjs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const round = (x, d = 1) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

/** With thousands separators (the web and store tables). */
export const fmt = (x, d = 0) => (x == null || !Number.isFinite(x) ? "n/a" : round(x, d).toLocaleString("en"));

/** Without separators (the rooms tables). */
export const plain = (x, d = 2) => (x == null || !Number.isFinite(x) ? "n/a" : String(round(x, d)));

const measures = {
  p50: (v) => quantile(v, 0.5),
  median: (v) => quantile(v, 0.5),
  p95: (v) => quantile(v, 0.95),
  p99: (v) => quantile(v, 0.99),
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  min: (v) => Math.min(...v),
  max: (v) => Math.max(...v),
};

/**
 * `{ n, ...fields }` over the finite values of xs, each rounded to `digits`; every field is null
 * when there are none. The benches each report their own set of fields under their own names
 * (images says "median", the others "p50"), and the JSON keeps those names.
 */
export function summary(xs, fields, digits = 1) {
  const v = xs.filter((x) => x != null && Number.isFinite(x));
  const out = { n: v.length };
  for (const f of fields) out[f] = v.length ? round(measures[f](v), digits) : null;
  return out;
}

/** Runs fn over items with at most `limit` in flight; results in the items' order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const countBy = (xs, f) =>
  xs.reduce((m, x) => {
    const k = f(x);
    m[k] = (m[k] ?? 0) + 1;
    return m;
  }, {});
