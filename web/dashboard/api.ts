// The dashboard's one door to the API: JSON in and out, the session refreshed once on a 401, and
// errors as the API words them ("field: what is wrong"). `T` is the answer's type in the API
// contract (worker/contract); the caller checks `ok` before reading it.
import type { StudioRef } from "../../worker/contract/studios";
import type { ApiFailure, ApiResult } from "../lib/result";

export type { ApiResult } from "../lib/result";

export async function api<T>(method: string, path: string, body?: unknown, retried = false): Promise<ApiResult<T>> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (res.status === 401 && !retried && !path.startsWith("/api/auth/")) {
    const refreshed = await fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" });
    if (refreshed.ok) return api<T>(method, path, body, true);
  }
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  return res.ok ? { ok: true, status: res.status, data } : { ok: false, status: res.status, data };
}

export const errorOf = (r: ApiFailure) => r.data.error?.message ?? `Something went wrong (${r.status}).`;

export const galleriesPath = (s: StudioRef) => `/api/studios/${s.id}/galleries`;
export const studioOrigin = (s: StudioRef) => `${location.protocol}//${s.slug}.${location.host.replace(/^app\./, "")}`;
