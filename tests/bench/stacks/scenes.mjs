// bench:stacks' photos: masters (2048×1365 JPEG q90, what the pipeline decodes) of a made-up
// wedding. A scene is a background from tests/bench/photos.mjs with a "subject" (another such
// texture inside an ellipse) in front of it. A burst is one scene shot again and again: the
// camera drifts a little, the subject moves a little more, every frame has fresh sensor noise,
// and some bursts are bracketed (exposure steps). Soft frames are blurred on purpose (missed
// focus: Gaussian; camera shake: a line kernel). Deterministic for a given seed.
import sharp from "sharp";
import { makePhoto, rng as xorshift } from "../photos.mjs";

export const W = 2048;
export const H = 1365;
const M = 160; // margin around the frame the camera can drift or pan into
const SUBJECT = { w: 620, h: 860 };

// Small seeds (frame numbers) spread over the whole state first, then photos.mjs's stream.
const rng = (seed) => xorshift(Math.imul(seed, 2654435761));

const raw = (width, height, channels) => ({ raw: { width, height, channels } });

/** A studio-like picture with no texture at all: a gradient backdrop and a few flat shapes. */
function cleanSvg(width, height, r) {
  const c = () => `rgb(${Math.floor(40 + r() * 180)},${Math.floor(40 + r() * 180)},${Math.floor(40 + r() * 180)})`;
  let shapes = "";
  for (let i = 0; i < 6; i++) {
    shapes += `<rect x="${r() * width}" y="${r() * height}" width="${(0.1 + r() * 0.3) * width}" height="${(0.1 + r() * 0.3) * height}" rx="${r() * 40}" fill="${c()}"/>`;
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><radialGradient id="g"><stop offset="0" stop-color="${c()}"/><stop offset="1" stop-color="${c()}"/></radialGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`);
}

/**
 * A scene: background pixels (the frame plus margins) and the subject as an RGBA PNG. `bokeh`:
 * the background is melted as by a wide aperture; `clean`: no texture anywhere (a studio
 * backdrop and smooth shapes), the hardest case for an absolute sharpness floor.
 */
export async function makeScene(seed, { bokeh = false, clean = false } = {}) {
  const bw = W + 2 * M;
  const bh = H + 2 * M;
  const r = rng(seed);
  let bg = await sharp(clean ? cleanSvg(bw, bh, r) : await makePhoto(bw, bh, seed))
    .removeAlpha()
    .raw()
    .toBuffer();
  // Shallow depth of field: the background melts, the subject stays sharp.
  if (bokeh)
    bg = await sharp(bg, raw(bw, bh, 3))
      .blur(9)
      .raw()
      .toBuffer();
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SUBJECT.w}" height="${SUBJECT.h}"><ellipse cx="${SUBJECT.w / 2}" cy="${SUBJECT.h / 2}" rx="${SUBJECT.w / 2 - 4}" ry="${SUBJECT.h / 2 - 4}" fill="#fff"/></svg>`,
  );
  const subject = await sharp(clean ? cleanSvg(SUBJECT.w, SUBJECT.h, r) : await makePhoto(SUBJECT.w, SUBJECT.h, seed + 5000))
    .ensureAlpha()
    .composite([{ input: mask, blend: "dest-in" }])
    .png()
    .toBuffer();
  return { seed, bg, bw, bh, subject };
}

/** A line kernel `len` px long at `angle` degrees: the blur of a camera moving during the exposure. */
function lineKernel(len, angle) {
  const n = len % 2 ? len : len + 1;
  const k = new Array(n * n).fill(0);
  const c = (n - 1) / 2;
  const [dx, dy] = [Math.cos((angle * Math.PI) / 180), Math.sin((angle * Math.PI) / 180)];
  for (let t = -c; t <= c; t += 0.25) k[Math.round(c + t * dy) * n + Math.round(c + t * dx)] += 1;
  const sum = k.reduce((a, b) => a + b, 0);
  return { width: n, height: n, kernel: k.map((v) => v / sum) };
}

/**
 * One frame of `scene` as a master JPEG. `shot`: camera offset (dx, dy) and zoom (1: as framed; a
 * larger zoom crops into the scene, another shot of the same place), subject offset (sx, sy),
 * exposure in EV, blur ({ sigma } or { len, angle }) and the noise seed.
 */
