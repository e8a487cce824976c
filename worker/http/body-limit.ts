// A request body's size, checked before a handler reads it. Hono's bodyLimit stops reading a
// chunked body at the limit and leaves the rest on the connection, so the next request on it (and
// behind a proxy, someone else's) is read from the middle of the refused body: a refused body is
// read to its end, up to DRAIN_MAX, before the refusal is sent.
import type { MiddlewareHandler } from "hono";
import type { AppError } from "../lib/errors";
import type { AppEnv } from "./context";

const DRAIN_MAX = 16 * 1024 * 1024;

/** Reads and drops up to `budget` more bytes; a longer body is cancelled (its sender is not a browser). */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  let left = budget;
  while (left > 0) {
    const { done, value } = await reader.read();
    if (done) return;
    left -= value.byteLength;
  }
  await reader.cancel();
}

export function limitBody(maxBytes: number, tooLarge: () => AppError): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) <= maxBytes) return next();
    const reader = body.getReader();
    if (declared !== undefined) {
      await drain(reader, DRAIN_MAX);
      throw tooLarge();
    }
    // Chunked: read whole (within the limit), and handed on as a body of known length.
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await drain(reader, DRAIN_MAX);
        throw tooLarge();
      }
      chunks.push(value);
    }
    const whole = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      whole.set(chunk, at);
      at += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    return next();
  };
}
