// Pixel work done in plain JS on RGBA buffers, where photon is slow or inexact: photon's resize
// spends ~250 ms converting a 2048 px master even for nearest-neighbour, and its rotate()
// resamples (and shifted colours). Area averaging is the standard filter for downscaling.

export interface Raster {
  px: Uint8Array; // RGBA
  width: number;
  height: number;
}

const ONE = 4096; // weights in 12-bit fixed point; two passes give 24 bits

function taps(src: number, dst: number) {
  const ratio = src / dst;
  const max = Math.ceil(ratio) + 1;
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const weight = new Int32Array(dst * max);
  for (let o = 0; o < dst; o++) {
    const s0 = o * ratio;
    const s1 = s0 + ratio;
    const first = Math.floor(s0);
    const last = Math.min(src, Math.ceil(s1));
    start[o] = first;
    count[o] = last - first;
    let sum = 0;
    for (let k = 0; k < last - first; k++) {
      const i = first + k;
      const w = Math.round(((Math.min(i + 1, s1) - Math.max(i, s0)) / ratio) * ONE);
      weight[o * max + k] = w;
      sum += w;
    }
    weight[o * max]! += ONE - sum; // rounding never brightens or darkens
  }
  return { start, count, weight, max };
}

/**
 * Downscale by exact area coverage, in integers. Separable: each source row is resampled
 * horizontally once into a small ring of rows (one array per channel), which the vertical pass
 * then combines. Pixels are read as little-endian RGBA words (every Workers CPU is little-endian).
 */
export function downscale(src: Raster, width: number, height: number): Raster {
  if (width >= src.width && height >= src.height) return src;
  const { width: sw, height: sh } = src;
  const px = new Uint32Array(src.px.buffer, src.px.byteOffset, sw * sh);
  const xt = taps(sw, width);
  const yt = taps(sh, height);
  const { start: xs, count: xc, weight: xw, max: xm } = xt;
  const ringSize = yt.max + 1;
  const R = new Int32Array(ringSize * width);
  const G = new Int32Array(ringSize * width);
  const B = new Int32Array(ringSize * width);
  const ringRow = new Int32Array(ringSize).fill(-1);
  const horizontal = (sy: number): number => {
    const slot = sy % ringSize;
    const o0 = slot * width;
    if (ringRow[slot] === sy) return o0;
    ringRow[slot] = sy;
    const base = sy * sw;
    for (let x = 0, o = o0; x < width; x++, o++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let p = base + xs[x]!;
      const wb = x * xm;
      for (let j = 0, n = xc[x]!; j < n; j++, p++) {
        const w = xw[wb + j]!;
        const v = px[p]!;
        r += (v & 255) * w;
        g += ((v >>> 8) & 255) * w;
        b += ((v >>> 16) & 255) * w;
      }
      R[o] = r;
      G[o] = g;
      B[o] = b;
    }
    return o0;
  };
  const out = new Uint8Array(width * height * 4);
  const out32 = new Uint32Array(out.buffer);
  const rows = new Int32Array(yt.max);
  const weights = new Int32Array(yt.max);
  const half = (ONE * ONE) / 2;
  for (let y = 0; y < height; y++) {
    const n = yt.count[y]!;
    for (let k = 0; k < n; k++) {
      rows[k] = horizontal(yt.start[y]! + k);
      weights[k] = yt.weight[y * yt.max + k]!;
    }
    for (let x = 0, o = y * width; x < width; x++, o++) {
      let r = half;
      let g = half;
      let b = half;
      for (let k = 0; k < n; k++) {
        const q = rows[k]! + x;
        const w = weights[k]!;
        r += R[q]! * w;
        g += G[q]! * w;
        b += B[q]! * w;
      }
      // Each sum is below 2^32 (255 · 4096² plus the rounding half), so >>> 24 is exact.
      out32[o] = ((255 << 24) | ((b >>> 24) << 16) | ((g >>> 24) << 8) | (r >>> 24)) >>> 0;
    }
  }
  return { px: out, width, height };
}

/** EXIF orientation 1–8 applied by an exact remap of pixels. */
export function orient(src: Raster, orientation: number): Raster {
  if (orientation <= 1 || orientation > 8) return src;
  const { width: w, height: h } = src;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const from = new Uint32Array(src.px.buffer, src.px.byteOffset, w * h);
  const out = new Uint8Array(w * h * 4);
  const to = new Uint32Array(out.buffer);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // (sx, sy): where the displayed pixel (x, y) sits in the stored image.
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          sy = y;
          break;
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case 4:
          sx = x;
          sy = h - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        default:
          sx = w - 1 - y;
          sy = x;
          break; // 8
      }
      to[y * ow + x] = from[sy * w + sx]!;
    }
  }
  return { px: out, width: ow, height: oh };
}

/** The size that fits w×h within `edge` on its long side, never larger than it was. */
export function fitWithin(w: number, h: number, edge: number): [number, number] {
  const s = Math.min(1, edge / Math.max(w, h));
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
}
