// Downloads from the client gallery: the largest size the gallery allows, through a signed link
// the server makes; a PIN, when the studio set one, is asked for once per page and shared with
// "Download all".
import type { DownloadLink, DownloadRules } from "../../worker/contract/galleries";
import { toast } from "../lib/dom";
import { readResult } from "../lib/result";

let downloadPin: string | undefined;

export const pinFor = () => downloadPin;
export const rememberPin = (pin: string) => {
  downloadPin = pin;
};

/** The largest size the gallery allows, through a signed link; a PIN is asked for once. */
export async function download(galleryId: string, rules: DownloadRules, photoId: string): Promise<void> {
  const size = rules.mode === "off" ? null : rules.mode;
  if (!size) return;
  if (rules.pinRequired && !downloadPin) downloadPin = prompt("Download PIN from the studio")?.trim() || undefined;
  const res = await fetch(`/media/${galleryId}/${photoId}/download`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ size, ...(downloadPin ? { pin: downloadPin } : {}) }),
  });
  const out = await readResult<DownloadLink>(res);
  if (!out.ok) {
    if (out.data.error?.code === "pin_required") downloadPin = undefined;
    toast(out.data.error?.message ?? "The download could not start.", "error");
    return;
  }
  location.assign(out.data.url);
}
