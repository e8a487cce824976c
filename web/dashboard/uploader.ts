// Drag-and-drop upload of hundreds of files: three at a time, each as the upload protocol asks
// (create, master from the Web Worker, original in parts, complete), with per-file and total
// progress, pause, resume (only missing parts are sent again) and retry.
import { api, errorOf } from "./api";

export type FileState = "queued" | "master" | "uploading" | "done" | "failed" | "paused";

export interface UploadItem {
  key: string;
  file: File;
  state: FileState;
  sent: number;
  error: string | null;
  photoId: string | null;
  partSize: number;
}

const PARALLEL = 3;

export class Uploader {
  readonly items: UploadItem[] = [];
  paused = false;
  #active = 0;
  #worker = new Worker(new URL("./master.worker.ts", import.meta.url), { type: "module" });
  #masters = new Map<string, (r: { blob?: Blob; error?: string }) => void>();

  constructor(private readonly photosPath: string, public onChange: () => void) {
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
      this.items.push({ key: `${file.name}:${file.size}:${this.items.length}`, file, state: "queued", sent: 0, error: null, photoId: null, partSize: 0 });
    }
    this.onChange();
    this.#pump();
  }

  get totals() {
    const bytes = this.items.reduce((n, i) => n + i.file.size, 0);
    const sent = this.items.reduce((n, i) => n + (i.state === "done" ? i.file.size : i.sent), 0);
    return { files: this.items.length, done: this.items.filter((i) => i.state === "done").length, failed: this.items.filter((i) => i.state === "failed").length, bytes, sent };
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
    try {
      if (!item.photoId) {
        const created = await api<{ photo: { id: string }; upload: { partSize: number } }>("POST", this.photosPath, { filename: item.file.name, size: item.file.size, contentType: item.file.type || undefined });
        if (!created.ok) throw new Error(errorOf(created));
        item.photoId = created.data.photo.id;
        item.partSize = created.data.upload.partSize;
        item.state = "master";
        this.onChange();
        const master = await this.#master(item);
        // A file the browser cannot decode still uploads: the server makes its own master.
        if (master.blob) await this.#put(`${this.photosPath}/${item.photoId}/master`, master.blob);
      }
      item.state = "uploading";
      this.onChange();
      const have = await api<{ received: number[] }>("GET", `${this.photosPath}/${item.photoId}/original/parts`);
      const done = new Set(have.ok ? have.data.received : []);
      const count = Math.max(1, Math.ceil(item.file.size / item.partSize));
      item.sent = [...done].reduce((n, p) => n + Math.min(item.partSize, item.file.size - (p - 1) * item.partSize), 0);
      for (let n = 1; n <= count; n++) {
        if (done.has(n)) continue;
        if (this.paused) {
          item.state = "paused";
          return;
        }
        const part = item.file.slice((n - 1) * item.partSize, Math.min(item.file.size, n * item.partSize));
        await this.#put(`${this.photosPath}/${item.photoId}/original/parts/${n}`, part, (loaded) => {
          item.sent += loaded;
          this.onChange();
        });
      }
      const complete = await api("POST", `${this.photosPath}/${item.photoId}/original/complete`);
      if (!complete.ok) throw new Error(errorOf(complete));
      item.state = "done";
    } catch (err) {
      item.state = "failed";
      item.error = err instanceof Error ? err.message : String(err);
    }
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
          message = JSON.parse(xhr.responseText).error.message;
        } catch {}
        reject(new Error(message));
      };
      xhr.onerror = () => reject(new Error("the connection dropped; retry to send the rest"));
      xhr.send(body);
    });
  }
}
