// What /proc tells about a process: CPU ticks, memory, open files and their limit. Linux only, as
// the benches are. Readers return null/NaN/"" for a process that is gone (they race with exits),
// except statusBytes, which throws so that a caller that needs the number fails loudly.
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { descendants } from "../stats.mjs";
import { round } from "./numbers.mjs";

/** ppid, command name and CPU ticks (1/100 s: utime stime cutime cstime) of a process. */
export function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = s.slice(s.lastIndexOf(")") + 2).split(" "); // comm may contain spaces
    return {
      ppid: Number(rest[1]),
      comm: s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")),
      ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]),
    };
  } catch {
    return null;
  }
}

/** CPU ticks of the process alone (utime stime), not of its waited-for children. */
export function selfTicks(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

export const cmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};

/** A "kB" line of /proc/<pid>/status (VmRSS, VmHWM…) in bytes; NaN if absent; throws if the process is gone. */
export function statusBytes(pid, key) {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Resident set size in bytes (VmRSS), or NaN once the process is gone. */
export function rss(pid) {
  try {
    return statusBytes(pid, "VmRSS");
  } catch {
    return NaN;
  }
}

export const openFiles = (pid) => {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
};

export function fdLimit(pid) {
  let limits = "";
  try {
    limits = readFileSync(`/proc/${pid}/limits`, "utf8");
  } catch {
    return { soft: NaN, hard: NaN };
  } // process gone
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(limits);
  const n = (s) => (s === "unlimited" ? Infinity : Number(s));
  return { soft: n(m[1]), hard: n(m[2]) };
}

/** Ticks of the whole machine spent busy, of this bench's process tree (the servers and browsers
 *  it started included), and of each named group of pids on its own. */
export function cpuTicks(named = {}) {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const busy = f[1] + f[2] + f[3] + f[6] + f[7]; // user nice system irq softirq (not idle, iowait, steal)
  const mine = [process.pid, ...descendants(process.pid)].reduce((sum, p) => sum + (procStat(p)?.ticks ?? 0), 0);
  const per = Object.fromEntries(Object.entries(named).map(([k, pids]) => [k, pids.reduce((s, p) => s + selfTicks(p), 0)]));
  return { busy, mine, per, at: performance.now() };
}

/** Average cores busy between two cpuTicks() readings: the machine's, the part that was not this
 *  bench ("others": someone's tests on this shared machine), and each named group's. */
export function coresBetween(a, b) {
  const s = (b.at - a.at) / 1000;
  const out = {
    seconds: round(s, 1),
    busyCores: round((b.busy - a.busy) / 100 / s, 2),
    otherCores: round(Math.max(0, b.busy - a.busy - (b.mine - a.mine)) / 100 / s, 2),
  };
  for (const k of Object.keys(b.per)) out[`${k}Cores`] = round((b.per[k] - (a.per[k] ?? 0)) / 100 / s, 2);
  return out;
}
