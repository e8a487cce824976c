// The reference for the image benchmark, run in a child Node process (one per photo size) so its
// peak RSS is its own: sharp (native libvips) doing the WHOLE job from the full-size original —
// decode, 600 px thumbnail (JPEG q80) and 1600 px preview with a text watermark at 35% opacity
// (JPEG q82), the same sizes, qualities and watermark settings as worker/images/derive.ts.
// sharp.concurrency(1): one libvips thread per image, for a single-thread comparison.
import { readFile } from "node:fs/promises";
import sharp from "sharp";

sharp.concurrency(1);
sharp.cache(false); // repeated runs on the same photo must not reuse cached decodes

const THUMB_EDGE = 600;
const PREVIEW_EDGE = 1600;

const esc = (s) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The mark as photon draws it: text at 40% of the preview's width, white over a dark shadow. */
export function watermarkSvg(text, width, opacity, scale) {
  const w = Math.max(1, Math.round(width * scale));
  // Liberation Sans averages about 0.55 em per character (photon's Roboto about 0.45).
  const fontSize = Math.max(10, Math.min(w / (0.55 * Math.max(text.length, 1)), w / 2));
  const h = Math.ceil(fontSize * 1.5);
  const shadow = Math.max(1, Math.round(fontSize / 24));
  const t = esc(text);
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><g opacity="${opacity}" font-family="Liberation Sans, DejaVu Sans, sans-serif" font-size="${fontSize.toFixed(1)}">
<text x="${shadow}" y="${(fontSize + shadow).toFixed(1)}" fill="#000" fill-opacity="0.59">${t}</text>
<text x="0" y="${fontSize.toFixed(1)}" fill="#fff">${t}</text></g></svg>`);
}

export async function wholeJob(original, mark, keep = false) {
  // One decode (libvips uses JPEG shrink-on-load, as any native pipeline would).
  const { data, info } = await sharp(original)
    .rotate()
    .resize(PREVIEW_EDGE, PREVIEW_EDGE, { fit: "inside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const thumb = await sharp(data, raw).resize(THUMB_EDGE, THUMB_EDGE, { fit: "inside" }).jpeg({ quality: 80 }).toBuffer();
  const svg = watermarkSvg(mark.text, info.width, mark.opacity, mark.scale);
  const preview = await sharp(data, raw)
    .composite([{ input: svg, gravity: "center" }])
    .jpeg({ quality: 82 })
    .toBuffer();
  const out = { thumbBytes: thumb.length, previewBytes: preview.length, width: info.width, height: info.height };
  return keep ? { ...out, thumb, preview } : out;
}

if (process.send)
  process.on("message", async (msg) => {
    try {
      const { paths, runsPerPhoto, throughputJobs, mark } = msg;
      const originals = [];
      for (const p of paths) originals.push(await readFile(p));
      const warm = await wholeJob(originals[0], mark); // libvips start-up, not measured
      const rssBase = process.memoryUsage().rss;
      // libvips works on libuv threads, so the main thread is free to sample RSS meanwhile.
      let rssPeak = rssBase;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 2);

      // Sequential, one job at a time.
      const samples = [];
      for (let run = 0; run < runsPerPhoto; run++) {
        for (const original of originals) {
          const t0 = performance.now();
          await wholeJob(original, mark);
          samples.push(performance.now() - t0);
        }
      }
      clearInterval(sampler);

      // Throughput: two concurrent jobs (two libuv threads, each libvips pipeline single-threaded).
      let next = 0;
      const t0 = performance.now();
      const lane = async () => {
        while (next < throughputJobs) {
          const i = next++;
          await wholeJob(originals[i % originals.length], mark);
        }
      };
      await Promise.all([lane(), lane()]);
      const wallMs = performance.now() - t0;

      process.send({ ok: true, samples, warm, rssBase, rssPeak, throughput: { jobs: throughputJobs, wallMs } });
    } catch (e) {
      process.send({ ok: false, error: String(e?.stack ?? e) });
    }
  });
