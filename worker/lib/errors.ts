// One error type for everything a caller can get wrong, in every layer: the domain, the image
// pipeline and the rooms throw it; only the HTTP layer (http/on-error.tsx) turns its code into a
// status and a response.
import type { ErrorCode } from "../contract/errors";

export type { ErrorCode };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterSeconds?: number; details?: unknown } = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}
