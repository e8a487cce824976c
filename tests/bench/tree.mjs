// What the benches share to run Loupe: a free loopback port, and a snapshot of the working tree so
// edits made while a bench runs cannot make wrangler dev reload the worker under the measurement.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

/** A port nothing listens on (never 8787, where `npm start` may be running). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => (port === 8787 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}

/** The tree as it is now: what git would see (tracked and untracked, not ignored), in a temp dir. */
export function snapshotTree(root, name) {
  const git = (...a) => spawnSync("git", a, { cwd: root, encoding: "utf8" });
  const files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    .stdout.split("\0")
    .filter((f) => f && existsSync(path.join(root, f)));
  if (!files.length) throw new Error("git ls-files listed nothing; run without the snapshot");
  const dir = mkdtempSync(path.join(os.tmpdir(), `loupe-bench-${name}-tree-`));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(path.join(root, f), path.join(dir, f));
  }
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  const changed = git("status", "--porcelain").stdout.split("\n").filter(Boolean).length;
  return { dir, files: files.length, head: git("rev-parse", "--short", "HEAD").stdout.trim(), changedFiles: changed };
}

/** TCP ports a process listens on: its socket inodes matched against /proc/net/tcp (LISTEN = 0A). */
export function listeningPorts(pid) {
  const inodes = new Set();
  for (const f of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${f}`));
      if (m) inodes.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  const ports = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] === "0A" && inodes.has(cols[9])) ports.push(parseInt(cols[1].split(":")[1], 16));
  }
  return ports;
}

/** The port on which the workerd running Loupe takes requests itself (wrangler dev's proxy
 *  forwards to it): of its listening ports, not the inspector's, the first `answers(port)` accepts. */
export async function workerEntryPort(pid, answers) {
  const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  const inspector = Number(/--inspector-addr=[^:]+:(\d+)/.exec(cmd)?.[1]);
  for (const port of listeningPorts(pid).filter((p) => p !== inspector)) {
    const ok = await Promise.race([answers(port).catch(() => false), new Promise((r) => setTimeout(() => r(false), 3000))]);
    if (ok) return port;
  }
  throw new Error(`no port of workerd ${pid} answers (listening: ${listeningPorts(pid).join(", ")})`);
}
