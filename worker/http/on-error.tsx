// The one place errors become responses: JSON for APIs, a plain page for browsers. Internal
// errors are logged with their stack and answered without one.
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, type ErrorCode } from "../lib/errors";
import { MessagePage } from "../pages/layout";
import type { AppEnv } from "./context";

// Each code has one HTTP status; a new code does not compile until it has its status here.
export const ERROR_STATUS = {
  invalid_input: 400,
  invalid_json: 400,
  empty_file: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  refresh_invalid: 401,
  refresh_reused: 401,
  forbidden: 403,
  origin_mismatch: 403,
  not_found: 404,
  studio_not_found: 404,
  invite_invalid: 404,
  link_invalid: 410,
  email_unverified: 403,
  slug_taken: 409,
  email_taken: 409,
  already_member: 409,
  last_owner: 409,
  domain_reserved: 400,
  domain_taken: 409,
  domain_limit: 409,
  domains_unavailable: 503,
  payload_too_large: 413,
  file_too_large: 413,
  quota_exceeded: 413,
  unsupported_media_type: 415,
  unsupported_file: 415,
  corrupt_file: 422,
  file_truncated: 422,
  upload_incomplete: 409,
  gallery_expired: 410,
  password_required: 401,
  name_required: 401,
  email_required: 401,
  upgrade_required: 426,
  pin_required: 403,
  download_not_allowed: 403,
  download_expired: 403,
  download_limit_reached: 403,
  signature_invalid: 400,
  order_conflict: 409,
  payments_unavailable: 503,
  lab_unavailable: 503,
  lab_refused: 422,
  lab_not_connected: 409,
  account_locked: 423,
  rate_limited: 429,
  not_ready: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

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
  const status = ERROR_STATUS[e.code];
  const requestId = c.get("requestId");
  if (e.code === "internal") {
    console.error(
      JSON.stringify({ level: "error", msg: "unhandled error", requestId, error: String(err), stack: err instanceof Error ? err.stack : undefined }),
    );
  }
  if (e.extra.retryAfterSeconds !== undefined) c.header("Retry-After", String(e.extra.retryAfterSeconds));
  c.header("Cache-Control", "no-store");
  if (wantsHtml(c)) {
    return c.html(<MessagePage title={TITLES[status] ?? "Error"} status={status} message={e.message} requestId={requestId} />, status);
  }
  const details = e.extra.details === undefined ? {} : { details: e.extra.details };
  return c.json({ error: { code: e.code, message: e.message, ...details }, requestId }, status);
}

export const onError: ErrorHandler<AppEnv> = (err, c) => errorResponse(err, c);
