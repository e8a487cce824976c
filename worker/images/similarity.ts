// What "similar shots" need to know of a photo, from the raster the pipeline already holds: a
// perceptual hash (frames of one burst hash alike through small shifts, noise and exposure
// steps) and a sharpness score (the soft frame of a burst scores well below its siblings). Both
// read the 600 px thumbnail raster renderDerivatives has already made, never a second decode, so
// they cost a few milliseconds beside the WASM step (bench:images reports the share).
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

/**
 * Sharpness: how fine the detail is where the frame has the most of it. The grayscale is cut
 * into tiles; in those with the most local contrast (the squared differences of each pixel with
 * its four neighbours) the score is the energy of the Laplacian over 4× that contrast: 0 for
 * smooth ramps, up to 1 for a checkerboard. A ratio of two measures of the same contrast, so
 * exposure and the amount of detail in the scene cancel out, and the top tiles only, so a melted
 * background does not make a sharp portrait soft; blur moves it (a blurred edge changes slowly:
 * its second differences shrink faster than its first). Measured on the thumbnail, which every
 * master (≤ 2048 px whatever the camera) becomes through the same steps, so the camera's
 * resolution barely matters; photos smaller than the preview take fewer steps and score a little
 * differently, one reason soft is judged mainly against the other frames of a stack.
 */
export function sharpness(r: Raster): number {
  const { width: w, height: h } = r;
  if (w < 3 || h < 3) return 0;
  const g = gray(r);
  const T = Math.min(SHARPNESS_GRID, w - 2, h - 2);
  const tiles: [number, number, number][] = []; // per tile: Laplacian energy, contrast, pixels
  for (let ty = 0; ty < T; ty++) {
    // The one-pixel border has no Laplacian.
    const [y0, y1] = [1 + Math.floor((ty * (h - 2)) / T), 1 + Math.floor(((ty + 1) * (h - 2)) / T)];
    for (let tx = 0; tx < T; tx++) {
      const [x0, x1] = [1 + Math.floor((tx * (w - 2)) / T), 1 + Math.floor(((tx + 1) * (w - 2)) / T)];
      let lap = 0;
      let contrast = 0;
      for (let y = y0; y < y1; y++) {
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
      }
      tiles.push([lap, contrast, (y1 - y0) * (x1 - x0)]);
    }
  }
  // Sensor noise is the finest detail there is: left in, a blurred frame of a noisy camera would
  // score as sharp as noise. Its level is read in the quietest tiles, where any picture is
  // smoothest, and its expected share (white noise of variance v: Laplacian 20v, contrast 8v a
  // pixel) taken out of both sums.
  const quiet = [...tiles].sort((p, q) => p[0] / p[2] - q[0] / q[2]).slice(0, Math.max(1, Math.round(tiles.length * QUIET_SHARE)));
  const noise = quiet.reduce((n, t) => n + t[0], 0) / quiet.reduce((n, t) => n + t[2], 0) / 20;
  tiles.sort((p, q) => q[1] - p[1]);
  let lap = 0;
  let contrast = 0;
  for (const [l, c, n] of tiles.slice(0, Math.max(1, Math.round(tiles.length * TOP_SHARE)))) {
    lap += l - 20 * noise * n;
    contrast += c - 8 * noise * n;
  }
  return contrast > 0 && lap > 0 ? lap / (4 * contrast) : 0;
}

export function fingerprint(r: Raster): Fingerprint {
  return { phash: perceptualHash(r), sharpness: sharpness(r) };
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
