// Price sheets and discount codes. A sheet is edited as a table (kind, name, size or file, price)
// and saved whole; prices are typed in the currency's units and sent in cents. Rows removed are
// retired by the server, so past orders keep what they bought.
import { h, toast } from "../../lib/dom";
import { api, errorOf } from "../api";

interface Item {
  id?: string;
  kind: string;
  name: string;
  size?: string | null;
  paper?: string | null;
  variant?: string | null;
  packageCount?: number | null;
  unitAmount: number;
}
interface Sheet {
  id?: string;
  name: string;
  currency: string;
  taxRateBps: number;
  stripeTax: boolean;
  items: Item[];
  shipping: { id?: string; name: string; amount: number }[];
}
interface Discount {
  id: string;
  code: string;
  kind: "percent" | "fixed";
  value: number;
  minSubtotal: number;
  maxUses: number | null;
  uses: number;
  endsAt: number | null;
  active: boolean;
}

const CURRENCIES = ["usd", "eur", "gbp", "cad", "aud", "nzd", "chf", "sek", "nok", "dkk"];
const KINDS = ["print", "canvas", "metal", "digital", "package"];
const STARTER: Sheet = {
  name: "Prints and downloads",
  currency: "usd",
  taxRateBps: 0,
  stripeTax: false,
  items: [
    { kind: "print", name: "Print 8×10", size: "8×10", paper: "Lustre", unitAmount: 2500 },
    { kind: "canvas", name: "Canvas 16×20", size: "16×20", unitAmount: 15000 },
    { kind: "digital", name: "High-res download", variant: "high_res", unitAmount: 1500 },
    { kind: "package", name: "10 digital files", variant: "high_res", packageCount: 10, unitAmount: 10000 },
  ],
  shipping: [{ name: "Standard", amount: 900 }],
};

export async function renderPrices(body: HTMLElement, base: string): Promise<void> {
  const [sheets, discounts] = await Promise.all([
    api<{ priceSheets: Sheet[] }>("GET", `${base}/price-sheets`),
    api<{ discounts: Discount[] }>("GET", `${base}/discounts`),
  ]);
  if (!sheets.ok || !discounts.ok) return void body.replaceChildren(h("p", { class: "error" }, errorOf(sheets.ok ? discounts : sheets)));
  const editor = h("div", {});
  const list = sheets.data.priceSheets.map((s) =>
    h(
      "li",
      {},
      h("a", { href: "#", onclick: (e) => (e.preventDefault(), sheetEditor(editor, base, s, () => renderPrices(body, base))) }, s.name),
      h("span", { class: "muted" }, ` · ${s.items.length} items · ${s.currency.toUpperCase()}`),
    ),
  );
  body.replaceChildren(
    h("h3", {}, "Price sheets"),
    list.length ? h("ul", { class: "gallery-list" }, ...list) : h("p", { class: "muted" }, "No price sheet yet."),
    h("button", { type: "button", onclick: () => sheetEditor(editor, base, structuredClone(STARTER), () => renderPrices(body, base)) }, "New price sheet"),
    editor,
    h("h3", {}, "Discount codes"),
    discountsBlock(base, discounts.data.discounts, () => renderPrices(body, base)),
  );
}

