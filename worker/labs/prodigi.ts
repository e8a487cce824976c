// Prodigi's Print API v4 behind Loupe's PrintLab. Every call carries the studio's X-API-Key and
// a deadline; a 5xx, a timeout or an answer that is not Prodigi's is "unavailable" (the queue
// sends it again later), a 4xx with failures is "refused" with each field named. An order is
// sent with an idempotency key that Prodigi remembers forever, so a retry after a lost answer
// gets back the order it already made, never a second one.
import type { z } from "zod";
import { type LabOrder, type LabProduct, type LabSubmission, labRefused, labUnavailable, type PrintLab, type ShippingTier } from "./lab";
import { failureReply, labOrderOf, orderReply, productReply, quoteReply } from "./prodigi-wire";

export const PRODIGI_URLS = { sandbox: "https://api.sandbox.prodigi.com", live: "https://api.prodigi.com" } as const;
const TIMEOUT_MS = 15_000;
const TIERS: Record<ShippingTier, string> = { budget: "Budget", standard: "Standard", express: "Express", overnight: "Overnight" };

export interface ProdigiConfig {
  apiKey: string;
  /** The sandbox or live API; tests point it at a local fake. */
  baseUrl: string;
  /** How long a call may take; Prodigi's answers come in well under a second. */
  timeoutMs?: number;
}

export function prodigi(config: ProdigiConfig): PrintLab {
  const call = async <T extends z.ZodTypeAny>(method: string, path: string, schema: T, body?: unknown): Promise<z.infer<T> | null> => {
    let res: Response;
    try {
      res = await fetch(`${config.baseUrl}/v4.0/${path}`, {
        method,
        headers: { "X-API-Key": config.apiKey, ...(body !== undefined && { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (err) {
      const silent = err instanceof Error && err.name === "TimeoutError";
      throw labUnavailable("Prodigi", silent ? `no answer in ${(config.timeoutMs ?? TIMEOUT_MS) / 1000} s` : "no connection");
    }
    const json: unknown = await res.json().catch(() => null);
    if (res.status === 404 && method === "GET") return null;
    // Busy or slow is not a refusal: the same request (and key) goes again later.
    if (res.status >= 500 || [408, 425, 429].includes(res.status) || json === null) throw labUnavailable("Prodigi", `HTTP ${res.status}`);
    const what = path === "Orders" ? "the order" : "the request";
    if (res.status === 401 || res.status === 403) throw labRefused("Prodigi", [{ field: "apiKey", message: "Prodigi does not accept this API key" }], what);
    if (res.status >= 400) {
      const failed = failureReply.safeParse(json);
      const reasons = Object.entries(failed.success ? (failed.data.failures ?? {}) : {}).map(([field, list]) => ({
        field,
        message: list.map((f) => f.code).join(", "),
      }));
      throw labRefused(
        "Prodigi",
        reasons.length > 0 ? reasons : [{ field: "order", message: failed.success ? failed.data.outcome : `HTTP ${res.status}` }],
        what,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw labUnavailable("Prodigi", "an answer Loupe does not understand");
    return parsed.data;
  };

  return {
    async quote(countryCode, tier, products) {
      const reply = await call("POST", "Quotes", quoteReply, {
        shippingMethod: TIERS[tier],
        destinationCountryCode: countryCode,
        items: products.map(({ product, copies }) => ({ sku: product.sku, copies, attributes: product.attributes, assets: [{ printArea: "default" }] })),
      });
      const q = reply!.quotes[0]!;
      return { lines: q.items.map((i) => ({ sku: i.sku, copies: i.copies, unitCost: i.unitCost })), shipping: q.costSummary.shipping };
    },

    async submit(o: LabSubmission) {
      const reply = await call("POST", "Orders", orderReply, {
        idempotencyKey: o.idempotencyKey,
        merchantReference: o.reference,
        shippingMethod: TIERS[o.tier],
        callbackUrl: o.callbackUrl,
        recipient: {
          name: o.recipient.name,
          email: o.recipient.email,
          address: {
            line1: o.recipient.line1,
            line2: o.recipient.line2,
            postalOrZipCode: o.recipient.postalCode,
            countryCode: o.recipient.countryCode,
            townOrCity: o.recipient.city,
            stateOrCounty: o.recipient.state,
          },
        },
        items: o.lines.map((l) => ({
          merchantReference: l.ref,
          sku: l.product.sku,
          copies: l.copies,
          // The image is already cropped to the print's aspect: filling the area trims nothing.
          sizing: "fillPrintArea",
          attributes: l.product.attributes,
          assets: [{ printArea: "default", url: l.imageUrl }],
        })),
      });
      return { order: labOrderOf(reply!.order), duplicate: reply!.outcome.toLowerCase() === "alreadyexists" };
    },

    async order(labOrderId): Promise<LabOrder | null> {
      const reply = await call("GET", `Orders/${encodeURIComponent(labOrderId)}`, orderReply);
      return reply ? labOrderOf(reply.order) : null;
    },

    async cancel(labOrderId) {
      const reply = await call("POST", `Orders/${encodeURIComponent(labOrderId)}/actions/cancel`, orderReply.partial({ order: true }));
      return reply!.outcome.toLowerCase() === "cancelled" ? "cancelled" : "too_late";
    },

    async requirement(product: LabProduct) {
      const reply = await call("GET", `products/${encodeURIComponent(product.sku)}`, productReply);
      if (!reply) throw labRefused("Prodigi", [{ field: "sku", message: `Prodigi has no product ${product.sku}` }], "the product");
      // Sizes differ by variant (a canvas's image wrap needs more pixels than a black edge).
      const variant = reply.product.variants.find((v) =>
        Object.entries(product.attributes).every(([k, val]) => v.attributes[k]?.toLowerCase() === val.toLowerCase()),
      );
      if (!variant) {
        const asked =
          Object.entries(product.attributes)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ") || "no options";
        throw labRefused("Prodigi", [{ field: "attributes", message: `${product.sku} is not made with ${asked}` }], "the product");
      }
      const size = variant.printAreaSizes.default;
      if (!size) throw labRefused("Prodigi", [{ field: "sku", message: `${product.sku} has no print area Loupe can fill` }], "the product");
      return { widthPx: size.horizontalResolution, heightPx: size.verticalResolution };
    },
  };
}
