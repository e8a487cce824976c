// Every field of every request is checked for what no field may hold (contract/text.ts) before its
// route's schema reads it, so no schema can forget to.
import type { RefinementCtx } from "zod";
import { numberProblem, textProblem } from "../contract/text";

const MAX_DEPTH = 20;

/** Adds an issue, at its field, for every string or number in `value` that may not be stored. */
export function plainInput(value: unknown, ctx: RefinementCtx, path: (string | number)[] = []): void {
  const problem = typeof value === "string" ? textProblem(value) : typeof value === "number" ? numberProblem(value) : null;
  if (problem) ctx.addIssue({ code: "custom", path, message: problem });
  if (value === null || typeof value !== "object") return;
  if (path.length >= MAX_DEPTH) {
    ctx.addIssue({ code: "custom", path, message: `is nested more than ${MAX_DEPTH} levels deep` });
    return;
  }
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) plainInput(v, ctx, [...path, k]);
}
