// Print labs as the dashboard and the gallery see them: the studio's lab connection, which lab
// product each price-sheet item is made as (with the lab's cost beside the retail price), and
// where an order's prints are at the lab.
import type { Crop } from "./store";

export const labNames = ["prodigi"] as const;
export type LabName = (typeof labNames)[number];
export const labEnvironments = ["sandbox", "live"] as const;
export type LabEnvironment = (typeof labEnvironments)[number];
export const labTiers = ["budget", "standard", "express", "overnight"] as const;

export interface LabConnectionView {
  lab: LabName;
  environment: LabEnvironment;
  /** The key's last four characters: the key itself is never shown again. */
  keyHint: string;
  /** Paid orders wait for the studio to send them instead of going to the lab at once. */
  holdForReview: boolean;
  tier: (typeof labTiers)[number];
  connectedAt: number;
}
export interface LabConnectionResponse {
  connection: LabConnectionView | null;
}

/** A price-sheet item made by the lab: its SKU and options, what the lab charges, and the pixels it needs. */
export interface LabProductView {
  itemId: string;
  sku: string;
  attributes: Record<string, string>;
  /** The lab's price for one, in minor units of `costCurrency` (the lab's billing currency). */
  unitCost: number;
  costCurrency: string;
  /** The item's retail price less the lab's cost, when both are in one currency. */
  margin: number | null;
  minWidthPx: number;
  minHeightPx: number;
  updatedAt: number;
}
export interface LabProductResponse {
  product: LabProductView;
}
export interface LabProductsResponse {
  products: LabProductView[];
}

/**
 * Where an order's lab prints are: held for the studio's review, queued to send, at the lab, or
 * stopped with the lab's reason (refused) or after every attempt failed (unreachable), both of
 * which the studio can send again.
 */
export const labOrderStatuses = ["held", "queued", "submitted", "in_production", "shipped", "cancelled", "refused", "unreachable"] as const;
export type LabOrderStatus = (typeof labOrderStatuses)[number];

export interface LabShipmentView {
  id: string;
  carrier: string;
  service: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
  lineRefs: string[];
}

export interface LabLineView {
  ref: string;
  itemId: string;
  photoId: string;
  sku: string;
  attributes: Record<string, string>;
  copies: number;
  /** The client's crop; the lab gets the image already cut to it. */
  crop: Crop | null;
}

export interface LabOrderView {
  orderId: string;
  lab: LabName;
  status: LabOrderStatus;
  labOrderId: string | null;
  /** The lab's own word for the stage, beside Loupe's. */
  labStage: string | null;
  lines: LabLineView[];
  /** Why it stopped: the lab's reasons, field by field, or the last error. */
  problem: string | null;
  attempts: number;
  shipments: LabShipmentView[];
  submittedAt: number | null;
  updatedAt: number;
}
export interface LabOrderResponse {
  labOrder: LabOrderView | null;
}
