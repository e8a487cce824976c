// What "similar shots" need to know of a photo, from the rasters the pipeline already holds: a
// perceptual hash (frames of one burst hash alike through small shifts, noise and exposure
// steps) and a sharpness score (the soft frame of a burst scores well below its siblings, a
// blurred frame alone below a floor). They read the 600 px thumbnail and the 1600 px preview
// rasters renderDerivatives has already made, never a second decode: the thumbnail costs a few
// milliseconds, the preview's pass (1.7 Mpx) about 15 more, some 3% of the WASM step.
import { downscale, type Raster } from "./raster";

export interface Fingerprint {
  /** 64-bit DCT hash, 16 hex digits. */
  phash: string;
  /** 0–1: how fine the detail is where the frame is sharpest; exposure and the amount of detail cancel out. */
  sharpness: number;
}

const HASH_GRID = 32; // pHash: DCT of a 32×32 grayscale, the 8×8 lowest frequencies kept
const HASH_BITS = 8;
// Sharpness: a 12×12 grid; the 15% of tiles with the most contrast are where the focus is (a
// portrait's subject fills about that much of a frame with its background melted), the quietest
// 10% tell the noise. Chosen with bench:stacks' tuning photos (held apart from its reported run).
const SHARPNESS_GRID = 12;
const TOP_SHARE = 0.15;
const QUIET_SHARE = 0.1;
// Sharpest edges on the preview: square tiles, 24 along the long side (67 px at 1600), so one
// holds a stretch of an outline; the 5% with the most fine detail are the frame's sharpest edges.
// Scaled by EDGE_WEIGHT they cap the thumbnail's score: on the tuning photos every sharp frame's
// edges scored at least 0.75 of its thumbnail score (all but 6 of 314 at least 1/1.15); frames of
// crisp shapes with a blur the thumbnail barely saw (Gaussian σ 2–3 px, shake of 9–15 px on the
// master) 0.3–0.7 but for one, so the cap is what sinks them below the floor when alone.
const EDGE_GRID = 24;
const EDGE_SHARE = 0.05;
const EDGE_WEIGHT = 1.15;

/** Luma (Rec. 601) of each RGBA pixel, ×256: exact in 16 bits, half the memory of floats (both measures are ratios, blind to the scale). */
function gray(r: Raster): Uint16Array {
  const n = r.width * r.height;
  const px = new Uint32Array(r.px.buffer, r.px.byteOffset, n);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const v = px[i]!;
    out[i] = (v & 255) * 77 + ((v >>> 8) & 255) * 150 + ((v >>> 16) & 255) * 29;
  }
  return out;
}

// cos((2x + 1)uπ / 2N) for the frequencies kept: a separable DCT of the 32×32 grid.
const COS = (() => {
  const t = new Float64Array(HASH_BITS * HASH_GRID);
  for (let u = 0; u < HASH_BITS; u++) for (let x = 0; x < HASH_GRID; x++) t[u * HASH_GRID + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * HASH_GRID));
  return t;
})();

/**
 * pHash (Zauner 2010, as imagehash computes it): the picture squeezed to 32×32 grayscale, its
 * 8×8 lowest DCT frequencies, each bit set when a coefficient is above their median. The low
 * frequencies are the composition; a threshold at the median ignores brightness and contrast.
 */
