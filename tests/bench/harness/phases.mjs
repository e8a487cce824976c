// The run's clock and what it is doing. Each phase records how busy the machine's cores were
// meanwhile and how much of that was other processes: on this shared 2-core VM someone's test
// suite skews latencies, and the reports say where. wrangler dev reloads are tagged with the phase.
import { performance } from "node:perf_hooks";
import { coresBetween, cpuTicks } from "./proc-stats.mjs";

let startedAt = performance.now();
let current = null;
/** `{ name, seconds, busyCores, otherCores }` for every phase closed so far. */
export const phases = [];

/** Restarts the clock (a bench calls it first thing) and names what happens until setPhase. */
export function startRun(firstPhase) {
  startedAt = performance.now();
  current = firstPhase;
}

export const runSeconds = () => (performance.now() - startedAt) / 1000;
export const phase = () => current;

/** Closes the current phase with its CPU figures and starts `name` (null: none). */
export function setPhase(name) {
  const now = cpuTicks();
  const prev = phases.at(-1);
  if (prev?.start) {
    Object.assign(prev, coresBetween(prev.start, now));
    delete prev.start;
  }
  current = name;
  if (name) phases.push({ name, start: now });
}

/** The phases as the reports' notes list them. */
export const phaseCpu = (list) => list.map((p) => `${p.name} ${p.seconds} s: ${p.busyCores} busy, ${p.otherCores} others`).join("; ");
