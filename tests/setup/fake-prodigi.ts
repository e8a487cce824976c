// A local fake of Prodigi's Print API v4, speaking its recorded wire format (PascalCase outcomes,
// nulls for optional fields, upper-cased SKUs, ord_/ori_/shp_/evt_ ids) so the tests reach no
// network. Orders are remembered by idempotency key forever, as Prodigi does. Test controls:
//   GET  /__requests                       every request, with its X-API-Key and body
//   POST /__fail {path, times, timeout?}    the next calls to a path answer 500 (or never answer)
//   POST /__advance {id, to}                moves an order on (InProduction, Shipped, Cancelled), posts the
//                                          CloudEvents Prodigi would to its callbackUrl and answers them
//                                          as {events: [{url, body}]}, for tests to deliver themselves
// Catalogue: a few SKUs with per-variant print-area pixels, as GET /v4.0/products/{sku} answers.
import { createServer, type IncomingMessage, type Server } from "node:http";

export const PRODIGI_KEYS = ["prodigi-test-key", "prodigi-second-key"];

type Variant = { attributes: Record<string, string>; printAreaSizes: { default: { horizontalResolution: number; verticalResolution: number } } };
const variants = (name: string, values: string[], px: [number, number][]): Variant[] =>
  values.map((v, i) => ({ attributes: { [name]: v }, printAreaSizes: { default: { horizontalResolution: px[i]![0], verticalResolution: px[i]![1] } } }));
export const CATALOGUE: Record<string, { description: string; cost: string; variants: Variant[] }> = {
  "GLOBAL-PHO-8X10": {
    description: "Photo print, 8x10 inches",
    cost: "3.10",
    variants: variants(
      "finish",
      ["lustre", "gloss"],
      [
        [2400, 3000],
        [2400, 3000],
      ],
    ),
  },
  "GLOBAL-FAP-16X24": { description: "Fine art print, 16x24 inches", cost: "18.40", variants: variants("finish", ["matte"], [[4800, 7200]]) },
  "GLOBAL-CAN-24X36": {
    description: "Stretched canvas, 24x36 inches",
    cost: "61.00",
    variants: variants(
      "wrap",
      ["Black", "ImageWrap"],
      [
        [7200, 10800],
        [8145, 11745],
      ],
    ),
  },
};

export interface ProdigiRequest {
  method: string;
  path: string;
  apiKey: string | null;
  body: unknown;
}

const trace = () => `00-${crypto.randomUUID().replaceAll("-", "")}-${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}-00`;
const now = () => new Date().toISOString();
let seq = 1_000_000;
const id = (prefix: string) => `${prefix}_${++seq}`;

interface ItemBody {
  merchantReference?: string | null;
  sku?: string;
  copies?: number;
  sizing?: string;
  attributes?: Record<string, string>;
  assets?: { printArea?: string; url?: string; md5Hash?: string }[];
}
interface OrderBody {
  idempotencyKey?: string;
  merchantReference?: string;
  shippingMethod?: string;
  callbackUrl?: string | null;
  metadata?: unknown;
  recipient?: { name?: string; email?: string | null; address?: Record<string, string | null | undefined> };
  items?: ItemBody[];
}
interface Shipment {
  id: string;
  dispatchDate: string | null;
  carrier: { name: string; service: string };
  fulfillmentLocation: { countryCode: string; labCode: string };
  tracking: { number: string; url: string } | null;
  items: { itemId: string }[];
  status: "Processing" | "Shipped" | "Cancelled";
}
interface Order {
  id: string;
  created: string;
  lastUpdated: string;
  callbackUrl: string | null;
  merchantReference: string | null;
  shippingMethod: string;
  idempotencyKey: string | null;
  status: { stage: string; issues: unknown[]; details: Record<string, string> };
  charges: unknown[];
  shipments: Shipment[];
  recipient: unknown;
  items: { id: string; [k: string]: unknown }[];
  packingSlip: null;
  metadata: unknown;
}