export function perceptualHash(r: Raster): string {
  const g = gray(downscale(r, HASH_GRID, HASH_GRID));
  const N = HASH_GRID;
  const rows = new Float64Array(N * HASH_BITS); // rows[y][u]: each row's DCT along x
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < HASH_BITS; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += g[y * N + x]! * COS[u * N + x]!;
      rows[y * HASH_BITS + u] = s;
    }
  }
  const coef = new Float64Array(HASH_BITS * HASH_BITS);
  for (let v = 0; v < HASH_BITS; v++) {
    for (let u = 0; u < HASH_BITS; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * HASH_BITS + u]! * COS[v * N + y]!;
      coef[v * HASH_BITS + u] = s;
    }
  }
  const median = [...coef].sort((a, b) => a - b)[coef.length / 2]!;
  let hex = "";
  for (let i = 0; i < coef.length; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (coef[i + b]! > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

type Tile = [lap: number, contrast: number, pixels: number];

/**
 * The grayscale cut into cols×rows tiles, each with its Laplacian energy and its local contrast
 * (the squared differences of each pixel with its four neighbours), read on every `step`th row.
 */
function tiles(g: Uint16Array, w: number, h: number, cols: number, rows: number, step = 1): Tile[] {
  const out: Tile[] = [];
  for (let ty = 0; ty < rows; ty++) {
    // The one-pixel border has no Laplacian.
    const [y0, y1] = [1 + Math.floor((ty * (h - 2)) / rows), 1 + Math.floor(((ty + 1) * (h - 2)) / rows)];
    for (let tx = 0; tx < cols; tx++) {
      const [x0, x1] = [1 + Math.floor((tx * (w - 2)) / cols), 1 + Math.floor(((tx + 1) * (w - 2)) / cols)];
      let lap = 0;
      let contrast = 0;
      let n = 0;
      for (let y = y0; y < y1; y += step) {
        for (let i = y * w + x0, end = y * w + x1; i < end; i++) {
          const c = g[i]!;
          const a = c - g[i - 1]!;
          const b = c - g[i + 1]!;
          const u = c - g[i - w]!;
          const d = c - g[i + w]!;
          const l = a + b + u + d;
          lap += l * l;
          contrast += a * a + b * b + u * u + d * d;
        }
        n += x1 - x0;
      }
      out.push([lap, contrast, n]);
    }
  }
  return out;
}

/**
 * Sensor noise is the finest detail there is: left in, a blurred frame of a noisy camera would
 * score as sharp as noise. Its level (a pixel's variance) is read in the quietest tiles, where
 * any picture is smoothest; white noise of variance v adds 20v of Laplacian and 8v of contrast
 * a pixel, which the measures below take out.
 */
function noiseLevel(ts: readonly Tile[]): number {
  const quiet = [...ts].sort((p, q) => p[0] / p[2] - q[0] / q[2]).slice(0, Math.max(1, Math.round(ts.length * QUIET_SHARE)));
  return quiet.reduce((n, t) => n + t[0], 0) / quiet.reduce((n, t) => n + t[2], 0) / 20;
}

/** Laplacian energy over 4× the contrast of these tiles, noise taken out: 0 for smooth ramps, up to 1 for a checkerboard. */
function fineness(ts: readonly Tile[], noise: number): number {
  let lap = 0;
  let contrast = 0;
  for (const [l, c, n] of ts) {
    lap += l - 20 * noise * n;
    contrast += c - 8 * noise * n;
  }
  return contrast > 0 && lap > 0 ? lap / (4 * contrast) : 0;
}

/**
 * Sharpness on the thumbnail: how fine the detail is where the frame has the most of it, in the
 * tiles with the most contrast. A ratio of two measures of the same contrast, so exposure and
 * the amount of detail in the scene cancel out, and the top tiles only, so a melted background
 * does not make a sharp portrait soft; blur moves it (a blurred edge changes slowly: its second
 * differences shrink faster than its first). Every master (≤ 2048 px whatever the camera)
 * becomes a thumbnail through the same steps, and the thumbnail averages noise away, so frames
 * of one burst score alike whatever their noise or exposure: the measure a stack's frames are
 * compared by.
 */
export function sharpness(r: Raster): number {
  const { width: w, height: h } = r;
  if (w < 3 || h < 3) return 0;
  const T = Math.min(SHARPNESS_GRID, w - 2, h - 2);
  const ts = tiles(gray(r), w, h, T, T);
  const noise = noiseLevel(ts);
  ts.sort((p, q) => q[1] - p[1]);
  return fineness(ts.slice(0, Math.max(1, Math.round(ts.length * TOP_SHARE))), noise);
}

/**
 * The same measure on the preview, in the tiles with the most fine detail (Laplacian energy
 * above the noise's): the sharpest edges in the frame. A blur of 2 master pixels is under a
 * thumbnail pixel, so the thumbnail scores a slightly soft frame of crisp shapes no lower than a
 * sharp frame of smooth textures; at the preview's scale the soft frame's edges are all soft,
 * while a sharp frame keeps some sharp edge (a subject's outline) however smooth its textures.
 * Not the tiles with the most contrast, as on the thumbnail: at this scale those are often
 * smooth textures, whose fine detail is mostly noise, taken out.
 */
export function sharpestEdges(r: Raster): number {
  const { width: w, height: h } = r;
  if (w < 3 || h < 3) return 0;
  // Square tiles, so a portrait frame scores as its landscape self; every other row is enough.
  const [cols, rows] = [Math.max(1, Math.round((EDGE_GRID * w) / Math.max(w, h))), Math.max(1, Math.round((EDGE_GRID * h) / Math.max(w, h)))];
  const ts = tiles(gray(r), w, h, Math.min(cols, w - 2), Math.min(rows, h - 2), 2);
  const noise = noiseLevel(ts);
  ts.sort((p, q) => q[0] - 20 * noise * q[2] - (p[0] - 20 * noise * p[2]));
  return fineness(ts.slice(0, Math.max(1, Math.round(ts.length * EDGE_SHARE))), noise);
}

/**
 * The frame's sharpness: the thumbnail's measure, capped by the preview's sharpest edges. The
 * cap is above nearly every sharp frame's score, so a burst's sharp frames keep the thumbnail's
 * steady scores (the preview's vary more with noise); a blur too fine for the thumbnail brings
 * it down. Without a preview (a photo no bigger than its thumbnail) the thumbnail's alone.
 */
export function fingerprint(thumb: Raster, preview: Raster = thumb): Fingerprint {
  const coarse = sharpness(thumb);
  return { phash: perceptualHash(thumb), sharpness: preview === thumb ? coarse : Math.min(coarse, EDGE_WEIGHT * sharpestEdges(preview)) };
}

/** Bits that differ between two hashes (0–64). */
export function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}
