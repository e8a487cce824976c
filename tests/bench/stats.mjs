// What the benchmarks share: percentiles (linear interpolation between closest ranks) and the
// process tree under a pid (to find workerd under wrangler, and to count this run's own CPU).
import { readdirSync, readFileSync } from "node:fs";

function parentOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

export function descendants(rootPid) {
  const kids = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = parentOf(d);
    if (ppid !== null) kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
  }
  const out = [];
  const walk = (p) => {
    for (const k of kids.get(p) ?? []) {
      out.push(k);
      walk(k);
    }
  };
  walk(rootPid);
  return out;
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
