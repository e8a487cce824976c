// Bench worker for `npm run bench:images` (tests/bench/images.bench.mjs). It runs the product's
// WASM step, renderDerivatives, inside workerd and reports what the isolate can see of memory.
// Timing is done from Node: inside workerd the clocks do not advance during synchronous work.
import { initPhoton } from "@cf-wasm/photon";
import { defaultWatermark } from "../../worker/domain/galleries/settings";
import { renderDerivatives } from "../../worker/images/derive";

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
        wasmMemoryBytes: await wasmMemoryBytes(),
      });
    }
    return new Response("not found", { status: 404 });
  },
};
