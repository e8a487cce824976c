#!/usr/bin/env node
// Writes the small image fixtures under tests/fixtures (committed; each a few KB). Camera-like
// JPEGs carry EXIF as a camera writes it, so the pipeline's parser meets the real format.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../tests/fixtures");
mkdirSync(out, { recursive: true });

function noisy(width, height, paint) {
  const px = Buffer.alloc(width * height * 3);
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x / width, y / height);
      const n = (rand() - 0.5) * 24;
      const i = (y * width + x) * 3;
      px[i] = Math.max(0, Math.min(255, r + n));
      px[i + 1] = Math.max(0, Math.min(255, g + n));
      px[i + 2] = Math.max(0, Math.min(255, b + n));
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

const sky = (u, v) => [90 + 120 * v, 140 + 60 * v, 210 - 40 * u];
const exif = {
  IFD0: { Make: "Canon", Model: "Canon EOS R5", Software: "Loupe fixtures" },
  IFD2: {
    LensModel: "RF24-70mm F2.8 L IS USM",
    FocalLength: "50/1",
    FNumber: "28/10",
    ExposureTime: "1/250",
    ISOSpeedRatings: "400",
    DateTimeOriginal: "2026:06:13 15:42:07",
    OffsetTimeOriginal: "+02:00",
  },
};

writeFileSync(path.join(out, "camera.jpg"), await noisy(640, 427, sky).jpeg({ quality: 80 }).withExif(exif).toBuffer());

// Stored landscape, shown portrait: orientation 6 means "rotate 90° clockwise to display".
// Left third red, the rest blue; displayed, the top third is red.
writeFileSync(
  path.join(out, "portrait-orient6.jpg"),
  await noisy(300, 200, (u) => (u < 1 / 3 ? [220, 30, 30] : [30, 60, 220]))
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: "FUJIFILM", Model: "X-T5" } })
    .withMetadata({ orientation: 6 })
    .toBuffer(),
);

writeFileSync(path.join(out, "small.png"), await noisy(64, 48, sky).png().toBuffer());

const logoSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80">
  <rect x="4" y="4" width="232" height="72" rx="12" fill="none" stroke="white" stroke-width="6"/>
  <circle cx="44" cy="40" r="20" fill="white"/></svg>`;
writeFileSync(path.join(out, "logo.png"), await sharp(Buffer.from(logoSvg)).png().toBuffer());

console.log(`fixtures written to ${out}`);

// A WebP whose extended header (VP8X) declares 100×100 around an 8000×8000 lossless frame: the
// shape of a decompression bomb. Header-only size checks see a thumbnail; a decoder allocates 256 MB.
{
  const big = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: "#336699" } })
    .webp({ lossless: true })
    .withExif({ IFD0: { Software: "Loupe fixtures" } })
    .toBuffer();
  const at = big.indexOf("VP8X");
  if (at < 0) throw new Error("expected an extended WebP (VP8X)");
  // Canvas width-1 and height-1 are 24-bit little-endian at chunk data offset 4 and 7.
  big.writeUIntLE(99, at + 8 + 4, 3);
  big.writeUIntLE(99, at + 8 + 7, 3);
  writeFileSync(path.join(out, "bomb.webp"), big);
}
