// Bench worker for `npm run bench:images` (tests/bench/images.bench.mjs). It runs the product's
// WASM step, renderDerivatives, inside workerd and reports what the isolate can see of memory.
// Timing is done from Node: inside workerd the clocks do not advance during synchronous work.
// /admit and /job are the worst-admissible-inputs section: the upload checks, and a queue job's
// path from storage to derivatives (obtainMaster, then renderDerivatives) with R2 and the IMAGES
// binding stood in for by objects in this isolate.
// /thumb and /fingerprint time the similar-shots fingerprint (similarity.ts) on a master's own
// thumbnail and preview rasters, apart from the rest of the step; /stack is stackFrames for bench:stacks.
import { initPhoton } from "@cf-wasm/photon";
import type { WatermarkSettings } from "../../worker/contract/galleries";
import { defaultWatermark, watermarkSchema } from "../../worker/domain/galleries/settings";
import {
  DIRECT_MAX_BYTES,
  DIRECT_MAX_PIXELS,
  LOGO_MAX_EDGE,
  LOGO_UPLOAD_MAX_EDGE,
  MASTER_MAX_EDGE,
  MAX_LOGO_BYTES,
  MAX_LOGO_PIXELS,
  MAX_MASTER_BYTES,
} from "../../worker/domain/photos/limits";
import type { PhotoRow } from "../../worker/domain/photos/photos";
import { type Frame, HASH_NEAR, LINK_GAP_MS, SOFT_FLOOR, SOFT_RATIO, stackFrames } from "../../worker/domain/photos/stacks";
import { renderDerivatives, uprightRasters } from "../../worker/images/derive";
import { readExif } from "../../worker/images/exif";
import { readHeader } from "../../worker/images/failures";
import { obtainMaster, originalHead } from "../../worker/images/master";
import { fingerprint } from "../../worker/images/similarity";
import { checkComplete, checkExtension, sniffImage } from "../../worker/images/sniff";
import { mediaKeys, TenantMedia } from "../../worker/storage/tenant-media";

const settings = defaultWatermark("Loupe Bench Studio");

async function wasmMemoryBytes(): Promise<number> {
  const out = await initPhoton.promise;
  return out ? out.memory.buffer.byteLength : -1;
}

/** Every in-isolate memory API we could find, with what it reports (checked by the bench). */
async function memoryApis(): Promise<Record<string, unknown>> {
  const apis: Record<string, unknown> = {};
  try {
    const p = (globalThis as { process?: { memoryUsage?: () => unknown } }).process;
    apis["process.memoryUsage"] = p?.memoryUsage ? p.memoryUsage() : "absent";
  } catch (e) {
    apis["process.memoryUsage"] = `throws: ${String(e)}`;
  }
  try {
    const perf = performance as unknown as { memory?: unknown; measureUserAgentSpecificMemory?: unknown };
    apis["performance.memory"] = perf.memory ?? "absent";
    apis["performance.measureUserAgentSpecificMemory"] = typeof perf.measureUserAgentSpecificMemory;
  } catch (e) {
    apis["performance.memory"] = `throws: ${String(e)}`;
  }
  try {
    const v8 = (await import("node:v8")) as { getHeapStatistics?: () => unknown };
    apis["v8.getHeapStatistics"] = v8.getHeapStatistics ? v8.getHeapStatistics() : "absent";
  } catch (e) {
    apis["v8.getHeapStatistics"] = `throws: ${String(e)}`;
  }
  return apis;
}

/** The upload-time checks each kind of file passes before it is stored (upload.ts putOriginalPart +
 *  completeOriginal, putMaster, watermark-changes.ts storableLogo), where the queue sends an
 *  original (master.ts obtainMaster), and for a logo whether it is stored as uploaded or scaled
 *  down first, and whether the image worker then draws it (pipeline.ts storedLogo). Throws what
 *  the product would. */
