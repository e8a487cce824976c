// Every mail's HTML body: one branded card (the sender's name, an accent colour, an optional logo)
// built from the same parts as its plain-text twin, so the two never say different things. Every
// value is escaped by hono's html template; links are only ever http(s).
import { html, raw } from "hono/html";

export interface Brand {
  name: string;
  /** #rrggbb */
  accent: string;
  logoUrl?: string | null;
}

export interface MailBody {
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small print under the card. */
  footer?: string;
}

export const LOUPE_BRAND: Brand = { name: "Loupe", accent: "#2f5d50" };

const safeUrl = (u: string) => (/^https?:\/\//i.test(u) ? u : "#");
const safeColour = (c: string) => (/^#[0-9a-f]{6}$/i.test(c) ? c : LOUPE_BRAND.accent);

// A line break inside a paragraph (an order's lines, its totals) stays one in HTML.
const paragraph = (p: string) =>
  `<p style="line-height:1.5">${p
    .split("\n")
    .map((line) => String(html`${line}`))
    .join("<br>")}</p>`;

export function mailHtml(brand: Brand, body: MailBody): string {
  const accent = safeColour(brand.accent);
  const logo = brand.logoUrl ? html`<img src="${safeUrl(brand.logoUrl)}" alt="${brand.name}" height="40" style="display:block;margin:0 0 12px">` : "";
  const action = body.action
    ? html`<p style="margin:24px 0"><a href="${safeUrl(body.action.url)}" style="background:${accent};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${body.action.label}</a></p>
<p style="color:#666;font-size:13px">Or paste this address into your browser: ${safeUrl(body.action.url)}</p>`
    : "";
  return String(html`<!DOCTYPE html><html><body style="margin:0;background:#f4f4f2;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222">
<div style="max-width:560px;margin:0 auto;padding:24px">
<div style="background:#fff;border-radius:8px;padding:28px;border-top:4px solid ${accent}">
${logo}<p style="margin:0 0 4px;color:${accent};font-weight:600">${brand.name}</p>
<h1 style="font-size:20px;margin:0 0 16px">${body.heading}</h1>
${raw(body.paragraphs.map(paragraph).join("\n"))}
${action}
</div>
${body.footer ? html`<p style="color:#888;font-size:12px;padding:12px 4px">${body.footer}</p>` : ""}
</div></body></html>`);
}

/** The plain-text twin of mailHtml. */
export function mailText(body: MailBody): string {
  const parts = [...body.paragraphs];
  if (body.action) parts.push(`${body.action.label}:\n${body.action.url}`);
  if (body.footer) parts.push(`— ${body.footer}`);
  return `${parts.join("\n\n")}\n`;
}

/**
 * A mail written as plain text (paragraphs between blank lines), as a MailBody: the first paragraph
 * that ends in a line holding only a link ("Open it here:\nhttps://…") becomes the button.
 */
export function textMailBody(heading: string, text: string): MailBody {
  const body: MailBody = { heading, paragraphs: [] };
  for (const para of text.trim().split(/\n{2,}/)) {
    const link = /^([\s\S]*?)\n?(https?:\/\/\S+)$/.exec(para.trim());
    if (link && !body.action) {
      const label = link[1]!.trim().replace(/:$/, "");
      if (label) body.paragraphs.push(label);
      body.action = { label: "Open", url: link[2]! };
    } else body.paragraphs.push(para.trim());
  }
  return body;
}
