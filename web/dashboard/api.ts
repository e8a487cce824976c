// The dashboard's one door to the API: JSON in and out, the session refreshed once on a 401, and
// errors as the API words them ("field: what is wrong").
export interface ApiResult<T> {
  ok: boolean;
  status: number;
  data: T & { error?: { code: string; message: string } };
}

export async function api<T = any>(method: string, path: string, body?: unknown, retried = false): Promise<ApiResult<T>> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (res.status === 401 && !retried && !path.startsWith("/api/auth/")) {
    const refreshed = await fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" });
    if (refreshed.ok) return api(method, path, body, true);
  }
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, data };
}

export const errorOf = (r: ApiResult<unknown>) => r.data.error?.message ?? `Something went wrong (${r.status}).`;

export interface Studio {
  id: string;
  slug: string;
}

export interface GalleryView {
  id: string;
  title: string;
  description: string;
  visibility: "public" | "unlisted" | "password";
  hasPassword: boolean;
  expiresAt: number | null;
  selection: { listsAllowed: boolean; minPerList: number | null; maxPerList: number | null; dueAt: number | null };
  downloads: { mode: "off" | "web" | "high_res" | "original"; pinRequired: boolean };
  watermark: { enabled: boolean; kind: "text" | "logo"; hasLogo: boolean; text: string; position: string; opacity: number; scale: number };
  coverPhotoId: string | null;
  priceSheetId: string | null;
  sets: { id: string; name: string; position: number }[];
  photos: { total: number; uploading: number; processing: number; ready: number; failed: number };
}

export interface PhotoView {
  id: string;
  filename: string;
  status: "uploading" | "processing" | "ready" | "failed";
  /** Processing for so long that the queue must have lost it; it can be retried. */
  stuck: boolean;
  setId: string | null;
  failureReason: string | null;
  width: number | null;
  height: number | null;
  original: string;
  urls: { thumb: string; preview: string } | null;
}

export const galleriesPath = (s: Studio) => `/api/studios/${s.id}/galleries`;
export const studioOrigin = (s: Studio) => `${location.protocol}//${s.slug}.${location.host.replace(/^app\./, "")}`;
