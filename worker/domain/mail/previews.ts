// Every kind of mail Loupe sends, rendered now with sample data through the same builders and the
// same studio branding as real mail, so the mailbox screen shows what clients will receive.
import type { EmailKind, MailPreview, OrderView } from "../../contract/store";
import type { TenantDb } from "../../db/tenant-db";
import { alertMail } from "../alerts/alerts";
import { getProfile } from "../studios/profile";
import { commentReply, listReopened, selectionDue } from "./client-reminders";
import { asTheStudio } from "./delivery";
import { downloadsReady, galleryExpiring, galleryInvite, orderConfirmation, orderShipped, paymentFailed, selectionSubmitted } from "./messages";
import type { Mail } from "./outbox";

const DAY = 24 * 60 * 60 * 1000;

const SAMPLE_ORDER = {
  id: "ord_sample",
  number: 1042,
  customerName: "Maria Rivera",
  customerEmail: "maria@example.com",
  currency: "usd",
  paymentMethod: "stripe",
  lines: [
    { itemId: "i1", kind: "print", name: "Lustre print 8×10", variant: null, photoIds: ["p1"], quantity: 2, unitAmount: 1500, amount: 3000 },
    { itemId: "i2", kind: "digital", name: "Original file", variant: "original", photoIds: ["p2"], quantity: 1, unitAmount: 2500, amount: 2500 },
  ],
  subtotal: 5500,
  discount: 500,
  shipping: 800,
  tax: 413,
  total: 6213,
} satisfies Pick<
  OrderView,
  "id" | "number" | "customerName" | "customerEmail" | "currency" | "lines" | "subtotal" | "discount" | "shipping" | "tax" | "total" | "paymentMethod"
>;

/**
 * `site` and `dashboard` are where the sample links point; `logoAt` where the logo is read from
 * (the dashboard shows only its own host's images).
 */
export async function mailPreviews(env: Env, tdb: TenantDb, at: { site: string; dashboard: string; logoAt: (file: string) => string }): Promise<MailPreview[]> {
  const profile = await getProfile(tdb);
  const studio = profile.name;
  const gallery = { id: "g_sample", title: "Rivera & Cole — Wedding", expiresAt: Date.now() + 7 * DAY };
  const galleryUrl = `${at.site}/g/${gallery.id}`;
  const samples: [string, Mail][] = [
    ["A client you invite to a gallery", galleryInvite("maria@example.com", studio, gallery, "Maria", `${galleryUrl}/i/sample`, "sample")],
    ["A client who placed an order", orderConfirmation(SAMPLE_ORDER, studio, true)],
    ["A client whose downloads are ready", downloadsReady(SAMPLE_ORDER, studio, `${at.site}/o/sample`, Date.now() + 30 * DAY, 5)],
    ["A client whose card payment failed", paymentFailed(SAMPLE_ORDER)],
    [
      "A client whose prints the lab shipped",
      orderShipped(
        SAMPLE_ORDER,
        studio,
        {
          id: "shp_sample",
          carrier: "USPS",
          trackingNumber: "9400111899223344556677",
          trackingUrl: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223344556677",
        },
        ["2 × Lustre print 8×10"],
        galleryUrl,
      ),
    ],
    ["Clients of a gallery that closes in a week", galleryExpiring("maria@example.com", studio, gallery, galleryUrl)],
    [
      "Clients who have not sent their selection, three days and one day before it is due",
      selectionDue("maria@example.com", "Maria", studio, { ...gallery, dueAt: Date.now() + 3 * DAY, locks: true }, galleryUrl),
    ],
    [
      "A client whose comment you answered",
      commentReply(
        "maria@example.com",
        "Maria",
        studio,
        gallery,
        { id: "c1", authorName: "Sam", text: "Yes, we can warm this one up for the album.", filename: "IMG_4107.jpg" },
        `${galleryUrl}#photo=p1`,
      ),
    ],
    [
      "A client whose selection you reopened",
      listReopened("maria@example.com", "Maria", studio, gallery, { id: "l1", name: "Album picks", reopenedAt: Date.now() }, galleryUrl),
    ],
    [
      "Your studio, when a client sends a selection",
      selectionSubmitted(profile.notifyEmail, gallery, { id: "l1", name: "Album picks", ownerName: "Maria", count: 48, submittedAt: Date.now() }, at.dashboard),
    ],
    [
      "Your studio, for each alert you get by mail",
      alertMail(
        {
          key: "sample",
          kind: "order_paid",
          title: "Order #1042 paid: $62.13",
          body: "Maria Rivera paid for order #1042 in Rivera & Cole — Wedding.",
          link: "#/store/orders",
        },
        profile.notifyEmail,
        profile,
        at.dashboard,
      ),
    ],
  ];
  const out: MailPreview[] = [];
  for (const [audience, mail] of samples) {
    const branded = await asTheStudio(env, tdb, { ...mail, html: mail.html ?? null }, at.logoAt);
    out.push({
      kind: mail.kind as EmailKind,
      audience,
      subject: branded.subject,
      text: branded.text,
      html: branded.html ?? "",
      replyTo: (branded as { replyTo?: string }).replyTo ?? null,
    });
  }
  return out;
}