function sheetEditor(host: HTMLElement, base: string, sheet: Sheet, saved: () => Promise<void>): void {
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
        const physical = ["print", "canvas", "metal"].includes(item.kind);
        return h(
          "tr",
          {},
          h(
            "td",
            {},
            h(
              "select",
              { "aria-label": "Kind", onchange: (e): void => ((item.kind = (e.target as HTMLSelectElement).value), drawRows()) },
              ...KINDS.map((k) => h("option", { value: k, selected: k === item.kind }, k)),
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
                  { "aria-label": "File", onchange: (e) => (item.variant = (e.target as HTMLSelectElement).value) },
                  ...["web", "high_res", "original"].map((v) => h("option", { value: v, selected: v === (item.variant ?? "web") }, v.replace("_", "-"))),
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
              onchange: (e) => (item.unitAmount = Math.round(Number((e.target as HTMLInputElement).value) * 100)),
            }),
          ),
          h(
            "td",
            {},
            h("button", { type: "button", class: "ghost", "aria-label": `Remove ${item.name}`, onclick: () => (sheet.items.splice(i, 1), drawRows()) }, "×"),
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
          h("input", { value: m.name, "aria-label": "Shipping method", onchange: (e) => (m.name = (e.target as HTMLInputElement).value) }),
          h("input", {
            type: "number",
            min: 0,
            step: 0.01,
            value: (m.amount / 100).toFixed(2),
            "aria-label": "Shipping price",
            onchange: (e) => (m.amount = Math.round(Number((e.target as HTMLInputElement).value) * 100)),
          }),
          h("button", { type: "button", class: "ghost", "aria-label": `Remove ${m.name}`, onclick: () => (sheet.shipping.splice(i, 1), drawShip()) }, "×"),
        ),
      ),
    );
  drawShip();
  const name = h("input", { value: sheet.name, "aria-label": "Sheet name", required: true });
  const currency = h(
    "select",
    { "aria-label": "Currency", disabled: !!sheet.id },
    ...CURRENCIES.map((c) => h("option", { value: c, selected: c === sheet.currency }, c.toUpperCase())),
  );
  const tax = h("input", { type: "number", min: 0, max: 50, step: 0.01, value: (sheet.taxRateBps / 100).toString(), "aria-label": "Tax rate (%)" });
  const stripeTax = h("input", { type: "checkbox", checked: sheet.stripeTax });
  const save = async () => {
    const clean = ({ id, kind, name: n, size, paper, variant, packageCount, unitAmount }: Item) => ({
      ...(id && { id }),
      kind,
      name: n,
      unitAmount,
      ...(["print", "canvas", "metal"].includes(kind) ? { size: size ?? "" } : { variant: variant ?? "web" }),
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
    const res = await api(sheet.id ? "PUT" : "POST", `${base}/price-sheets${sheet.id ? `/${sheet.id}` : ""}`, payload);
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
          { type: "button", onclick: () => (sheet.items.push({ kind: "print", name: "", size: "", paper: "", unitAmount: 0 }), drawRows()) },
          "Add item",
        ),
      ),
      h("h4", {}, "Shipping"),
      ship,
      h("p", {}, h("button", { type: "button", onclick: () => (sheet.shipping.push({ name: "", amount: 0 }), drawShip()) }, "Add shipping method")),
      h("p", {}, h("button", { type: "button", class: "primary", onclick: () => void save() }, "Save price sheet")),
    ),
  );
}

function discountsBlock(base: string, discounts: Discount[], saved: () => Promise<void>): HTMLElement {
  const code = h("input", { name: "code", placeholder: "SPRING15", required: true, "aria-label": "Code" });
  const kind = h("select", { name: "kind", "aria-label": "Kind" }, h("option", { value: "percent" }, "% off"), h("option", { value: "fixed" }, "amount off"));
  const value = h("input", { name: "value", type: "number", min: 0.01, step: 0.01, required: true, placeholder: "15", "aria-label": "Value" });
  const uses = h("input", { name: "maxUses", type: "number", min: 1, placeholder: "Max uses", "aria-label": "Max uses" });
  const ends = h("input", { name: "endsAt", type: "date", "aria-label": "Ends" });
  const form = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await api("POST", `${base}/discounts`, {
          code: code.value,
          kind: kind.value,
          value: Math.round(Number(value.value) * 100),
          ...(uses.value && { maxUses: Number(uses.value) }),
          ...(ends.value && { endsAt: new Date(ends.value).getTime() }),
        });
        if (!res.ok) return void toast(errorOf(res), "error");
        await saved();
      },
    },
    code,
    kind,
    value,
    uses,
    ends,
    h("button", { type: "submit" }, "Add code"),
  );
  const rows = discounts.map((d) =>
    h(
      "li",
      {},
      h("strong", {}, d.code),
      ` · ${d.kind === "percent" ? `${d.value / 100}% off` : `${(d.value / 100).toFixed(2)} off`}`,
      h(
        "span",
        { class: "muted" },
        ` · used ${d.uses}${d.maxUses ? ` of ${d.maxUses}` : ""}${d.endsAt ? ` · until ${new Date(d.endsAt).toLocaleDateString()}` : ""}${d.active ? "" : " · off"}`,
      ),
      " ",
      h(
        "button",
        {
          type: "button",
          class: "ghost",
          onclick: async () => {
            const res = await api("PATCH", `${base}/discounts/${d.id}`, { active: !d.active });
            if (!res.ok) return void toast(errorOf(res), "error");
            await saved();
          },
        },
        d.active ? "Turn off" : "Turn on",
      ),
    ),
  );
  return h("div", {}, rows.length ? h("ul", { class: "gallery-list" }, ...rows) : h("p", { class: "muted" }, "No codes yet."), form);
}