function admit(as: string, name: string, bytes: Uint8Array): Record<string, unknown> {
  const s = sniffImage(name, bytes.subarray(0, 256 * 1024));
  const fail = (why: string) => {
    throw new Error(why);
  };
  if (as === "original") {
    checkExtension(name, s.type);
    checkComplete(name, s.type, bytes.subarray(-64), bytes.length);
    const direct = s.type !== "webp" && s.width * s.height <= DIRECT_MAX_PIXELS && bytes.length <= DIRECT_MAX_BYTES;
    return { ...s, route: direct ? "direct" : "IMAGES binding" };
  }
  if (as === "master") {
    if (bytes.length > MAX_MASTER_BYTES) fail("master over MAX_MASTER_BYTES");
    if (s.type !== "jpeg") fail("master not a JPEG");
    if (Math.max(s.width, s.height) > MASTER_MAX_EDGE) fail("master over MASTER_MAX_EDGE");
    checkComplete(name, s.type, bytes.subarray(-64), bytes.length);
    return { ...s };
  }
  if (bytes.length > MAX_LOGO_BYTES) fail("logo over MAX_LOGO_BYTES");
  if (s.type !== "png") fail("logo not a PNG");
  const edge = Math.max(s.width, s.height);
  if (edge > LOGO_UPLOAD_MAX_EDGE) fail("logo over LOGO_UPLOAD_MAX_EDGE");
  if (edge > LOGO_MAX_EDGE) return { ...s, route: "IMAGES binding (scaled down)" };
  // Stored as uploaded; the image worker's own check before it decodes the stored logo.
  if (s.width * s.height > MAX_LOGO_PIXELS) fail("stored logo over MAX_LOGO_PIXELS");
  return { ...s, route: "stored as uploaded" };
}

/** R2 as the pipeline reads it: a whole read hands back the stored bytes (the request body, no
 *  extra copy), a ranged read a copy of the range. Puts are dropped. */
function fakeBucket(objects: Map<string, Uint8Array>): R2Bucket {
  const get = async (key: string, options?: R2GetOptions) => {
    const all = objects.get(key);
    if (!all) return null;
    const r = options?.range as { offset?: number; length?: number } | undefined;
    const bytes = r ? all.slice(r.offset ?? 0, (r.offset ?? 0) + (r.length ?? all.length)) : all;
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    return { size: all.length, body: new Blob([]).stream(), arrayBuffer: async () => buffer };
  };
  return { get, put: async () => null } as unknown as R2Bucket;
}

/** The IMAGES binding, for an original too big to go direct: hands back the original's bytes as
 *  the "made" master, orientation tag kept (what the local binding does with a quarter-turn). */
function echoBinding(original: Uint8Array): ImagesBinding {
  const out = { response: () => new Response(original.slice()) };
  const chain = { transform: () => chain, output: async () => out };
  return { input: () => chain } as unknown as ImagesBinding;
}

let logoPng: Uint8Array | null = null; // stands in for the logo in R2; each job reads a copy

