// One error type for everything a caller can get wrong, each code with one HTTP status.
// The error handler in app.ts is the only place these become responses.
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
  slug_taken: 409,
  email_taken: 409,
  already_member: 409,
  last_owner: 409,
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
  upgrade_required: 426,
  pin_required: 403,
  download_not_allowed: 403,
  download_expired: 403,
  download_limit_reached: 403,
  signature_invalid: 400,
  order_conflict: 409,
  payments_unavailable: 503,
  account_locked: 423,
  rate_limited: 429,
  not_ready: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterSeconds?: number; details?: unknown } = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): (typeof ERROR_STATUS)[ErrorCode] {
    return ERROR_STATUS[this.code];
  }
}
