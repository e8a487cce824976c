// The JS pixel operations the pipeline relies on: orientation remaps and area downscaling.
import { describe, expect, it } from "vitest";
import { downscale, orient, type Raster } from "../../worker/images/raster";

// A 3×2 image whose pixels are numbered 1..6 in the red channel, row by row.
const tiny: Raster = { width: 3, height: 2, px: Uint8Array.from([1, 2, 3, 4, 5, 6].flatMap((v) => [v, 0, 0, 255])) };
const reds = (r: Raster) => Array.from({ length: r.width * r.height }, (_, i) => r.px[i * 4]);

describe("orient", () => {
  // Displayed layouts for each EXIF orientation of the stored image [1 2 3 / 4 5 6].
  const expected: Record<number, [number, number, number[]]> = {
    1: [3, 2, [1, 2, 3, 4, 5, 6]],
    2: [3, 2, [3, 2, 1, 6, 5, 4]],
    3: [3, 2, [6, 5, 4, 3, 2, 1]],
    4: [3, 2, [4, 5, 6, 1, 2, 3]],
    5: [2, 3, [1, 4, 2, 5, 3, 6]],
    6: [2, 3, [4, 1, 5, 2, 6, 3]],
    7: [2, 3, [6, 3, 5, 2, 4, 1]],
    8: [2, 3, [3, 6, 2, 5, 1, 4]],
  };
  for (const [o, [w, h, order]] of Object.entries(expected)) {
    it(`orientation ${o}`, () => {
      const r = orient(tiny, Number(o));
      expect([r.width, r.height]).toEqual([w, h]);
      expect(reds(r)).toEqual(order);
    });
  }
});

describe("downscale", () => {
  it("keeps a flat colour exactly and averages areas", () => {
    const w = 2048;
    const h = 1366;
    const flat = new Uint8Array(w * h * 4);
    for (let i = 0; i < flat.length; i += 4) flat.set([255, 128, 3, 255], i);
    const out = downscale({ px: flat, width: w, height: h }, 1600, 1067);
    expect([out.width, out.height]).toEqual([1600, 1067]);
    for (const i of [0, 4 * 800 * 533, out.px.length - 4]) expect(Array.from(out.px.subarray(i, i + 4))).toEqual([255, 128, 3, 255]);
    // Alternating black and white columns halve to mid grey.
    const stripes = new Uint8Array(8 * 2 * 4);
    for (let x = 0; x < 8; x++) for (let y = 0; y < 2; y++) stripes.set(x % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * 8 + x) * 4);
    const grey = downscale({ px: stripes, width: 8, height: 2 }, 4, 1);
    expect(reds(grey)).toEqual([128, 128, 128, 128]);
  });
});