/** One queue job from stored bytes to derivatives, as pipeline.ts processPhoto does it. */
async function job(url: URL, body: Uint8Array): Promise<Record<string, unknown>> {
  const kind = url.searchParams.get("kind") ?? "master"; // master | original
  const { logoKey: _, ...textStyle } = settings;
  const style = watermarkSchema.parse(JSON.parse(url.searchParams.get("style") ?? "null") ?? textStyle);
  const wm: WatermarkSettings = { ...style, logoKey: style.kind === "logo" ? mediaKeys.logo("g1", 1) : null };
  const photo = { id: "p1", galleryId: "g1", filename: "bench.jpg", hasMaster: kind === "master", originalState: "stored" } as PhotoRow;
  const key = kind === "master" ? mediaKeys.master("g1", "p1") : mediaKeys.original("g1", "p1");
  const media = new TenantMedia(fakeBucket(new Map([[`t/t1/${key}`, body]])), "t1");
  if (kind === "original") {
    const head = await originalHead(media, photo);
    readHeader(photo.filename, head);
    readExif(head.slice().buffer);
  }
  const master = await obtainMaster(echoBinding(body), media, photo);
  if (!master) throw new Error("no master");
  const route = kind === "master" ? "stored master" : master.madeBytes === null ? "direct" : "IMAGES binding + uprightJpeg";
  // Only the bench passes an orientation for a stored master (the product's are upright).
  const orientation = Number(url.searchParams.get("orientation") ?? master.orientation);
  const logo = wm.kind === "logo" && logoPng ? logoPng.slice() : null;
  const d = renderDerivatives(master.bytes, orientation, wm, logo);
  const hex = async (b: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", b))].map((x) => x.toString(16).padStart(2, "0")).join("");
  return {
    ok: true,
    route,
    orientation,
    bodyBytes: body.length,
    masterBytes: master.bytes.length,
    logoBytes: logo?.length ?? 0,
    width: d.width,
    height: d.height,
    thumbBytes: d.thumb.length,
    previewBytes: d.preview.length,
    watermarkBox: d.watermarkBox,
    digest: `${(await hex(d.thumb)).slice(0, 16)}:${(await hex(d.preview)).slice(0, 16)}`,
  };
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/probe") {
      return Response.json({ wasmMemoryBytes: await wasmMemoryBytes(), apis: await memoryApis() });
    }
    if (request.method !== "POST") return new Response("not found", { status: 404 });
    const body = new Uint8Array(await request.arrayBuffer());
    if (url.pathname === "/noop") {
      // Same transfer as /derive, no work: the round-trip baseline the bench subtracts.
      return Response.json({ bodyBytes: body.length, wasmMemoryBytes: await wasmMemoryBytes() });
    }
    if (url.pathname === "/derive") {
      const orientation = Number(url.searchParams.get("orientation") ?? "1");
      const d = renderDerivatives(body, orientation, settings, null);
      return Response.json({
        bodyBytes: body.length,
        width: d.width,
        height: d.height,
        thumbBytes: d.thumb.length,
        previewBytes: d.preview.length,
        watermarkBox: d.watermarkBox,
        fingerprint: d.fingerprint,
        wasmMemoryBytes: await wasmMemoryBytes(),
      });
    }
    if (url.pathname === "/thumb") {
      // The rasters renderDerivatives fingerprints, as raw RGBA: the thumbnail's, then the preview's.
      const { thumb, preview } = uprightRasters(body, Number(url.searchParams.get("orientation") ?? "1"));
      const both = new Uint8Array(thumb.px.length + preview.px.length);
      both.set(thumb.px);
      both.set(preview.px, thumb.px.length);
      const headers = {
        "x-width": String(thumb.width),
        "x-height": String(thumb.height),
        "x-preview-width": String(preview.width),
        "x-preview-height": String(preview.height),
      };
      return new Response(both, { headers });
    }
    if (url.pathname === "/fingerprint") {
      // `reps` fingerprints of the same rasters in one request: the bench subtracts reps=0 (the same
      // body, no work) and divides, since nothing inside workerd can time synchronous work.
      const q = (k: string) => Number(url.searchParams.get(k));
      const split = q("w") * q("h") * 4;
      const thumb = { px: body.subarray(0, split), width: q("w"), height: q("h") };
      const preview = { px: body.subarray(split), width: q("pw"), height: q("ph") };
      let out = null;
      for (let i = 0, n = q("reps"); i < n; i++) out = fingerprint(thumb, preview);
      return Response.json({ bodyBytes: body.length, fingerprint: out });
    }
    if (url.pathname === "/stack") {
      const frames = JSON.parse(new TextDecoder().decode(body)) as Frame[];
      return Response.json({ placements: Object.fromEntries(stackFrames(frames)), thresholds: { LINK_GAP_MS, HASH_NEAR, SOFT_RATIO, SOFT_FLOOR } });
    }
    if (url.pathname === "/admit") {
      try {
        return Response.json({ ok: true, ...admit(url.searchParams.get("as") ?? "", url.searchParams.get("name") ?? "bench.jpg", body) });
      } catch (e) {
        return Response.json({ ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (url.pathname === "/logo") {
      logoPng = body;
      return Response.json({ logoBytes: body.length, wasmMemoryBytes: await wasmMemoryBytes() });
    }
    if (url.pathname === "/job") {
      let out: Record<string, unknown>;
      try {
        out = await job(url, body);
      } catch (e) {
        out = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      return Response.json({ ...out, wasmMemoryBytes: await wasmMemoryBytes() });
    }
    return new Response("not found", { status: 404 });
  },
};
