// R2 through a tenant's prefix: every key this hands out starts with t/<tenantId>/, so domain
// code cannot read or write another studio's objects by building a key by hand.
import { AppError } from "../lib/errors";

export class TenantMedia {
  constructor(
    private readonly bucket: R2Bucket,
    readonly tenantId: string,
  ) {}

  key(rel: string): string {
    if (rel.startsWith("/") || rel.includes("..")) throw new Error(`bad media key ${rel}`);
    return `t/${this.tenantId}/${rel}`;
  }

  get(rel: string, options?: R2GetOptions) {
    return this.bucket.get(this.key(rel), options);
  }

  head(rel: string) {
    return this.bucket.head(this.key(rel));
  }

  put(rel: string, body: ReadableStream | ArrayBuffer | ArrayBufferView | string | null, options?: R2PutOptions) {
    return this.bucket.put(this.key(rel), body, options);
  }

  async delete(rels: string[]): Promise<void> {
    for (let i = 0; i < rels.length; i += 1000) await this.bucket.delete(rels.slice(i, i + 1000).map((r) => this.key(r)));
  }

  /** Relative keys under a relative prefix (first 1000; a photo has a handful). */
  async list(relPrefix: string): Promise<string[]> {
    const page = await this.bucket.list({ prefix: this.key(relPrefix), limit: 1000 });
    const strip = `t/${this.tenantId}/`.length;
    return page.objects.map((o) => o.key.slice(strip));
  }

  /** Deletes everything under a relative prefix, a page of up to 1000 keys at a time. */
  async deletePrefix(relPrefix: string): Promise<number> {
    const prefix = this.key(relPrefix);
    let deleted = 0;
    let cursor: string | undefined;
    do {
      const page = await this.bucket.list({ prefix, cursor, limit: 1000 });
      if (page.objects.length > 0) await this.bucket.delete(page.objects.map((o) => o.key));
      deleted += page.objects.length;
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return deleted;
  }

  createMultipart(rel: string, options?: R2MultipartOptions) {
    return this.bucket.createMultipartUpload(this.key(rel), options);
  }

  resumeMultipart(rel: string, uploadId: string) {
    return this.bucket.resumeMultipartUpload(this.key(rel), uploadId);
  }
}

const ID = /^[\w-]{1,64}$/;

/**
 * An id from a request as one key segment. Ids are ours (newId): anything else, a `..`, a slash or
 * 1,100 characters, names no object, and R2 would refuse the key with an error.
 */
function id(value: string): string {
  if (!ID.test(value)) throw new AppError("not_found", "There is nothing at this address.");
  return value;
}

const BRAND_FILE = /^(logo|cover)-[a-z0-9]{1,20}\.(png|jpg)$/;

function brandFile(file: string): string {
  if (!BRAND_FILE.test(file)) throw new AppError("not_found", "There is nothing at this address.");
  return file;
}

/** Where a gallery's and a photo's objects live, relative to the tenant prefix. */
export const mediaKeys = {
  brand: (file: string) => `brand/${brandFile(file)}`,
  gallery: (galleryId: string) => `g/${id(galleryId)}/`,
  logo: (galleryId: string, version: number) => `g/${id(galleryId)}/logo-v${version}.png`,
  photo: (galleryId: string, photoId: string) => `g/${id(galleryId)}/p/${id(photoId)}/`,
  original: (galleryId: string, photoId: string) => `g/${id(galleryId)}/p/${id(photoId)}/original`,
  master: (galleryId: string, photoId: string) => `g/${id(galleryId)}/p/${id(photoId)}/master.jpg`,
  thumb: (galleryId: string, photoId: string) => `g/${id(galleryId)}/p/${id(photoId)}/thumb.jpg`,
  preview: (galleryId: string, photoId: string, version: number) => `g/${id(galleryId)}/p/${id(photoId)}/preview-v${version}.jpg`,
};
