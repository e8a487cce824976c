// "Download all": the whole gallery, one set, or the client's favourites as a zip, at a size the
// gallery allows. A big download comes in numbered parts (each a zip that finishes on its own),
// listed as links so the client can take them one by one and fetch again one that broke.
import type { DownloadMode, GalleryPageData } from "../../worker/contract/galleries";
import { byteSize } from "../../worker/contract/sizes";
import type { ZipPlan } from "../../worker/contract/visitors";
import { h, toast } from "../lib/dom";
import { readResult } from "../lib/result";
import { pinFor, rememberPin } from "./download";

const SIZES: { mode: Exclude<DownloadMode, "off">; label: string }[] = [
  { mode: "web", label: "Web size (for screens and sharing)" },
  { mode: "high_res", label: "High resolution (for prints)" },
  { mode: "original", label: "Original files" },
];
const RANK: Record<DownloadMode, number> = { off: 0, web: 1, high_res: 2, original: 3 };

export interface DownloadAllHooks {
  /** The client's current favourites list, if they have one. */
  favourites(): { id: string; name: string; count: number } | null;
  /** The gallery asks who is downloading first: resolves once they have said. */
  askName(): Promise<void>;
}

export class DownloadAll {
  readonly button: HTMLButtonElement;
  readonly #dialog = h("dialog", { class: "shop-dialog download-dialog" });

  constructor(
    private readonly data: GalleryPageData,
    private readonly hooks: DownloadAllHooks,
  ) {
    this.button = h("button", { type: "button", class: "ghost", onclick: () => this.open() }, "⤓ Download");
    document.body.append(this.#dialog);
  }

  open(): void {
    const { data } = this;
    const fav = this.hooks.favourites();
    const what = h(
      "select",
      { name: "what" },
      h("option", { value: "gallery" }, `All photos (${data.total})`),
      ...data.sets.filter((s) => s.name && s.id).map((s) => h("option", { value: `set:${s.id}` }, `${s.name} (${s.count})`)),
      fav ? h("option", { value: `list:${fav.id}` }, `My favourites: ${fav.name} (${fav.count})`) : null,
    );
    const allowed = SIZES.filter((s) => RANK[s.mode] <= RANK[data.downloads.mode]);
    const size = h("select", { name: "size" }, ...allowed.map((s, i) => h("option", { value: s.mode, selected: i === allowed.length - 1 }, s.label)));
    const pin = data.downloads.pinRequired
      ? h("input", { name: "pin", inputmode: "numeric", maxlength: 8, placeholder: "Download PIN", value: pinFor() ?? "" })
      : null;
    const out = h("div", { class: "download-parts", "aria-live": "polite" });
    const go = h("button", { type: "submit", class: "primary" }, "Prepare download");
    const left = data.myDownloads.left;
    this.#dialog.replaceChildren(
      h("button", { type: "button", class: "close", "aria-label": "Close", onclick: () => this.#dialog.close() }, "×"),
      h("h2", {}, "Download photos"),
      h(
        "form",
        {
          class: "download-form",
          onsubmit: (e) => {
            e.preventDefault();
            void this.#prepare(what.value, size.value, pin?.value.trim() || undefined, out, go);
          },
        },
        h("label", {}, "What ", what),
        h("label", {}, "Size ", size),
        pin ? h("label", {}, "PIN ", pin) : null,
        left !== null ? h("p", { class: "muted" }, `You can download ${left} more photo${left === 1 ? "" : "s"} from this gallery.`) : null,
        go,
      ),
      out,
    );
    this.#dialog.showModal();
  }

  async #prepare(what: string, size: string, pin: string | undefined, out: HTMLElement, go: HTMLButtonElement): Promise<void> {
    const [scope, id] = what.split(":") as ["gallery" | "set" | "list", string | undefined];
    const body = { scope, size, ...(scope === "set" && { setId: id }), ...(scope === "list" && { listId: id }), ...(pin && { pin }) };
    go.disabled = true;
    out.replaceChildren(h("p", { class: "muted" }, "Preparing…"));
    try {
      let res = await this.#post(body);
      if (!res.ok && res.data.error?.code === "name_required") {
        await this.hooks.askName();
        res = await this.#post(body);
      }
      if (!res.ok) {
        out.replaceChildren(h("p", { class: "error" }, res.data.error?.message ?? "The download could not be prepared."));
        return;
      }
      if (pin) rememberPin(pin);
      this.#show(res.data, out);
    } finally {
      go.disabled = false;
    }
  }

  #post(body: unknown) {
    return fetch(`/g/${this.data.galleryId}/zip`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) =>
      readResult<ZipPlan>(r),
    );
  }

  #show(plan: ZipPlan, out: HTMLElement): void {
    const skipped = plan.skipped ? ` ${plan.skipped} photo${plan.skipped === 1 ? " is" : "s are"} not ready at this size yet and left out.` : "";
    const intro =
      plan.parts.length === 1
        ? `${plan.photos} photos, about ${byteSize(plan.bytes)}. Your download is starting.${skipped}`
        : `${plan.photos} photos, about ${byteSize(plan.bytes)}, in ${plan.parts.length} parts: download each one. The links work for 24 hours.${skipped}`;
    out.replaceChildren(
      h("p", {}, intro),
      h(
        "ol",
        { class: "parts" },
        ...plan.parts.map((p) =>
          h("li", {}, h("a", { href: p.url, download: p.filename }, p.filename), h("span", { class: "muted" }, ` ${p.photos} photos, ${byteSize(p.bytes)}`)),
        ),
      ),
    );
    if (plan.parts.length === 1) location.assign(plan.parts[0]!.url);
    else toast(`Your download is ready in ${plan.parts.length} parts.`);
  }
}
