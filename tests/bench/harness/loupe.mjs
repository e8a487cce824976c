// Loupe as `npm start` runs it (scripts/start.mjs → wrangler dev → workerd) on a free port with a
// fresh state dir, signed in as the demo studio, and wrangler dev's process tree: a proxy workerd on
// the public port forwarding to the workerd that runs the worker and its Durable Objects.
import { descendants } from "../stats.mjs";
import { freePort, snapshotTree, workerEntryPort } from "../tree.mjs";
import { cookieHeader, cookiePairs, must } from "./http.mjs";
import { cmdline, procStat } from "./proc-stats.mjs";
import { removeAtExit, root, startChild, tempDir } from "./processes.mjs";

export const DEMO = { email: "demo@loupe.localhost", password: "demo-password-2026", slug: "demo" };

/**
 * Starts Loupe and signs in. `snapshot`: run from a copy of the working tree (tree.mjs), so edits
 * made while the bench runs cannot make wrangler dev reload the worker under the measurement.
 * `vars`: LOUPE_VARS (more bindings for wrangler dev). `keepChars` and `onLine` go to startChild.
 * `again`: an earlier start's result; Loupe starts over on its tree and state (every Durable Object
 * cold, its storage kept), as after a deploy.
 */
export async function startLoupe({ name, call, snapshot = false, vars, keepChars, onLine, again }) {
  const port = await freePort();
  const stateDir = again?.stateDir ?? tempDir(`loupe-bench-${name}-state-`);
  const tree = again ? { dir: again.cwd, ...again.tree } : snapshot ? snapshotTree(root, name) : { dir: root, head: null };
  if (snapshot && !again) {
    removeAtExit(tree.dir);
    console.log(`  snapshot of the working tree (${tree.files} files, HEAD ${tree.head} + ${tree.changedFiles} changed/new files) in ${tree.dir}`);
  }
  const env = { LOUPE_PORT: String(port), LOUPE_STATE_DIR: stateDir, ...(vars ? { LOUPE_VARS: vars } : {}) };
  const run = startChild("npm start (scripts/start.mjs)", process.execPath, ["scripts/start.mjs"], {
    env,
    readyText: "Loupe is running.",
    timeoutMs: 300_000,
    cwd: tree.dir,
    keepChars,
    onLine,
  });
  await run.ready;
  const appHost = `app.localhost:${port}`;
  const studioHost = `${DEMO.slug}.localhost:${port}`;
  const login = await must(call(port, "POST", appHost, "/api/auth/login", { body: { email: DEMO.email, password: DEMO.password } }), 200, "login");
  const sessionCookies = cookiePairs(login.cookies);
  const cookie = cookieHeader(login.cookies);
  const me = (await must(call(port, "GET", appHost, "/api/me", { cookie }), 200, "GET /api/me")).json;
  const studios = me.studios ?? login.json.studios;
  const studio = studios.find((s) => s.tenant.slug === DEMO.slug) ?? studios[0];
  return {
    port,
    stateDir,
    cwd: tree.dir,
    child: run.child,
    output: run.output,
    reloads: run.reloads,
    appHost,
    studioHost,
    cookie,
    sessionCookies,
    studioId: studio.tenant.id,
    tree: { snapshot, head: tree.head, files: tree.files ?? null, changedFiles: tree.changedFiles ?? null },
  };
}

/** wrangler dev's processes under `npm start`: its two workerds (the proxy listening on the public
 *  port, and the one running Loupe), wrangler's own node process, and the rest (the start script). */
export function devProcesses(startPid, port) {
  const all = descendants(startPid);
  const workerds = all.filter((p) => procStat(p)?.comm.startsWith("workerd"));
  const proxy = workerds.filter((p) => cmdline(p).includes(`entry=127.0.0.1:${port}`));
  const worker = workerds.filter((p) => !proxy.includes(p));
  const wrangler = all.filter((p) => !workerds.includes(p) && /wrangler/.test(cmdline(p)) && !/esbuild/.test(cmdline(p)));
  const rest = all.filter((p) => !workerds.includes(p) && !wrangler.includes(p));
  return { workerdLoupe: worker, workerdProxy: proxy, wrangler, startScript: [startPid, ...rest] };
}

/** The two workerds, one pid each, or an error listing what is there. */
export function devWorkerds(startPid, port) {
  const all = descendants(startPid).filter((p) => procStat(p)?.comm.startsWith("workerd"));
  const proxy = all.find((p) => cmdline(p).includes(`--socket-addr=entry=127.0.0.1:${port}`));
  const user = all.filter((p) => p !== proxy);
  if (!proxy || user.length !== 1)
    throw new Error(`expected 2 workerd processes under wrangler dev, found: ${all.map((p) => `${p} ${cmdline(p).slice(0, 120)}`).join("; ")}`);
  return { proxy, user: user[0] };
}

/** The port on which the workerd running Loupe takes requests itself (no proxy): the one answering /readyz. */
export const userEntryPort = (call, pid, host) => workerEntryPort(pid, async (port) => (await call(port, "GET", host, "/readyz"))?.status === 200);
