// What the benches share to run Loupe: a free loopback port, and a snapshot of the working tree so
// edits made while a bench runs cannot make wrangler dev reload the worker under the measurement.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
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
  const files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout.split("\0").filter((f) => f && existsSync(path.join(root, f)));
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
