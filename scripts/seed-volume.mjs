#!/usr/bin/env node
// `npm run seed:volume`: fills the Loupe that `npm start` runs (LOUPE_PORT, default 8787) with a
// busy studio — 1,000 galleries, a 5,000-photo wedding with real derivatives, 10,000 orders, 2,000
// contact messages, their mail, and 300 visitors' picks and comments in the wedding's room —
// through Loupe's own API and room (scripts/volume/seed.mjs; sizes there). Sign in as the printed
// login. Once per state dir: start with a fresh LOUPE_STATE_DIR to seed again.
import { readFileSync } from "node:fs";
import { Agent } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { httpClient } from "../tests/bench/harness/http.mjs";
import { BUSY, SIZES, seedVolume } from "./volume/seed.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.LOUPE_PORT ?? 8787);
const secret = /^JWT_SECRET=(.+)$/m.exec(readFileSync(path.join(root, ".dev.vars"), "utf8"))?.[1].trim();
if (!secret) throw new Error("no JWT_SECRET in .dev.vars: run `npm start` first");
const call = httpClient({ agent: new Agent({ keepAlive: true, maxSockets: 16 }) });
console.log(`[seed] seeding the busy studio on http://app.localhost:${port} (${JSON.stringify(SIZES)})`);
const t0 = Date.now();
const out = await seedVolume({ port, call, secret, log: (line) => console.log(`[seed]${line}`) });
console.log(`[seed] done in ${Math.round((Date.now() - t0) / 1000)} s.`);
console.log(`[seed] Dashboard: http://app.localhost:${port}  login: ${BUSY.email} / ${BUSY.password}`);
console.log(`[seed] The wedding: http://${out.studioHost}/g/${out.wedding}`);
process.exit(0);
