// The import boundaries of rules.ts, over the real tree and over violations/ (each rule broken
// once there, so the check is shown to fail when it should).
import path from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import { describe, expect, it } from "vitest";
import { RULES } from "./rules";

const repo = path.resolve(import.meta.dirname, "../..");

interface Violation {
  rule: string;
  from: string;
  to: string;
}

async function violations(baseDir: string, roots: string[]): Promise<Violation[]> {
  const { output } = await cruise(roots, {
    baseDir,
    validate: true,
    ruleSet: { forbidden: RULES },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(web/public/|tests/architecture/violations/)" },
  });
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.cycle ? v.cycle.map((c) => c.name).join(" → ") : v.to }));
}

describe("import boundaries", () => {
  it("hold in worker/, party/, web/ and the tests", { timeout: 120_000 }, async () => {
    expect(await violations(repo, ["worker", "party", "web", "tests"])).toEqual([]);
  });

  it("are each reported when broken", { timeout: 60_000 }, async () => {
    const found = await violations(path.join(import.meta.dirname, "violations"), ["worker", "party", "web", "tests"]);
    expect([...new Set(found.map((v) => v.rule))].sort()).toEqual(RULES.map((r) => r.name).sort());
    // And only where the tree breaks them: the allowed imports beside them stay quiet.
    expect(found.filter((v) => /\/(allowed|socket)\.ts$/.test(v.from))).toEqual([]);
  });
});
