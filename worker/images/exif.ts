// EXIF as a photographer reads it, parsed with ExifReader from the head of the file (EXIF sits
// in the first 64 KB of a JPEG; we read 256 KB to be safe).
import { load } from "exifreader";
import type { PhotoExif } from "../contract/photos";

export const EXIF_HEAD_BYTES = 256 * 1024;

type Tag = { value?: unknown; description?: string } | undefined;

function rational(tag: Tag): number | null {
  const v = tag?.value;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === "number" && typeof v[1] === "number" && v[1] !== 0) return v[0] / v[1];
  if (typeof v === "number") return v;
  return null;
}

function text(tag: Tag): string | null {
  const d = tag?.description?.replace(/\0+$/, "").trim();
  return d ? d : null;
}

function shutter(tag: Tag): string | null {
  const seconds = rational(tag);
  if (seconds === null || seconds <= 0) return null;
  if (seconds >= 1) return `${Number(seconds.toFixed(1))}s`;
  return `1/${Math.round(1 / seconds)}`;
}

function takenAt(tag: Tag, offset: Tag): string | null {
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text(tag) ?? "");
  if (!m) return null;
  const off = text(offset);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off && /^[+-]\d{2}:\d{2}$/.test(off) ? off : ""}`;
}

function camera(make: string | null, model: string | null): string | null {
  if (!model) return make;
  if (!make || model.toLowerCase().startsWith(make.toLowerCase().split(" ")[0]!)) return model;
  return `${make} ${model}`;
}

export function readExif(head: ArrayBuffer): PhotoExif {
  let tags: Record<string, Tag> = {};
  try {
    tags = load(head, { includeTags: { exif: true, file: false, xmp: false, icc: false, iptc: false } } as never) as unknown as Record<string, Tag>;
  } catch {
    // No EXIF at all (PNG exports, screenshots) is normal, not an error.
  }
  const iso = rational(tags.ISOSpeedRatings) ?? (Array.isArray(tags.ISOSpeedRatings?.value) ? Number(tags.ISOSpeedRatings.value[0]) : null);
  const orientation = Number(tags.Orientation?.value);
  return {
    camera: camera(text(tags.Make), text(tags.Model)),
    lens: text(tags.LensModel),
    focalLength: rational(tags.FocalLength),
    aperture: rational(tags.FNumber),
    shutter: shutter(tags.ExposureTime),
    iso: iso !== null && Number.isFinite(iso) ? iso : null,
    takenAt: takenAt(tags.DateTimeOriginal, tags.OffsetTimeOriginal),
    orientation: orientation >= 1 && orientation <= 8 ? orientation : 1,
  };
}
