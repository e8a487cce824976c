// The store as the API shows it: price sheets, carts priced by the server, orders, downloads,
// payments and the mailbox; and the JSON the store's tables keep. Types and constants only.
import type { Page } from "./paging";
import type { Crop, PrintFit } from "./prints";

export type { Crop, PrintFit };

export const productKinds = ["print", "canvas", "metal", "digital", "package"] as const;
export type ProductKind = (typeof productKinds)[number];
/** The kinds that are made and shipped: a size (prints also a paper), a quantity, and shipping. */
export const physicalKinds = ["print", "canvas", "metal"] as const satisfies readonly ProductKind[];
/** The currencies a price sheet can be in: two-decimal ones only (amounts are minor units ÷ 100). */
export const sheetCurrencies = ["usd", "eur", "gbp", "cad", "aud", "nzd", "chf", "sek", "nok", "dkk"] as const;
export const digitalVariants = ["web", "high_res", "original"] as const;
export type DigitalVariant = (typeof digitalVariants)[number];
export const orderStatuses = ["pending", "paid", "fulfilled", "shipped", "completed", "cancelled", "refunded"] as const;
export type OrderStatus = (typeof orderStatuses)[number];
/** The states of an order that has been paid for (and not refunded in full). */
export const paidStatuses = ["paid", "fulfilled", "shipped", "completed"] as const satisfies readonly OrderStatus[];
export const paymentMethods = ["stripe", "offline"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
export const emailKinds = [
  "order_confirmation",
  "downloads_ready",
  "selection_submitted",
  "gallery_invite",
  "gallery_expiring",
  "selection_due",
  "list_reopened",
  "comment_reply",
  "payment_failed",
  "order_shipped",
  "studio_alert",
] as const;
export type EmailKind = (typeof emailKinds)[number];
// held: mail to a client waiting until the studio's email address is confirmed.
export const emailStatuses = ["queued", "held", "sent", "failed"] as const;

export interface CartLine {
  id: string;
  itemId: string;
  /** Prints and single digitals: one photo. Packages: the photos chosen for it. */
  photoIds: string[];
  quantity: number;
  /** Prints: the client's crop; none is the centred crop of the print's shape. */
  crop?: Crop | null;
}

/** A line as it was priced when the order was placed; later price changes do not touch it. */
export interface OrderLine {
  itemId: string;
  kind: ProductKind;
  name: string;
  variant: DigitalVariant | null;
  photoIds: string[];
  quantity: number;
  unitAmount: number;
  amount: number;
  /** Prints: the crop the client chose, sent to the lab with the photo. */
  crop?: Crop | null;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  region?: string;
  country: string;
}

/** Amounts are integer minor units (cents) of `currency`. */
export interface PricedCart {
  currency: string;
  lines: (OrderLine & { id: string; fit?: PrintFit | null })[];
  subtotal: number;
  discount: number;
  discountCode: string | null;
  shipping: number;
  shippingMethod: { id: string; name: string } | null;
  needsShipping: boolean;
  tax: number;
  /** Tax left to Stripe Tax at checkout; `tax` is then 0 here. */
  taxByStripe: boolean;
  total: number;
}

/** A visitor's cart, priced, with the code as they typed it. */
export interface VisitorCart extends PricedCart {
  discountInput: string | null;
}

export interface StoreItem {
  id: string;
  kind: ProductKind;
  name: string;
  size: string | null;
  paper: string | null;
  variant: DigitalVariant | null;
  packageCount: number | null;
  unitAmount: number;
}

export interface ShippingChoice {
  id: string;
  name: string;
  amount: number;
}

/** What a gallery sells, for the client app. `taxRateBps` is null when Stripe Tax decides. */
export interface StoreView {
  currency: string;
  taxRateBps: number | null;
  items: StoreItem[];
  shipping: ShippingChoice[];
}

/** A client's own order, as the gallery shows it. */
export interface VisitorOrder {
  id: string;
  number: number;
  status: OrderStatus;
  currency: string;
  total: number;
  lines: OrderLine[];
  createdAt: number;
  /** Parcels on their way: the lab's shipments, or the studio's own tracking number. */
  tracking: { carrier: string | null; number: string; url: string | null }[];
}

export interface ShopResponse {
  store: StoreView;
  cart: VisitorCart;
  orders: VisitorOrder[];
}
export interface CartResponse {
  cart: VisitorCart;
}

/** An order as the studio sees it. */
export interface OrderView {
  id: string;
  number: number;
  galleryId: string;
  visitorId: string;
  customerName: string;
  customerEmail: string;
  status: OrderStatus;
  paymentMethod: PaymentMethod;
  currency: string;
  lines: OrderLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  refunded: number;
  /** What is left to refund. */
  refundable: number;
  applicationFee: number;
  discountCodeId: string | null;
  discountCode: string | null;
  shippingMethod: string | null;
  shippingAddress: ShippingAddress | null;
  trackingNumber: string | null;
  stripeAccountId: string | null;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  note: string | null;
  paidAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface CheckoutResponse {
  order: OrderView;
  /** Stripe Checkout's page; null for an offline payment. */
  checkoutUrl: string | null;
}
export type OrdersResponse = Page<"orders", OrderView>;
export interface OrderResponse {
  order: OrderView;
}

/** How much of an order's download link is used. */
export interface DownloadsView {
  used: number;
  max: number;
  expiresAt: number;
}
export interface OrderDetailResponse {
  order: OrderView;
  downloads: DownloadsView | null;
}
export interface DownloadsResponse {
  downloads: DownloadsView;
}

export interface PriceItemView extends StoreItem {
  position: number;
}

export interface PriceSheetView {
  id: string;
  name: string;
  currency: string;
  taxRateBps: number;
  stripeTax: boolean;
  createdAt: number;
  updatedAt: number;
  items: PriceItemView[];
  shipping: ShippingChoice[];
}
export interface PriceSheetsResponse {
  priceSheets: PriceSheetView[];
}
export interface PriceSheetResponse {
  priceSheet: PriceSheetView;
}

export interface DiscountView {
  id: string;
  code: string;
  kind: "percent" | "fixed";
  /** percent: basis points (1500 = 15%); fixed: minor units. */
  value: number;
  minSubtotal: number;
  maxUses: number | null;
  uses: number;
  startsAt: number | null;
  endsAt: number | null;
  active: boolean;
  createdAt: number;
}
export type DiscountsResponse = Page<"discounts", DiscountView>;
export interface DiscountResponse {
  discount: DiscountView;
}

export interface MailView {
  id: string;
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  status: (typeof emailStatuses)[number];
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}
export type MailResponse = Page<"mail", MailView>;

/** The studio's plan and its Stripe account for clients' card payments. */
export interface BillingView {
  plan: "free" | "pro" | "studio";
  status: string | null;
  storageAddonBytes: number;
  /** Whether this Loupe sells subscriptions at all. */
  available: boolean;
  /** Loupe's fee on each client card payment, in basis points, for each plan; null while misconfigured (card payments are off). */
  platformFeeBps: Record<"free" | "pro" | "studio", number> | null;
  payments: { accountId: string | null; chargesEnabled: boolean; detailsSubmitted: boolean; cardsAvailable: boolean };
}
export interface BillingResponse {
  billing: BillingView;
}

/** A Stripe page to send the browser to. */
export interface RedirectResponse {
  url: string;
}

/** One kind of mail as the studio's clients (or the studio) would get it today, with sample data. */
export interface MailPreview {
  kind: EmailKind;
  /** Who gets it, in words. */
  audience: string;
  subject: string;
  text: string;
  html: string;
  /** The Reply-To the mail carries: the studio's public contact address on client mail. */
  replyTo: string | null;
}
export interface MailPreviewsResponse {
  previews: MailPreview[];
}
