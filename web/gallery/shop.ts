// The gallery's store, when the studio sells from it: "Buy" on a photo opens what it can be had as
// (prints, canvas, downloads, packages), and the cart prices everything on the server, takes a
// code and a shipping method, and checks out — to Stripe's page, or as an order the studio will
// be paid for offline. Amounts are never computed here; they are shown as the server sends them.
import type { GalleryPagePhoto } from "../../worker/contract/galleries";
import {
  type CartLine,
  type CartResponse,
  type ProductKind,
  physicalKinds,
  type ShopResponse,
  type StoreItem,
  type VisitorCart,
} from "../../worker/contract/store";
import { h, toast } from "../lib/dom";
import { readResult } from "../lib/result";
import { checkoutForm } from "./checkout";
import { cropEditor } from "./print-crop";

/** A cart line as the cart is saved: what and which photos, how many, and a print's crop. */
type LineInput = Pick<CartLine, "itemId" | "photoIds" | "quantity" | "crop">;
const inputOf = (l: LineInput): LineInput => ({ itemId: l.itemId, photoIds: l.photoIds, quantity: l.quantity, ...(l.crop && { crop: l.crop }) });

const PHYSICAL = new Set<ProductKind>(physicalKinds);

export class Shop {
  #s: ShopResponse;
  #button = h("button", { type: "button", class: "cart-button", onclick: () => this.openCart() });
  #dialog = h("dialog", { class: "shop-dialog" });

