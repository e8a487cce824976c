// Binary request bodies (masters, original parts, logos): an image or octet-stream content type
// and a size cap checked before the body is read.
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import { limitBody } from "./body-limit";
import type { AppEnv } from "./context";

export function isBinary(contentType: string | undefined): boolean {
  const t = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return t.startsWith("image/") || t === "application/octet-stream";
}

export function binaryBody(maxBytes: number, what: string): MiddlewareHandler<AppEnv> {
  const limit = limitBody(maxBytes, () => new AppError("file_too_large", `${what} is over ${Math.round(maxBytes / 1024 / 1024)} MB.`));
  return async (c, next) => {
    if (!isBinary(c.req.header("content-type"))) {
      throw new AppError("unsupported_media_type", `Send ${what} as the raw request body (Content-Type: image/* or application/octet-stream).`);
    }
    return limit(c, next);
  };
}

export async function bodyBytes(c: Context<AppEnv>): Promise<Uint8Array> {
  return new Uint8Array(await c.req.arrayBuffer());
}

/** An R2 object as an HTTP response with its ETag, honouring If-None-Match. */
export function objectResponse(c: Context<AppEnv>, obj: R2ObjectBody, cacheControl: string): Response {
  const headers = new Headers({ etag: obj.httpEtag, "cache-control": cacheControl, "content-type": obj.httpMetadata?.contentType ?? "image/jpeg" });
  if (c.req.header("if-none-match") === obj.httpEtag) return new Response(null, { status: 304, headers });
  headers.set("content-length", String(obj.size));
  return new Response(obj.body, { headers });
}

/** A file to save, never cached: purchased and gallery downloads alike. */
export function attachment(file: { body: ReadableStream; filename: string; contentType: string; size: number | null }): Response {
  const headers = new Headers({
    "content-type": file.contentType,
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    "cache-control": "private, no-store",
  });
  if (file.size !== null) headers.set("content-length", String(file.size));
  return new Response(file.body, { headers });
}
