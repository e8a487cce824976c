#!/usr/bin/env node
// `npm start`: Loupe on this machine with nothing but Node. Writes local secrets once, applies the
// migrations to every local D1 database, starts `wrangler dev` (D1, R2, Queues and Durable Objects
// in workerd, state under .wrangler/state), creates the demo studio on first start, prints the URLs.
//   LOUPE_PORT (default 8787) and LOUPE_STATE_DIR (default .wrangler/state) move it elsewhere.
//   LOUPE_VARS="NAME:value NAME2:value" passes more bindings to wrangler dev (--var), e.g. Stripe
//   test keys: wrangler dev loads only the required secrets from .dev.vars.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSampleGallery } from "./demo-gallery.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.LOUPE_PORT ?? 8787);
const stateDir = path.resolve(root, process.env.LOUPE_STATE_DIR ?? ".wrangler/state");
const rootDomain = `localhost:${port}`;
const wrangler = path.join(root, "node_modules", ".bin", "wrangler");

export const DEMO = {
  slug: "demo",
  studioName: "Demo Studio",
  name: "Dana Demo",
  email: "demo@loupe.localhost",
  password: "demo-password-2026",
};

function log(msg) {
  console.log(`[loupe] ${msg}`);
}

function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  if (existsSync(file)) return;
  const secret = () => randomBytes(32).toString("base64url");
  writeFileSync(file, `JWT_SECRET=${secret()}\nPASSWORD_PEPPER=${secret()}\n`, { mode: 0o600 });
  log("wrote .dev.vars with fresh local secrets");
}

function d1Bindings() {
  const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
  return [...toml.matchAll(/^binding\s*=\s*"(DIRECTORY|TENANT_DB_\d+)"/gm)].map((m) => m[1]);
}

function migrate() {
  for (const binding of d1Bindings()) {
    const r = spawnSync(wrangler, ["d1", "migrations", "apply", binding, "--local", "--persist-to", stateDir], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    });
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      throw new Error(`migrations for ${binding} failed`);
    }
    log(`migrations applied to ${binding}`);
  }
}

function call(method, host, pathname, body, cookie, contentType) {
  return new Promise((resolve, reject) => {
    const binary = body instanceof Uint8Array;
    const data = body === undefined ? undefined : binary ? body : JSON.stringify(body);
    const type = contentType ?? (binary ? "application/octet-stream" : "application/json");
    const req = request(
      // A fresh connection each time: a kept-alive one may have been closed by the server while
      // this script was blocked (spawnSync), and reusing it fails with "socket hang up".
      {
        host: "127.0.0.1",
        port,
        method,
        path: pathname,
        agent: false,
        headers: { host, ...(data ? { "content-type": type } : {}), ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode, text, cookies: res.headers["set-cookie"] ?? [] }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

async function waitUntilUp(child) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("wrangler dev exited before it was ready");
    try {
      const r = await call("GET", `app.${rootDomain}`, "/readyz");
      if (r.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("wrangler dev did not become ready within 120 s");
}

/**
 * The demo owner's address receives no mail, and locally no mail is sent: the confirmation link
 * Loupe wrote to its outbox is read from the local directory and opened, as the owner would.
 */
async function confirmDemoEmail(app) {
  const sql = `SELECT text FROM account_mail WHERE kind = 'verify_email' AND "to" = '${DEMO.email}' ORDER BY created_at DESC LIMIT 1`;
  const r = spawnSync(wrangler, ["d1", "execute", "DIRECTORY", "--local", "--persist-to", stateDir, "--json", "--command", sql], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  const text = r.status === 0 ? JSON.parse(r.stdout)[0]?.results?.[0]?.text : undefined;
  const token = text?.match(/token=([\w-]+)/)?.[1];
  if (!token) throw new Error(`the demo's confirmation link was not found: ${r.stderr || r.stdout}`);
  const confirmed = await call("POST", app, "/api/auth/email/confirm", { token });
  if (confirmed.status !== 200) throw new Error(`confirming the demo address failed: ${confirmed.status} ${confirmed.text}`);
  log("confirmed the demo owner's address");
}

async function seedDemo() {
  const app = `app.${rootDomain}`;
  const signup = await call("POST", app, "/api/auth/signup", DEMO);
  if (signup.status === 409) {
    log("demo studio already exists");
    return existingSampleGallery(app);
  }
  if (signup.status !== 201) throw new Error(`demo sign-up failed: ${signup.status} ${signup.text}`);
  await confirmDemoEmail(app);
  const cookie = signup.cookies.map((c) => c.split(";")[0]).join("; ");
  const studioId = JSON.parse(signup.text).studio.id;
  const profile = {
    tagline: "Weddings, portraits and the light in between",
    about: "This is the demo studio that npm start creates. Sign in to the dashboard with the demo login to look around.",
  };
  const patch = await call("PATCH", app, `/api/studios/${studioId}`, profile, cookie);
  if (patch.status !== 200) throw new Error(`demo profile failed: ${patch.status} ${patch.text}`);
  log("created the demo studio; generating the sample gallery's photos…");
  const api = async (method, pathname, body, type) => {
    const r = await call(method, app, pathname, body, cookie, type);
    return { status: r.status, json: r.text ? JSON.parse(r.text) : null };
  };
  const gallery = await createSampleGallery(api, studioId);
  log("sample gallery uploaded; the queue is making its previews");
  return gallery.id;
}

async function existingSampleGallery(app) {
  const login = await call("POST", app, "/api/auth/login", { email: DEMO.email, password: DEMO.password });
  if (login.status !== 200) return null;
  const cookie = login.cookies.map((c) => c.split(";")[0]).join("; ");
  const studioId = JSON.parse(login.text).studios[0]?.tenant.id;
  const list = await call("GET", app, `/api/studios/${studioId}/galleries`, undefined, cookie);
  return JSON.parse(list.text).galleries.at(-1)?.id ?? null;
}

// The browser apps are static assets wrangler serves; building them takes a second or two.
function buildWeb() {
  const r = spawnSync(path.join(root, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error("building the browser apps failed");
  }
  log("built the browser apps into web/public/assets/app");
}

function extraVars() {
  return (process.env.LOUPE_VARS ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((v) => ["--var", v]);
}

async function main() {
  ensureDevVars();
  migrate();
  buildWeb();
  const child = spawn(
    wrangler,
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      stateDir,
      "--var",
      `ROOT_DOMAIN:${rootDomain}`,
      ...extraVars(),
      "--show-interactive-dev-session=false",
    ],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
  );
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code) => process.exit(code ?? 0));
  await waitUntilUp(child);
  const galleryId = await seedDemo();
  console.log(`
  Loupe is running.
    Dashboard:      http://app.${rootDomain}
    Demo studio:    http://${DEMO.slug}.${rootDomain}
    Sample gallery: ${galleryId ? `http://${DEMO.slug}.${rootDomain}/g/${galleryId}` : "(not found)"}
    Demo login:     ${DEMO.email} / ${DEMO.password}
`);
}

main().catch((err) => {
  console.error(`[loupe] ${err.message}`);
  process.exit(1);
});