  private constructor(
    private readonly galleryId: string,
    private readonly photos: GalleryPagePhoto[],
    s: ShopResponse,
  ) {
    this.#s = s;
    document.body.append(this.#dialog);
    this.#dialog.addEventListener("click", (e) => e.target === this.#dialog && this.#dialog.close());
    this.#count();
  }

  /** The store, if this gallery sells anything and the visitor has named themselves. */
  static async open(galleryId: string, photos: GalleryPagePhoto[]): Promise<Shop | null> {
    const res = await fetch(`/g/${galleryId}/store`);
    return res.ok ? new Shop(galleryId, photos, (await res.json()) as ShopResponse) : null;
  }

  get button(): HTMLButtonElement {
    return this.#button;
  }

  #money = (n: number) => new Intl.NumberFormat(undefined, { style: "currency", currency: this.#s.store.currency.toUpperCase() }).format(n / 100);
  #name = (id: string) => this.photos.find((p) => p.id === id)?.filename ?? id;

  /**
   * A print line's crop on its photo; a moved crop is saved and the cart shown anew, with the
   * keyboard still on the crop it was moving.
   */
  #cropOf(l: VisitorCart["lines"][number], i: number): HTMLElement {
    const photo = this.photos.find((p) => p.id === l.photoIds[0]);
    const editor = cropEditor({
      src: photo?.thumb ?? "",
      label: `${l.name}, ${this.#name(l.photoIds[0]!)}`,
      fit: l.fit!,
      crop: l.crop,
      onChange: (crop) => {
        const focused = editor.contains(document.activeElement);
        const next = this.#s.cart.lines.map(inputOf);
        next[i] = { ...next[i]!, crop };
        void this.#save({ lines: next }).then(() => {
          this.openCart();
          if (focused) document.querySelector<HTMLElement>(`.print-crop[data-line="${i}"] .crop-rect`)?.focus();
        });
      },
    });
    editor.dataset.line = String(i);
    return editor;
  }

  #count(): void {
    const n = this.#s.cart.lines.reduce((s, l) => s + l.quantity, 0);
    this.#button.textContent = n ? `Cart (${n}) · ${this.#money(this.#s.cart.total)}` : "Cart";
  }

  async #save(change: { lines?: LineInput[]; discountCode?: string | null; shippingMethodId?: string | null }): Promise<boolean> {
    const c = this.#s.cart;
    const body = {
      lines: change.lines ?? c.lines.map(inputOf),
      discountCode: change.discountCode !== undefined ? change.discountCode : c.discountInput,
      shippingMethodId: change.shippingMethodId !== undefined ? change.shippingMethodId : (c.shippingMethod?.id ?? null),
    };
    const res = await fetch(`/g/${this.galleryId}/cart`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const out = await readResult<CartResponse>(res);
    if (!out.ok) {
      toast(out.data.error?.message ?? "The cart could not be updated.", "error");
      return false;
    }
    this.#s.cart = out.data.cart;
    this.#count();
    return true;
  }

  /** What one photo can be bought as. */
  buy(photoId: string): void {
    const lines = () => this.#s.cart.lines.map(inputOf);
    const add = async (item: StoreItem) => {
      const next = lines();
      const pack =
        item.kind === "package"
          ? next.find((l) => l.itemId === item.id && l.photoIds.length < (item.packageCount ?? 0) && !l.photoIds.includes(photoId))
          : undefined;
      if (pack) pack.photoIds.push(photoId);
      else next.push({ itemId: item.id, photoIds: [photoId], quantity: 1 });
      if (await this.#save({ lines: next }))
        toast(pack ? `Added to your ${item.name} (${pack.photoIds.length} of ${item.packageCount}).` : `${item.name} added to the cart.`);
    };
    const rows = this.#s.store.items.map((item) =>
      h(
        "li",
        {},
        h("span", {}, item.name, item.kind === "package" ? h("span", { class: "muted" }, ` · choose ${item.packageCount} photos`) : ""),
        h("strong", {}, this.#money(item.unitAmount)),
        h("button", { type: "button", onclick: () => void add(item) }, "Add"),
      ),
    );
    this.#show(
      h("h2", {}, `Buy ${this.#name(photoId)}`),
      h("ul", { class: "shop-items" }, ...rows),
      h("p", {}, h("button", { type: "button", class: "primary", onclick: () => this.openCart() }, "Go to cart")),
    );
  }

  openCart(): void {
    const c = this.#s.cart;
    const lines = c.lines.map((l, i) =>
      h(
        "li",
        {},
        h("span", {}, l.name, h("span", { class: "muted" }, ` · ${l.photoIds.map(this.#name).join(", ")}`)),
        PHYSICAL.has(l.kind)
          ? h("input", {
              type: "number",
              min: 1,
              max: 99,
              value: l.quantity,
              "aria-label": `Quantity of ${l.name}`,
              onchange: (e) => {
                const next = c.lines.map(inputOf);
                next[i]!.quantity = Number((e.target as HTMLInputElement).value);
                void this.#save({ lines: next }).then(() => this.openCart());
              },
            })
          : h("span", {}),
        h("strong", {}, this.#money(l.amount)),
        h(
          "button",
          {
            type: "button",
            class: "ghost",
            "aria-label": `Remove ${l.name}`,
            onclick: () => void this.#save({ lines: c.lines.filter((_, j) => j !== i).map(inputOf) }).then(() => this.openCart()),
          },
          "×",
        ),
        l.fit ? this.#cropOf(l, i) : "",
      ),
    );
    const code = h("input", { name: "code", placeholder: "Discount code", value: c.discountInput ?? "", "aria-label": "Discount code" });
    const ship = h(
      "select",
      { name: "shipping", "aria-label": "Shipping", onchange: () => void this.#save({ shippingMethodId: ship.value || null }).then(() => this.openCart()) },
      h("option", { value: "" }, "Choose shipping…"),
      ...this.#s.store.shipping.map((m) => h("option", { value: m.id, selected: m.id === c.shippingMethod?.id }, `${m.name} · ${this.#money(m.amount)}`)),
    );
    const total = (label: string, n: number, cls = "") => h("div", { class: `sum ${cls}` }, h("span", {}, label), h("span", {}, this.#money(n)));
    this.#show(
      h("h2", {}, "Your cart"),
      c.lines.length ? h("ul", { class: "cart-lines" }, ...lines) : h("p", { class: "muted" }, "Nothing yet: open a photo and choose Buy."),
      h(
        "form",
        {
          class: "inline-form",
          onsubmit: (e) => {
            e.preventDefault();
            void this.#save({ discountCode: code.value.trim() || null }).then(() => this.openCart());
          },
        },
        code,
        h("button", { type: "submit" }, "Apply"),
      ),
      c.needsShipping ? ship : "",
      h(
        "div",
        { class: "sums" },
        total("Subtotal", c.subtotal),
        c.discount ? total(`Discount (${c.discountCode})`, -c.discount) : "",
        c.needsShipping ? total("Shipping", c.shipping) : "",
        c.taxByStripe ? h("div", { class: "sum muted" }, "Tax is added at payment.") : total("Tax", c.tax),
        total("Total", c.total, "grand"),
      ),
      c.lines.length
        ? checkoutForm(this.galleryId, c, this.#money, async (order) => {
            await this.#reload();
            this.#show(
              h("h2", {}, `Order #${order.number} placed`),
              h("p", {}, `Thank you! The studio will contact you at ${order.customerEmail} about payment; your files and prints follow once it is paid.`),
              h("p", {}, h("button", { type: "button", class: "primary", onclick: () => this.#dialog.close() }, "Back to the gallery")),
            );
          })
        : "",
      this.#s.orders.length
        ? h(
            "div",
            {},
            h("h3", {}, "Your orders"),
            h(
              "ul",
              { class: "orders" },
              ...this.#s.orders.map((o) =>
                h(
                  "li",
                  {},
                  `#${o.number} · ${o.status} · ${this.#money(o.total)}`,
                  ...o.tracking.map((t) =>
                    h(
                      "span",
                      { class: "tracking" },
                      ` · ${t.carrier ?? "Tracking"} `,
                      t.url ? h("a", { href: t.url, target: "_blank", rel: "noopener" }, t.number) : t.number,
                    ),
                  ),
                ),
              ),
            ),
          )
        : "",
    );
  }

  async #reload(): Promise<void> {
    const res = await fetch(`/g/${this.galleryId}/store`);
    if (res.ok) this.#s = (await res.json()) as ShopResponse;
    this.#count();
  }

  #show(...children: (Node | string)[]): void {
    this.#dialog.replaceChildren(
      h("button", { type: "button", class: "ghost close", "aria-label": "Close", onclick: () => this.#dialog.close() }, "×"),
      ...children,
    );
    if (!this.#dialog.open) this.#dialog.showModal();
  }
}