export function startFakeProdigi(port = 0): Promise<{ url: string; server: Server }> {
  const requests: ProdigiRequest[] = [];
  const failures = new Map<string, { times: number; timeout: boolean }>();
  const orders = new Map<string, Order>();
  const byKey = new Map<string, string>();

  function validate(b: OrderBody | undefined): Record<string, { code: string; providedValue: unknown }[]> {
    const failures: Record<string, { code: string; providedValue: unknown }[]> = {};
    const need = (path: string, v: unknown) => {
      if (v === undefined || v === null || v === "") failures[path] = [{ code: "Required", providedValue: v ?? null }];
    };
    need("shippingMethod", b?.shippingMethod);
    need("recipient.name", b?.recipient?.name);
    for (const f of ["line1", "postalOrZipCode", "countryCode", "townOrCity"]) need(`recipient.address.${f}`, b?.recipient?.address?.[f]);
    if (b?.recipient?.address?.countryCode === "US" && b.recipient.address.postalOrZipCode && !/^\d{5}(-\d{4})?$/.test(b.recipient.address.postalOrZipCode)) {
      failures["recipient.address.postalOrZipCode"] = [{ code: "MustBeAValidUSZipCodeFormat", providedValue: b.recipient.address.postalOrZipCode }];
    }
    if (!Array.isArray(b?.items) || b.items.length === 0) failures.items = [{ code: "MustNotBeEmptyArray", providedValue: b?.items ?? null }];
    for (const [i, item] of (Array.isArray(b?.items) ? b!.items! : []).entries()) {
      const product = CATALOGUE[String(item?.sku).toUpperCase()];
      if (!product) failures[`items[${i}].sku`] = [{ code: "NotFound", providedValue: item?.sku ?? null }];
      else if (!product.variants.some((v) => Object.entries(v.attributes).every(([k, val]) => item?.attributes?.[k] === val))) {
        failures[`items[${i}].attributes`] = [{ code: "InvalidAttributes", providedValue: item?.attributes ?? null }];
      }
      if (!["fillPrintArea", "fitPrintArea", "stretchToPrintArea"].includes(item?.sizing ?? ""))
        failures[`items[${i}].sizing`] = [{ code: "InvalidValue", providedValue: item?.sizing ?? null }];
      if (!item?.assets?.[0]?.url) failures[`items[${i}].assets[0].url`] = [{ code: "Required", providedValue: null }];
    }
    return failures;
  }

  /** An order from a body validate() passed. */
  function create(b: Required<Pick<OrderBody, "items" | "recipient" | "shippingMethod">> & OrderBody): Order {
    const items = b.items.map((item) => ({
      id: id("ori"),
      status: "NotYetDownloaded",
      merchantReference: item.merchantReference ?? null,
      sku: String(item.sku).toUpperCase(),
      copies: item.copies,
      sizing: item.sizing,
      thumbnailUrl: null,
      attributes: item.attributes ?? {},
      assets: (item.assets ?? []).map((a) => ({
        id: id("ast"),
        printArea: a.printArea,
        md5Hash: a.md5Hash ?? null,
        url: a.url,
        thumbnailUrl: null,
        status: "InProgress",
      })),
      recipientCost: null,
    }));
    return {
      id: id("ord"),
      created: now(),
      lastUpdated: now(),
      callbackUrl: b.callbackUrl ?? null,
      merchantReference: b.merchantReference ?? null,
      shippingMethod: b.shippingMethod,
      idempotencyKey: b.idempotencyKey ?? null,
      status: {
        stage: "InProgress",
        issues: [],
        details: {
          downloadAssets: "NotStarted",
          printReadyAssetsPrepared: "NotStarted",
          allocateProductionLocation: "NotStarted",
          inProduction: "NotStarted",
          shipping: "NotStarted",
        },
      },
      charges: [],
      shipments: [],
      recipient: {
        name: b.recipient.name,
        email: b.recipient.email ?? null,
        phoneNumber: null,
        address: { line2: null, stateOrCounty: null, ...b.recipient.address },
      },
      items,
      packingSlip: null,
      metadata: b.metadata ?? null,
    };
  }

  async function callback(order: Order, type: string) {
    if (!order.callbackUrl) return;
    const event = {
      specversion: "1.0",
      type,
      source: "https://api.sandbox.prodigi.com/v4.0/Orders/",
      id: id("evt"),
      time: now(),
      datacontenttype: "application/json",
      data: { order },
      subject: order.id,
    };
    // Returned to the test as well: a worker under test in workerd has no address this fake can reach.
    await fetch(order.callbackUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) }).catch(() => undefined);
    return { url: order.callbackUrl, body: JSON.stringify(event) };
  }

  /** The states a test can move an order to, as Prodigi's details and shipments show them. */
  function advance(order: Order, to: string): string[] {
    const d = order.status.details;
    order.lastUpdated = now();
    if (to === "InProduction") {
      Object.assign(d, {
        downloadAssets: "Complete",
        printReadyAssetsPrepared: "Complete",
        allocateProductionLocation: "Complete",
        inProduction: "InProgress",
      });
      order.shipments = [
        {
          id: id("shp"),
          dispatchDate: null,
          carrier: { name: "USPS", service: "USPS Priority Mail" },
          fulfillmentLocation: { countryCode: "US", labCode: "us2" },
          tracking: null,
          items: order.items.map((i) => ({ itemId: i.id })),
          status: "Processing",
        },
      ];
      return ["com.prodigi.order.status.stage.changed#InProgress"];
    }
    if (to === "Shipped") {
      Object.assign(d, {
        downloadAssets: "Complete",
        printReadyAssetsPrepared: "Complete",
        allocateProductionLocation: "Complete",
        inProduction: "Complete",
        shipping: "Complete",
      });
      if (order.shipments.length === 0) advance(order, "InProduction");
      for (const s of order.shipments) {
        s.status = "Shipped";
        s.dispatchDate = now();
        s.tracking = { number: `9400${seq}`, url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=9400${seq}` };
      }
      order.status.stage = "Complete";
      return ["com.prodigi.order.shipments.shipment#Complete", "com.prodigi.order.status.stage.changed#Complete"];
    }
    if (to === "Cancelled") {
      order.status.stage = "Cancelled";
      for (const s of order.shipments) s.status = "Cancelled";
      return ["com.prodigi.order.status.stage.changed#Cancelled"];
    }
    throw new Error(`unknown state ${to}`);
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : undefined;
    const orderBody = body as OrderBody | undefined;
    const send = (status: number, payload: unknown) => {
      const traceParent = trace();
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", traceparent: traceParent });
      res.end(JSON.stringify(payload && typeof payload === "object" && !Array.isArray(payload) ? { ...payload, traceParent } : payload));
    };
    if (url.pathname === "/__requests") return send(200, requests);
    if (url.pathname === "/__fail") {
      failures.set(body.path.toLowerCase(), { times: body.times, timeout: !!body.timeout });
      return send(200, { ok: true });
    }
    if (url.pathname === "/__advance") {
      const order = orders.get(body.id);
      if (!order) return send(404, { outcome: "EntityNotFound" });
      const events = [];
      for (const type of advance(order, body.to)) events.push(await callback(order, type));
      return send(200, { ok: true, events: events.filter(Boolean) });
    }
    const path = url.pathname.toLowerCase();
    requests.push({ method: req.method ?? "GET", path: url.pathname, apiKey: req.headers["x-api-key"]?.toString() ?? null, body });
    const failing = failures.get(path);
    if (failing && failing.times > 0) {
      failing.times--;
      // No answer: the caller's deadline ends it; the connection is dropped later so teardown is not held.
      if (failing.timeout) return void setTimeout(() => res.destroy(), 5_000);
      return send(500, { statusText: "Something went wrong", statusCode: 500, data: {} });
    }
    if (!PRODIGI_KEYS.includes(req.headers["x-api-key"]?.toString() ?? "")) return send(401, { outcome: "NotAuthenticated" });

    const m = /^\/v4\.0\/(orders|quotes|products)(?:\/([\w-]+))?(\/actions\/cancel)?$/.exec(path);
    if (!m) return send(404, { outcome: "EndpointDoesNotExist" });
    const [, what, key, cancel] = m;
    if (what === "orders" && req.method === "POST" && !key) {
      const existing = orderBody?.idempotencyKey ? byKey.get(orderBody.idempotencyKey) : undefined;
      if (existing) return send(200, { outcome: "AlreadyExists", order: orders.get(existing) });
      const failed = validate(orderBody);
      if (Object.keys(failed).length > 0) return send(400, { outcome: "ValidationFailed", failures: failed });
      const order = create(orderBody as Parameters<typeof create>[0]);
      orders.set(order.id, order);
      if (order.idempotencyKey) byKey.set(order.idempotencyKey, order.id);
      return send(200, { outcome: "Created", order });
    }
    const order = key ? [...orders.values()].find((o) => o.id.toLowerCase() === key) : undefined;
    if (what === "orders" && req.method === "GET" && key) return order ? send(200, { outcome: "Ok", order }) : send(404, { outcome: "EntityNotFound" });
    if (what === "orders" && cancel && req.method === "POST") {
      if (!order) return send(404, { outcome: "EntityNotFound" });
      if (order.status.details.inProduction !== "NotStarted" || order.status.stage !== "InProgress") return send(200, { outcome: "FailedToCancel", order });
      advance(order, "Cancelled");
      return send(200, { outcome: "Cancelled", order });
    }
    if (what === "quotes" && req.method === "POST") {
      const items = (orderBody?.items ?? []).map((i) => ({
        id: `qit_${crypto.randomUUID().replaceAll("-", "")}`,
        sku: String(i.sku).toUpperCase(),
        copies: i.copies,
        unitCost: { amount: CATALOGUE[String(i.sku).toUpperCase()]?.cost ?? "0.00", currency: "USD" },
        attributes: i.attributes ?? {},
        assets: [{ printArea: "default" }],
      }));
      const itemsTotal = items.reduce((n, i) => n + Number(i.unitCost.amount) * (i.copies ?? 1), 0);
      const quote = {
        shipmentMethod: orderBody?.shippingMethod ?? "Budget",
        costSummary: { items: { amount: itemsTotal.toFixed(2), currency: "USD" }, shipping: { amount: "7.95", currency: "USD" } },
        shipments: [],
        items,
      };
      return send(200, { outcome: "Created", quotes: [quote] });
    }
    if (what === "products" && req.method === "GET" && key) {
      const sku = key.toUpperCase();
      const product = CATALOGUE[sku];
      if (!product) return send(404, { outcome: "EntityNotFound" });
      return send(200, {
        outcome: "Ok",
        product: { sku, description: product.description, attributes: {}, printAreas: { default: { required: true } }, variants: product.variants },
      });
    }
    return send(405, { outcome: "MethodNotAllowed" });
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`, server });
    }),
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