export async function makeFrame(scene, shot) {
  const { dx = 0, dy = 0, zoom = 1, sx = 0, sy = 0, ev = 0, blur = null, noise = 1, iso = 12 } = shot;
  const cw = Math.round(W / zoom);
  const ch = Math.round(H / zoom);
  const left = Math.max(0, Math.min(scene.bw - cw, Math.round((scene.bw - cw) / 2 + dx)));
  const top = Math.max(0, Math.min(scene.bh - ch, Math.round((scene.bh - ch) / 2 + dy)));
  let px = await sharp(scene.bg, raw(scene.bw, scene.bh, 3))
    .extract({ left, top, width: cw, height: ch })
    .resize(W, H, { kernel: "lanczos3" })
    .composite([{ input: scene.subject, left: Math.round(W / 2 - SUBJECT.w / 2 + sx), top: Math.round(H / 2 - SUBJECT.h / 2 + 60 + sy) }])
    .removeAlpha()
    .raw()
    .toBuffer();
  if (blur?.sigma)
    px = await sharp(px, raw(W, H, 3))
      .blur(blur.sigma)
      .raw()
      .toBuffer();
  if (blur?.len)
    px = await sharp(px, raw(W, H, 3))
      .convolve(lineKernel(blur.len, blur.angle))
      .raw()
      .toBuffer();
  // Exposure: a factor on linear light is about its 1/2.2 power on sRGB values; then fresh
  // sensor noise (±iso luminance), as every frame of a burst has its own.
  const gain = 2 ** (ev / 2.2);
  const r = rng(noise);
  const out = Buffer.alloc(px.length);
  for (let i = 0; i < px.length; i += 3) {
    const n = (r() + r() - 1) * iso;
    for (let c = 0; c < 3; c++) out[i + c] = Math.max(0, Math.min(255, Math.round(px[i + c] * gain + n)));
  }
  return sharp(out, raw(W, H, 3))
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Blurs the bench uses for soft frames, in master pixels (×3 at 24 MP full size): missed focus
 * from slight to plain, and camera shake. */
export const BLURS = [{ sigma: 2 }, { sigma: 3 }, { sigma: 5 }, { sigma: 8 }, { len: 9, angle: 20 }, { len: 15, angle: 75 }];

/**
 * The shoot: bursts, singles, near misses, and what a correct answer is. Each frame: scene index,
 * shot, capture time (whole seconds, as EXIF has them), the burst it belongs to (null: alone) and
 * whether it was blurred on purpose.
 */
export function plan(seed = 1) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const scenes = []; // { seed, bokeh, clean }
  const frames = [];
  let t = Date.UTC(2026, 5, 14, 14, 0, 0);
  let noise = seed * 10_000;
  const scene = (kind = "texture") => scenes.push({ seed: 100 + scenes.length * 17 + seed * 1000, bokeh: kind === "bokeh", clean: kind === "clean" }) - 1;
  const add = (s, shot, burst, blurred, at) =>
    frames.push({ scene: s, shot: { noise: noise++, iso: scenes[s].clean ? 4 : 12, ...shot }, takenAt: at, burst, blurred });
  for (let b = 0; b < 15; b++) {
    const s = scene(["texture", "texture", "bokeh", "texture", "clean"][b % 5]);
    const burst = `b${b}`;
    const n = 3 + Math.floor(r() * 6); // 3–8 frames
    const interval = pick([200, 250, 500, 1000, 1500]); // 5 fps … a press every 1.5 s
    const bracket = b % 4 === 1; // −1, 0, +1 EV in turn
    const soft = b % 3 === 0 ? 1 + Math.floor(r() * 2) : 0;
    const softAt = new Set(Array.from({ length: soft }, () => 1 + Math.floor(r() * (n - 1))));
    const iso = b % 7 === 5 ? 24 : undefined; // a dark reception: twice the sensor noise
    let drift = [0, 0];
    for (let i = 0; i < n; i++) {
      drift = [drift[0] + (r() - 0.5) * 24, drift[1] + (r() - 0.5) * 16]; // the camera wanders (≤ ~2% of the width)
      const shot = {
        dx: drift[0],
        dy: drift[1],
        sx: (r() - 0.5) * 80,
        sy: (r() - 0.5) * 50,
        ev: bracket ? [-1, 0, 1][i % 3] : (r() - 0.5) * 0.3,
        ...(iso && { iso }),
      };
      const blurred = softAt.has(i);
      add(s, blurred ? { ...shot, blur: pick(BLURS) } : shot, burst, blurred, t + Math.floor((i * interval) / 1000) * 1000);
    }
    t += Math.floor((n * interval) / 1000) * 1000;
    // A near miss: within seconds, the same place framed differently (a pan of a third of the
    // frame, or a zoom in), then another subject: neither is the same shot.
    if (b % 2 === 0) {
      t += 1000 + Math.floor(r() * 2) * 1000;
      if (b % 4 === 0) add(s, { dx: pick([-1, 1]) * 0.33 * W, dy: 0, sx: pick([-1, 1]) * 500 }, null, false, t);
      else add(s, { zoom: 1.8, sx: 0, sy: -200 }, null, false, t);
      t += 1000 + Math.floor(r() * 2) * 1000;
      add(scene(), {}, null, false, t);
    }
    // The same scene again half a minute later: alike, but not taken within a few seconds.
    if (b % 5 === 2) {
      t += 30_000;
      add(s, { dx: 4, dy: -3 }, null, false, t);
    }
    t += 5000 + Math.floor(r() * 25) * 1000;
  }
  // Singles: sharp ones of every kind, and soft ones with no sibling to compare with.
  const kinds = ["texture", "bokeh", "clean", "texture", "bokeh", "clean"];
  for (let i = 0; i < 18; i++) {
    const blurred = i % 3 === 2;
    add(scene(kinds[i % 6]), blurred ? { blur: pick(BLURS) } : {}, null, blurred, t);
    t += 4000 + Math.floor(r() * 20) * 1000;
  }
  return { scenes, frames };
}
