// The studio's logo and home-page cover: checked by their bytes, resized by the IMAGES binding (no
// WASM, so no isolate memory at stake), stored under a fresh name each time so browsers and mail
// clients can cache them for good. Replaced files are kept: mail already sent still shows its logo.
import type { StudioProfile } from "../../contract/studios";
import type { TenantDb } from "../../db/tenant-db";
import { studioProfiles } from "../../db/tenant-schema";
import { fitWithin } from "../../images/raster";
import { sniffImage } from "../../images/sniff";
import { AppError } from "../../lib/errors";
import { mediaKeys, type TenantMedia } from "../../storage/tenant-media";
import { MiB } from "../photos/limits";
import { getProfile } from "./profile";

export type BrandImage = "logo" | "cover";

interface Rules {
  label: string;
  maxBytes: number;
  /** The largest upload taken, long edge. */
  maxEdge: number;
  /** The smallest that still looks right where it is shown. */
  minWidth: number;
  /** Stored at most this on its long edge. */
  storedEdge: number;
  format: "image/png" | "image/jpeg";
}

export const BRAND_RULES: Record<BrandImage, Rules> = {
  // A logo keeps its transparency (PNG); it is shown at most 80 px tall on the site and in mail.
  logo: { label: "The logo", maxBytes: 2 * MiB, maxEdge: 4000, minWidth: 64, storedEdge: 800, format: "image/png" },
  // A cover fills a wide screen: smaller than 1200 px wide looks soft there.
  cover: { label: "The cover photo", maxBytes: 25 * MiB, maxEdge: 12000, minWidth: 1200, storedEdge: 2400, format: "image/jpeg" },
};

export interface BrandDeps {
  tdb: TenantDb;
  media: TenantMedia;
  images: ImagesBinding;
}

async function resized(images: ImagesBinding, rules: Rules, upload: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const [w, h] = fitWithin(width, height, rules.storedEdge);
  try {
    const out = await images
      .input(new Blob([upload]).stream())
      .transform({ width: w, height: h, fit: "scale-down" })
      .output({ format: rules.format, ...(rules.format === "image/jpeg" && { quality: 85 }) });
    return new Uint8Array(await out.response().arrayBuffer());
  } catch (err) {
    throw new AppError("corrupt_file", `${rules.label} could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function setBrandImage(deps: BrandDeps, kind: BrandImage, upload: Uint8Array): Promise<StudioProfile> {
  const rules = BRAND_RULES[kind];
  if (upload.length > rules.maxBytes) throw new AppError("file_too_large", `${rules.label} is over ${rules.maxBytes / MiB} MB.`);
  // As for photo uploads: a camera's metadata can put the frame header past the first 64 KiB.
  const sniffed = sniffImage(rules.label, upload.subarray(0, 256 * 1024));
  const { width, height } = sniffed;
  if (Math.max(width, height) > rules.maxEdge) {
    throw new AppError("invalid_input", `${rules.label} is ${width}×${height}; it must be at most ${rules.maxEdge} px on its long edge.`);
  }
  if (width < rules.minWidth) throw new AppError("invalid_input", `${rules.label} is ${width} px wide; it must be at least ${rules.minWidth} px.`);
  // Every upload is re-encoded: camera metadata (GPS included) never reaches the public site.
  const stored = await resized(deps.images, rules, upload, width, height);
  const file = `${kind}-${Date.now().toString(36)}${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}.${rules.format === "image/png" ? "png" : "jpg"}`;
  await deps.media.put(mediaKeys.brand(file), stored, { httpMetadata: { contentType: rules.format } });
  await deps.tdb.update(studioProfiles, { [kind === "logo" ? "logoFile" : "coverFile"]: file, updatedAt: Date.now() });
  return getProfile(deps.tdb);
}

export async function removeBrandImage(deps: Omit<BrandDeps, "images">, kind: BrandImage): Promise<StudioProfile> {
  await deps.tdb.update(studioProfiles, { [kind === "logo" ? "logoFile" : "coverFile"]: null, updatedAt: Date.now() });
  return getProfile(deps.tdb);
}

/** The studio's current logo or cover, for the dashboard (which shows only its own host's images). */
export async function currentBrandObject(deps: Omit<BrandDeps, "images">, kind: BrandImage): Promise<R2ObjectBody> {
  const profile = await getProfile(deps.tdb);
  const file = kind === "logo" ? profile.logoFile : profile.coverFile;
  const obj = file ? await deps.media.get(mediaKeys.brand(file)) : null;
  if (!obj) throw new AppError("not_found", `This studio has no ${kind}.`);
  return obj;
}

/** One of this studio's brand files, current or replaced (sent mail may name an old logo). */
export async function brandObject(deps: Omit<BrandDeps, "images">, file: string): Promise<R2ObjectBody> {
  const obj = await deps.media.get(mediaKeys.brand(file));
  if (!obj) throw new AppError("not_found", "There is nothing at this address.");
  return obj;
}
