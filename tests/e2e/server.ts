// Starts Loupe the way the README says (`npm start`) on a free port with fresh state, and talks
// to it over loopback. Node's fetch cannot resolve *.localhost, so requests go to 127.0.0.1 with
// the Host header set; Chromium resolves *.localhost itself.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Running {
  port: number;
  stateDir: string;
  output: () => string;
  /** Kills wrangler dev at once (no graceful shutdown); keeps the state for a restart if asked. */
  stop: (keepState?: boolean, signal?: NodeJS.Signals) => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Starts Loupe; `again` restarts it on the port and state of an earlier run (kept by `stop(true)`). */
export async function startLoupe(
  readyText: string,
  timeoutMs = 200_000,
  again?: { port: number; stateDir: string },
  /** More bindings for wrangler dev (e.g. the local fakes of a mail provider and Cloudflare's API). */
  vars: Record<string, string> = {},
): Promise<Running> {
  const port = again?.port ?? (await freePort());
  const stateDir = again?.stateDir ?? mkdtempSync(path.join(tmpdir(), "loupe-e2e-"));
  let out = "";
  const child: ChildProcess = spawn("npm", ["start"], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      LOUPE_PORT: String(port),
      LOUPE_STATE_DIR: stateDir,
      ...(Object.keys(vars).length > 0 && {
        LOUPE_VARS: Object.entries(vars)
          .map(([k, v]) => `${k}:${v}`)
          .join(" "),
      }),
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const stop = async (keepState = false, signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, signal);
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
    }
    if (!keepState) rmSync(stateDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!out.includes(readyText)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not print "${readyText}" (exit ${child.exitCode}):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, stateDir, output: () => out, stop };
}

export interface HttpResult {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export function http(port: number, method: string, host: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: "127.0.0.1", port, method, path: pathname, headers: { host, ...(data ? { "content-type": "application/json" } : {}), ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}
