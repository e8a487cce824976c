// An API answer as the browser apps read it: the contract's body when the request worked, the
// error body otherwise. Check `ok` before reading `data`; a body that is not JSON reads as {}.
import type { ApiErrorBody } from "../../worker/contract/errors";

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; data: Partial<ApiErrorBody> };
export type ApiFailure = Extract<ApiResult<unknown>, { ok: false }>;

/** Reads a fetch() response whose body, when it is ok, is a `T` of the contract. */
export async function readResult<T>(res: Response): Promise<ApiResult<T>> {
  const data = await res.json().catch(() => ({}));
  return res.ok ? { ok: true, status: res.status, data } : { ok: false, status: res.status, data };
}
