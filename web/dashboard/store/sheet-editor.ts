// The price sheet editor: a table of items (kind, name, size or file, price) and shipping methods,
// saved whole. Prices are typed in the currency's units and sent in cents; rows removed are
// retired by the server, so past orders keep what they bought.
import {
  type DigitalVariant,
  digitalVariants,
  type PriceSheetResponse,
  type PriceSheetView,
  type ProductKind,
  physicalKinds,
  productKinds,
  type ShippingChoice,
  type StoreItem,
  sheetCurrencies,
} from "../../../worker/contract/store";
import { h, toast } from "../../lib/dom";
import { api, errorOf } from "../api";

// What the editor holds: a sheet as the API sends it, or a new one whose rows have no ids yet and
// only the fields their kind uses.
type Item = Pick<StoreItem, "kind" | "name" | "unitAmount"> & Partial<Pick<StoreItem, "id" | "size" | "paper" | "variant" | "packageCount">>;
type Shipping = Omit<ShippingChoice, "id"> & Partial<Pick<ShippingChoice, "id">>;
export type Sheet = Pick<PriceSheetView, "name" | "currency" | "taxRateBps" | "stripeTax"> &
  Partial<Pick<PriceSheetView, "id">> & { items: Item[]; shipping: Shipping[] };

const PHYSICAL: readonly ProductKind[] = physicalKinds;
export function sheetEditor(host: HTMLElement, base: string, sheet: Sheet, saved: () => Promise<void>): void {
  const rows = h("tbody", {});
  const drawRows = (): void =>
    rows.replaceChildren(
      ...sheet.items.map((item, i) => {
        const cell = (key: keyof Item, attrs: Record<string, string | number | boolean> = {}) =>
          h("input", {
            value: String(item[key] ?? ""),
            ...attrs,
            onchange: (e) => {
              const v = (e.target as HTMLInputElement).value;
              (item as unknown as Record<string, unknown>)[key] = key === "unitAmount" ? Math.round(Number(v) * 100) : key === "packageCount" ? Number(v) : v;
            },
          });
        const physical = PHYSICAL.includes(item.kind);
        return h(
          "tr",
          {},
          h(
            "td",
            {},
            h(
              "select",
              {
                "aria-label": "Kind",
                onchange: (e) => {
                  item.kind = (e.target as HTMLSelectElement).value as ProductKind;
                  drawRows();
                },
              },
              ...productKinds.map((k) => h("option", { value: k, selected: k === item.kind }, k)),
            ),
          ),
          h("td", {}, cell("name", { "aria-label": "Name" })),
          h(
            "td",
            {},
            physical
              ? cell("size", { placeholder: "8×10", "aria-label": "Size" })
              : h(
                  "select",
                  {
                    "aria-label": "File",
                    onchange: (e) => {
                      item.variant = (e.target as HTMLSelectElement).value as DigitalVariant;
                    },
                  },
                  ...digitalVariants.map((v) => h("option", { value: v, selected: v === (item.variant ?? "web") }, v.replace("_", "-"))),
                ),
          ),
          h(
            "td",
            {},
            item.kind === "print"
              ? cell("paper", { placeholder: "Lustre", "aria-label": "Paper" })
              : item.kind === "package"
                ? cell("packageCount", { type: "number", min: 2, "aria-label": "Photos in package" })
                : "",
          ),
          h(
            "td",
            {},
            h("input", {
              type: "number",
              min: 0,
              step: 0.01,
              value: (item.unitAmount / 100).toFixed(2),
              "aria-label": "Price",
              onchange: (e) => {
                item.unitAmount = Math.round(Number((e.target as HTMLInputElement).value) * 100);
              },
            }),
          ),
          h(
            "td",
            {},
            h(
              "button",
              {
                type: "button",
                class: "ghost",
                "aria-label": `Remove ${item.name}`,
                onclick: () => {
                  sheet.items.splice(i, 1);
                  drawRows();
                },
              },
              "×",
            ),
          ),
        );
      }),
    );
  drawRows();
  const ship = h("div", { class: "shipping-rows" });
  const drawShip = (): void =>
    ship.replaceChildren(
      ...sheet.shipping.map((m, i) =>
        h(
          "span",
          { class: "inline-form" },
          h("input", {
            value: m.name,
            "aria-label": "Shipping method",
            onchange: (e) => {
              m.name = (e.target as HTMLInputElement).value;
            },
          }),
          h("input", {
            type: "number",
            min: 0,
            step: 0.01,
            value: (m.amount / 100).toFixed(2),
            "aria-label": "Shipping price",
            onchange: (e) => {
              m.amount = Math.round(Number((e.target as HTMLInputElement).value) * 100);
            },
          }),
          h(
            "button",
            {
              type: "button",
              class: "ghost",
              "aria-label": `Remove ${m.name}`,
              onclick: () => {
                sheet.shipping.splice(i, 1);
                drawShip();
              },
            },
            "×",
          ),
        ),
      ),
    );
  drawShip();
  const name = h("input", { value: sheet.name, "aria-label": "Sheet name", required: true });
  const currency = h(
    "select",
    { "aria-label": "Currency", disabled: !!sheet.id },
    ...sheetCurrencies.map((c) => h("option", { value: c, selected: c === sheet.currency }, c.toUpperCase())),
  );
  const tax = h("input", { type: "number", min: 0, max: 50, step: 0.01, value: (sheet.taxRateBps / 100).toString(), "aria-label": "Tax rate (%)" });
  const stripeTax = h("input", { type: "checkbox", checked: sheet.stripeTax });
  const save = async () => {
    const clean = ({ id, kind, name: n, size, paper, variant, packageCount, unitAmount }: Item) => ({
      ...(id && { id }),
      kind,
      name: n,
      unitAmount,
      ...(PHYSICAL.includes(kind) ? { size: size ?? "" } : { variant: variant ?? "web" }),
      ...(kind === "print" && { paper: paper ?? "" }),
      ...(kind === "package" && { packageCount: packageCount ?? 10 }),
    });
    const payload = {
      name: name.value,
      currency: currency.value,
      taxRateBps: Math.round(Number(tax.value) * 100),
      stripeTax: stripeTax.checked,
      items: sheet.items.map(clean),
      shipping: sheet.shipping,
    };
    const res = await api<PriceSheetResponse>(sheet.id ? "PUT" : "POST", `${base}/price-sheets${sheet.id ? `/${sheet.id}` : ""}`, payload);
    if (!res.ok) return void toast(errorOf(res), "error");
    toast(`Saved "${name.value}". Choose it in a gallery's settings to sell there.`);
    await saved();
  };
  host.replaceChildren(
    h(
      "section",
      { class: "card sheet-editor" },
      h("div", { class: "inline-form" }, name, currency, h("label", {}, "Tax %", tax), h("label", { class: "check" }, stripeTax, " Stripe Tax")),
      h(
        "table",
        { class: "sheet-items" },
        h("thead", {}, h("tr", {}, ...["Kind", "Name", "Size / file", "Paper / photos", "Price", ""].map((t) => h("th", {}, t)))),
        rows,
      ),
      h(
        "p",
        {},
        h(
          "button",
          {
            type: "button",
            onclick: () => {
              sheet.items.push({ kind: "print", name: "", size: "", paper: "", unitAmount: 0 });
              drawRows();
            },
          },
          "Add item",
        ),
      ),
      h("h4", {}, "Shipping"),
      ship,
      h(
        "p",
        {},
        h(
          "button",
          {
            type: "button",
            onclick: () => {
              sheet.shipping.push({ name: "", amount: 0 });
              drawShip();
            },
          },
          "Add shipping method",
        ),
      ),
      h("p", {}, h("button", { type: "button", class: "primary", onclick: () => void save() }, "Save price sheet")),
    ),
  );
}
