// The processes and temp dirs a bench makes, and their end. Servers (wrangler dev via `npm start`,
// the reference relay) are started detached, each in a process group of its own, so that stopping
// one stops everything under it (wrangler's two workerds, esbuild) and nothing else. Whatever is
// still running when the bench exits, however it exits, is killed, and its temp dirs removed.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { round, sleep } from "./numbers.mjs";
import { phase, runSeconds } from "./phases.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const groups = new Set(); // detached children: each is its own process group
const tempDirs = [];
const exitHooks = [];

function killGroups() {
  for (const child of groups) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

export function removeTemp() {
  for (const d of tempDirs)
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
}

/** A fresh temp dir, removed when the bench exits. */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes `dir` (made elsewhere, e.g. a snapshot of the tree) when the bench exits. */
export const removeAtExit = (dir) => tempDirs.push(dir);

/** Synchronous clean-up of the bench's own, run before the groups are killed; it must be
 *  synchronous because "exit" handlers cannot wait (a signal or process.exit() ends up there). */
export const atExit = (fn) => exitHooks.push(fn);

process.on("exit", () => {
  for (const fn of exitHooks)
    try {
      fn();
    } catch {
      /* best effort */
    }
  killGroups();
  removeTemp();
});

/** Ctrl-C and friends: says so, runs `before` (awaited if it returns a promise), exits 130. */
export function exitOnSignals(message, before = () => {}) {
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(sig, () => {
      console.error(`\n${sig}: ${message}`);
      Promise.resolve()
        .then(before)
        .catch(() => {})
        .finally(() => process.exit(130));
    });
  }
}

/**
 * Spawns `cmd` detached and keeps the tail of its output (`keepChars`) for error messages:
 * wrangler logs every request and upgrade, so 10,000 sockets must cost nothing here unless a bench
 * wants the whole log. `ready` resolves once `readyText` was printed; `onLine` sees each line.
 * wrangler dev rebuilds and restarts the worker's workerd when a source file changes under it
 * (someone editing the tree during the run): sockets drop and memory resets, so each reload is
 * recorded with the phase it hit and said at once.
 */
export function startChild(name, cmd, args, { env = {}, cwd = root, readyText, timeoutMs, keepChars = 200_000, onLine } = {}) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.add(child);
  let out = "";
  let partial = ""; // a line not yet ended, for onLine
  const reloads = [];
  const keep = (d) => {
    out = (out + d).slice(-keepChars);
    if (onLine) {
      const lines = (partial + d).split("\n");
      partial = lines.pop();
      for (const line of lines) onLine(line);
    }
    for (let i = String(d).split("Reloading local server").length - 1; i > 0; i--) {
      reloads.push({ phase: phase(), atSeconds: round(runSeconds(), 1) });
      console.log(`  !! wrangler dev reloaded the worker (a source file changed) during: ${phase()}`);
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not print "${readyText}" within ${timeoutMs / 1000} s:\n${out.slice(-4000)}`)), timeoutMs);
    child.stdout.on("data", () => {
      if (out.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${out.slice(-4000)}`));
    });
  });
  return { child, ready, output: () => out, reloads: () => [...reloads] };
}

/** SIGTERM to the child's group, up to `waitMs` for the child to go, then SIGKILL to the group
 *  (also when the child itself had already exited: its group may outlive it). */
export async function stopChild(child, waitMs = 3000) {
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* gone */
    }
    for (let i = 0; i < waitMs / 100 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
  }
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* gone */
  }
  groups.delete(child);
}
