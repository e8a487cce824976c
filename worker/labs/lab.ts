// What Loupe asks of a print lab, whichever lab it is: what a print costs, sending an order (safe
// to send again: the lab answers the order it already has), reading it back, cancelling it, and
// the pixels a product needs. Prodigi is the first (prodigi.ts); WHCC's order API fits the same
// shape (its quote is an import never submitted, its status comes only by webhook). Neither lab
// takes a crop: Loupe sends each print's image already cropped to the print's aspect.
import type { LabShipmentView } from "../contract/labs";
import { AppError } from "../lib/errors";

export type ShippingTier = "budget" | "standard" | "express" | "overnight";

/** An amount as the lab states it: a decimal string in the lab's billing currency. */
export interface LabMoney {
  amount: string;
  currency: string;
}

export interface LabAddress {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  state: string | null;
  postalCode: string;
  countryCode: string;
  email: string | null;
}

/** A product in the lab's catalogue, with the options it needs (a canvas's wrap, a print's finish). */
export interface LabProduct {
  sku: string;
  attributes: Record<string, string>;
}

export interface LabLine {
  /** Loupe's own id for the line, echoed in shipments. */
  ref: string;
  product: LabProduct;
  copies: number;
  /** A signed, expiring link to the image, cropped to the print. */
  imageUrl: string;
}

export interface LabSubmission {
  /** The same key for every attempt at one order: the lab creates it once. */
  idempotencyKey: string;
  reference: string;
  recipient: LabAddress;
  tier: ShippingTier;
  lines: LabLine[];
  callbackUrl: string | null;
}

/** Where an order stands at the lab, in Loupe's words; the lab's own word is kept beside it. */
export type LabStage = "received" | "in_production" | "shipped" | "cancelled" | "failed";

/** A parcel as the lab reports it, in the shape the dashboard shows. */
export type LabShipment = LabShipmentView;

export interface LabOrder {
  labOrderId: string;
  stage: LabStage;
  labStage: string;
  issues: { code: string; message: string }[];
  shipments: LabShipment[];
}

export interface LabQuote {
  lines: { sku: string; copies: number; unitCost: LabMoney }[];
  shipping: LabMoney;
}

export interface PrintLab {
  quote(countryCode: string, tier: ShippingTier, products: { product: LabProduct; copies: number }[]): Promise<LabQuote>;
  submit(order: LabSubmission): Promise<{ order: LabOrder; duplicate: boolean }>;
  order(labOrderId: string): Promise<LabOrder | null>;
  /** "too_late" once the lab has started printing. */
  cancel(labOrderId: string): Promise<"cancelled" | "too_late">;
  /** The pixels the product's print area needs, for the options given. */
  requirement(product: LabProduct): Promise<{ widthPx: number; heightPx: number }>;
}

/** The lab could not be reached or failed on its side: the same request may work later. */
export const labUnavailable = (lab: string, why: string) =>
  new AppError("lab_unavailable", `${lab} is not answering just now (${why}); the order will be sent again shortly.`);

/** The lab read the request and said no: sending it again will not help until something changes. */
export const labRefused = (lab: string, reasons: { field: string; message: string }[], what = "the order") =>
  new AppError("lab_refused", `${lab} refused ${what}: ${reasons.map((r) => `${r.field}: ${r.message}`).join("; ")}.`, { details: reasons });
