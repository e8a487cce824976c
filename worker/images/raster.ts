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
 * horizontally once into a small ring of rows, which the vertical pass then combines.
 */
export function downscale(src: Raster, width: number, height: number): Raster {
  if (width >= src.width && height >= src.height) return src;
  const { px, width: sw, height: sh } = src;
  const xt = taps(sw, width);
  const yt = taps(sh, height);
  const ringSize = yt.max + 1;
  const ring = new Int32Array(ringSize * width * 3);
  const ringRow = new Int32Array(ringSize).fill(-1);
  const horizontal = (sy: number): number => {
    const slot = sy % ringSize;
    if (ringRow[slot] === sy) return slot * width * 3;
    ringRow[slot] = sy;
    const base = sy * sw * 4;
    let o = slot * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      let r = 0;
      let g = 0;
      let b = 0;
      let p = base + xt.start[x]! * 4;
      const wb = x * xt.max;
      for (let j = 0, n = xt.count[x]!; j < n; j++, p += 4) {
        const w = xt.weight[wb + j]!;
        r += px[p]! * w;
        g += px[p + 1]! * w;
        b += px[p + 2]! * w;
      }
      ring[o] = r;
      ring[o + 1] = g;
      ring[o + 2] = b;
    }
    return slot * width * 3;
  };
  const out = new Uint8Array(width * height * 4);
  const rows = new Int32Array(yt.max);
  const half = (ONE * ONE) / 2;
  for (let y = 0; y < height; y++) {
    const n = yt.count[y]!;
    const wb = y * yt.max;
    for (let k = 0; k < n; k++) rows[k] = horizontal(yt.start[y]! + k);
    let o = y * width * 4;
    for (let x = 0; x < width * 3; x += 3, o += 4) {
      let r = half;
      let g = half;
      let b = half;
      for (let k = 0; k < n; k++) {
        const w = yt.weight[wb + k]!;
        const q = rows[k]! + x;
        r += ring[q]! * w;
        g += ring[q + 1]! * w;
        b += ring[q + 2]! * w;
      }
      out[o] = r >>> 24; // r < 2^32: 255 · 4096² plus the rounding half
      out[o + 1] = g >>> 24;
      out[o + 2] = b >>> 24;
      out[o + 3] = 255;
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
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        default: sx = w - 1 - y; sy = x; break; // 8
      }
      to[y * ow + x] = from[sy * w + sx]!;
    }
  }
  return { px: out, width: ow, height: oh };
}

export function fit(w: number, h: number, edge: number): [number, number] {
  const s = Math.min(1, edge / Math.max(w, h));
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
}
