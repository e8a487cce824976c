// The one place errors become responses: JSON for APIs, a plain page for browsers. Internal
// errors are logged with their stack and answered without one.
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { MessagePage } from "../pages/layout";
import type { AppEnv } from "./context";
import { AppError } from "./errors";

const TITLES: Partial<Record<number, string>> = {
  400: "Bad request",
  401: "Sign in needed",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Too large",
  423: "Locked",
  429: "Slow down",
  503: "Not ready",
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400) return new AppError("invalid_json", "The request body is not valid JSON.");
    if (err.status === 413) return new AppError("payload_too_large", "The request body is too large.");
  }
  return new AppError("internal", "Something went wrong on our side. It has been logged; please try again.");
}

function wantsHtml(c: Context<AppEnv>): boolean {
  const path = new URL(c.req.url).pathname;
  return !path.startsWith("/api/") && (c.req.header("accept") ?? "").includes("text/html");
}

export function errorResponse(err: unknown, c: Context<AppEnv>): Response | Promise<Response> {
  const e = toAppError(err);
  const requestId = c.get("requestId");
  if (e.code === "internal") {
    console.error(
      JSON.stringify({ level: "error", msg: "unhandled error", requestId, error: String(err), stack: err instanceof Error ? err.stack : undefined }),
    );
  }
  if (e.extra.retryAfterSeconds !== undefined) c.header("Retry-After", String(e.extra.retryAfterSeconds));
  c.header("Cache-Control", "no-store");
  if (wantsHtml(c)) {
    return c.html(<MessagePage title={TITLES[e.status] ?? "Error"} status={e.status} message={e.message} requestId={requestId} />, e.status);
  }
  const details = e.extra.details === undefined ? {} : { details: e.extra.details };
  return c.json({ error: { code: e.code, message: e.message, ...details }, requestId }, e.status);
}

export const onError: ErrorHandler<AppEnv> = (err, c) => errorResponse(err, c);
