// Drag-and-drop upload of hundreds of files: three at a time, each as the upload protocol asks
// (create, master from the Web Worker, original in parts, complete), with per-file and total
// progress, pause, resume (only missing parts are sent again) and retry. A dropped connection or a
// busy server (5xx, 429) is retried by itself a few times with growing waits, so a card of photos
// sent over hotel wifi does not stop at the first hiccup; a refusal (4xx) is shown at once.
import type { ApiErrorBody } from "../../worker/contract/errors";
import type { NewPhotoResponse, OriginalParts, PhotoResponse } from "../../worker/contract/photos";
import { type ApiResult, api, errorOf } from "./api";

export type FileState = "queued" | "master" | "uploading" | "done" | "failed" | "paused";

export interface UploadItem {
  key: string;
  file: File;
  state: FileState;
  sent: number;
  error: string | null;
  photoId: string | null;
  partSize: number;
  masterSent: boolean;
}

const PARALLEL = 3;
const TRIES = 5;

/** A failure worth trying again: the network dropped or the server was busy. */
class Transient extends Error {}

const transient = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

function check<T>(r: ApiResult<T>): Extract<ApiResult<T>, { ok: true }> {
  if (r.ok) return r;
  throw transient(r.status) ? new Transient(errorOf(r)) : new Error(errorOf(r));
}

export class Uploader {
  readonly items: UploadItem[] = [];
  paused = false;
  #active = 0;
  #worker = new Worker(new URL("./master.worker.ts", import.meta.url), { type: "module" });
  #masters = new Map<string, (r: { blob?: Blob; error?: string }) => void>();

  constructor(
    private readonly photosPath: string,
    public onChange: () => void,
  ) {
    this.#worker.onmessage = (e: MessageEvent<{ id: string; blob?: Blob; error?: string }>) => {
      this.#masters.get(e.data.id)?.(e.data);
      this.#masters.delete(e.data.id);
    };
    // Without the worker, uploads go on without masters: the server makes its own.
    this.#worker.onerror = () => {
      for (const resolve of this.#masters.values()) resolve({ error: "the master could not be made in this browser" });
      this.#masters.clear();
    };
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      this.items.push({
        key: `${file.name}:${file.size}:${this.items.length}`,
        file,
        state: "queued",
        sent: 0,
        error: null,
        photoId: null,
        partSize: 0,
        masterSent: false,
      });
    }
    this.onChange();
    this.#pump();
  }

  get totals() {
    const bytes = this.items.reduce((n, i) => n + i.file.size, 0);
    const sent = this.items.reduce((n, i) => n + (i.state === "done" ? i.file.size : i.sent), 0);
    return {
      files: this.items.length,
      done: this.items.filter((i) => i.state === "done").length,
      failed: this.items.filter((i) => i.state === "failed").length,
      bytes,
      sent,
    };
  }

  pause(): void {
    this.paused = true;
    this.onChange();
  }

  resume(): void {
    this.paused = false;
    for (const i of this.items) if (i.state === "paused") i.state = "queued";
    this.onChange();
    this.#pump();
  }

  retry(item: UploadItem): void {
    item.state = "queued";
    item.error = null;
    this.onChange();
    this.#pump();
  }

  #pump(): void {
    while (!this.paused && this.#active < PARALLEL) {
      const next = this.items.find((i) => i.state === "queued");
      if (!next) return;
      // Claimed before the first await, so the next turn of this loop takes another file.
      next.state = "master";
      this.#active += 1;
      void this.#upload(next).finally(() => {
        this.#active -= 1;
        this.onChange();
        this.#pump();
      });
    }
  }

  #master(item: UploadItem): Promise<{ blob?: Blob; error?: string }> {
    return new Promise((resolve) => {
      this.#masters.set(item.key, resolve);
      this.#worker.postMessage({ id: item.key, file: item.file });
    });
  }

  async #upload(item: UploadItem): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#send(item);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!(err instanceof Transient || err instanceof TypeError) || attempt >= TRIES) {
          item.state = "failed";
          item.error = attempt > 1 ? `${message} (tried ${attempt} times)` : message;
          return;
        }
        item.error = `${message}; trying again`;
        this.onChange();
        await new Promise((r) => setTimeout(r, 1000 * 2 ** (attempt - 1)));
        item.error = null;
      }
    }
  }

  /** One go at a file; what already arrived (the photo, its master, parts) is not sent again. */
  async #send(item: UploadItem): Promise<void> {
    if (!item.photoId) {
      const created = check(
        await api<NewPhotoResponse>("POST", this.photosPath, {
          filename: item.file.name,
          size: item.file.size,
          contentType: item.file.type || undefined,
        }),
      );
      item.photoId = created.data.photo.id;
      item.partSize = created.data.upload.partSize;
      this.onChange();
    }
    if (!item.masterSent) {
      item.state = "master";
      const master = await this.#master(item);
      // A file the browser cannot decode still uploads: the server makes its own master.
      // An empty blob is what a canvas too large for the browser gives: no master, not an empty one.
      if (master.blob && master.blob.size > 0) await this.#put(`${this.photosPath}/${item.photoId}/master`, master.blob);
      item.masterSent = true;
    }
    item.state = "uploading";
    this.onChange();
    const have = check(await api<OriginalParts>("GET", `${this.photosPath}/${item.photoId}/original/parts`));
    const done = new Set(have.data.received);
    const count = Math.max(1, Math.ceil(item.file.size / item.partSize));
    item.sent = [...done].reduce((n, p) => n + Math.min(item.partSize, item.file.size - (p - 1) * item.partSize), 0);
    for (let n = 1; n <= count; n++) {
      if (done.has(n)) continue;
      if (this.paused) {
        item.state = "paused";
        return;
      }
      const part = item.file.slice((n - 1) * item.partSize, Math.min(item.file.size, n * item.partSize));
      const before = item.sent;
      try {
        await this.#put(`${this.photosPath}/${item.photoId}/original/parts/${n}`, part, (loaded) => {
          item.sent += loaded;
          this.onChange();
        });
      } catch (err) {
        item.sent = before; // the part goes again whole
        throw err;
      }
    }
    check(await api<PhotoResponse>("POST", `${this.photosPath}/${item.photoId}/original/complete`));
    item.state = "done";
  }

  /** PUT with upload progress, which fetch() does not report. */
  #put(url: string, body: Blob, progress?: (delta: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      let last = 0;
      xhr.open("PUT", url);
      xhr.setRequestHeader("content-type", "application/octet-stream");
      xhr.upload.onprogress = (e) => {
        progress?.(e.loaded - last);
        last = e.loaded;
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) return resolve();
        let message = `upload failed (${xhr.status})`;
        try {
          message = (JSON.parse(xhr.responseText) as ApiErrorBody).error.message;
        } catch {}
        reject(transient(xhr.status) ? new Transient(message) : new Error(message));
      };
      xhr.onerror = () => reject(new Transient("the connection dropped"));
      xhr.send(body);
    });
  }
}
