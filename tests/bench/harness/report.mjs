// Where results go and what every report says about the machine: tests/bench/results/<name>.json
// (the numbers, for comparing runs) and <name>.md (the tables, as pasted into issues), printed too.

import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { round } from "./numbers.mjs";
import { root } from "./processes.mjs";

export const benchDir = path.join(root, "tests", "bench");

/** A package's installed version, "?" if it is not there. */
export function version(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

export const devVersions = () => ({ workerd: version("@cloudflare/workerd-linux-64"), wrangler: version("wrangler") });

/** The machine, then `extra` (the versions that bench depends on) in the order given. */
export function machine(extra = {}) {
  return {
    cpu: `${os.cpus().length}× ${os.cpus()[0]?.model ?? "?"}`,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    ...extra,
  };
}

/** Arrays of numbers (raw samples) on one line each, so a long JSON file stays readable. */
export const compactNumberArrays = (json) => json.replace(/\[\s+(-?[\d.]+(?:,\s+-?[\d.]+)*)\s+\]/g, (_, xs) => `[${xs.split(/,\s+/).join(", ")}]`);

/** A JSON.stringify replacer that rounds every non-integer to `digits`. */
export const roundNumbers = (digits) => (_key, v) => (typeof v === "number" && !Number.isInteger(v) ? round(v, digits) : v);

/** A markdown section of bullets: `#### title`, a blank line, one "- " line per item, a blank line. */
export function bullets(lines, title, items) {
  lines.push(`#### ${title}`, "");
  for (const n of items) lines.push(`- ${n}`);
  lines.push("");
}

/** The report's end: how it was measured, what to keep in mind, how long it took; the markdown text. */
export function closing(lines, r, totalSeconds) {
  lines.push("");
  bullets(lines, "Method", r.method);
  bullets(lines, "Caveats", r.caveats);
  lines.push(`Total bench time ${totalSeconds} s.`);
  return `${lines.join("\n")}\n`;
}

/** Writes results/<name>.json (`json`: the text, a newline is added) and <name>.md, and prints the markdown. */
export async function writeResults(name, json, md) {
  const dir = path.join(benchDir, "results");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.json`), `${json}\n`);
  await writeFile(path.join(dir, `${name}.md`), md);
  console.log(`\n${md}`);
  console.log(`wrote tests/bench/results/${name}.json and ${name}.md`);
}
