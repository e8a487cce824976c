// The photo's camera details in the lightbox, as photographers and curious clients read them:
// "Canon EOS R5 · RF 50mm F1.2", then "50 mm · ƒ/1.8 · 1/250 s · ISO 400", then when it was taken.
// Absent when the studio hides them or the file has none.
import type { GalleryPagePhoto } from "../../worker/contract/galleries";
import { h } from "../lib/dom";

type Exif = NonNullable<GalleryPagePhoto["exif"]>;

export function exifLines(exif: Exif): string[] {
  const gear = [exif.camera, exif.lens].filter(Boolean).join(" · ");
  const exposure = [
    exif.focalLength ? `${Math.round(exif.focalLength)} mm` : "",
    exif.aperture ? `ƒ/${exif.aperture}` : "",
    exif.shutter ? `${exif.shutter} s` : "",
    exif.iso ? `ISO ${exif.iso}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  // The camera's own clock, without a time zone: shown as written, not converted.
  const taken = exif.takenAt ? new Date(`${exif.takenAt.slice(0, 19)}Z`) : null;
  const when =
    taken && !Number.isNaN(taken.getTime())
      ? `Taken ${taken.toLocaleString(undefined, { timeZone: "UTC", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" })}`
      : "";
  return [gear, exposure, when].filter(Boolean);
}

export class ExifPanel {
  readonly el = h("details", { class: "lb-exif", hidden: true }, h("summary", {}, "Camera details"));
  #body = h("p", {});

  constructor() {
    this.el.append(this.#body);
  }

  show(photo: GalleryPagePhoto): void {
    const lines = photo.exif ? exifLines(photo.exif) : [];
    this.el.hidden = lines.length === 0;
    this.#body.replaceChildren(...lines.flatMap((l, i) => (i ? [h("br"), l] : [l])));
  }
}
