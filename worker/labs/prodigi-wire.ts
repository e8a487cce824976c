// Prodigi Print API v4 as it answers on the wire (recorded sandbox traffic, not only the docs):
// outcomes and enums in PascalCase, optional fields present as null, SKUs upper-cased. Only what
// Loupe reads is checked; the rest passes through.
import { z } from "zod";
import type { LabOrder, LabStage } from "./lab";

const money = z.object({ amount: z.string(), currency: z.string() });

const shipment = z.object({
  id: z.string(),
  status: z.string(),
  carrier: z.object({ name: z.string().nullable(), service: z.string().nullable() }).nullable(),
  tracking: z.object({ number: z.string().nullable(), url: z.string().nullable() }).nullable(),
  dispatchDate: z.string().nullable(),
  items: z.array(z.object({ itemId: z.string() })),
});

export const orderSchema = z.object({
  id: z.string(),
  status: z.object({
    stage: z.string(),
    issues: z.array(z.object({ errorCode: z.string(), description: z.string().nullable() })),
    details: z.record(z.string(), z.string()),
  }),
  shipments: z.array(shipment),
  items: z.array(z.object({ id: z.string(), merchantReference: z.string().nullable() })),
});
export type WireOrder = z.infer<typeof orderSchema>;

export const orderReply = z.object({ outcome: z.string(), order: orderSchema });
export const failureReply = z.object({
  outcome: z.string(),
  failures: z.record(z.string(), z.array(z.object({ code: z.string(), providedValue: z.unknown().optional() }))).optional(),
});

export const quoteReply = z.object({
  outcome: z.string(),
  quotes: z
    .array(
      z.object({
        shipmentMethod: z.string(),
        costSummary: z.object({ items: money, shipping: money }),
        items: z.array(z.object({ sku: z.string(), copies: z.number(), unitCost: money })),
      }),
    )
    .min(1),
});

export const productReply = z.object({
  outcome: z.string(),
  product: z.object({
    sku: z.string(),
    variants: z.array(
      z.object({
        attributes: z.record(z.string(), z.string()),
        printAreaSizes: z.record(z.string(), z.object({ horizontalResolution: z.number(), verticalResolution: z.number() })),
      }),
    ),
  }),
});

/** Prodigi's stage and details in Loupe's words: printing once production starts, shipped once every shipment is. */
function stageOf(o: WireOrder): LabStage {
  const { stage, details } = o.status;
  if (stage === "Cancelled") return "cancelled";
  if (Object.values(details).includes("Error")) return "failed";
  if (stage === "Complete" || (o.shipments.length > 0 && o.shipments.every((s) => s.status === "Shipped"))) return "shipped";
  if (stage === "InProgress" && details.inProduction && details.inProduction !== "NotStarted") return "in_production";
  return "received";
}

export function labOrderOf(o: WireOrder): LabOrder {
  const refOf = new Map(o.items.map((i) => [i.id, i.merchantReference ?? i.id]));
  return {
    labOrderId: o.id,
    stage: stageOf(o),
    labStage: o.status.stage,
    issues: o.status.issues.map((i) => ({ code: i.errorCode, message: i.description ?? i.errorCode })),
    shipments: o.shipments
      .filter((s) => s.status !== "Cancelled")
      .map((s) => ({
        id: s.id,
        carrier: s.carrier?.name ?? "the carrier",
        service: s.carrier?.service ?? null,
        trackingNumber: s.tracking?.number ?? null,
        trackingUrl: s.tracking?.url ?? null,
        shippedAt: s.status === "Shipped" ? s.dispatchDate : null,
        lineRefs: s.items.map((i) => refOf.get(i.itemId) ?? i.itemId),
      })),
  };
}
