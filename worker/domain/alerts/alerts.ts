// Telling the studio: every alert is a row in its notification centre, keyed by what it is about
// (so an event seen twice is one alert), and a mail to its notify address unless the studio turned
// that kind of mail off. Alerts are statements, committed with the change they report.
import { sql } from "drizzle-orm";
import type { AlertKind, AlertMailPrefs } from "../../contract/alerts";
import { alertKinds } from "../../contract/alerts";
import type { TenantDb } from "../../db/tenant-db";
import { notifications, studioProfiles } from "../../db/tenant-schema";
import { LOUPE_BRAND, type MailBody, mailHtml, mailText } from "../mail/html";
import { commitWithMail, type Mail, queueMail } from "../mail/outbox";

export interface Alert {
  /** What the alert is about, e.g. `order:<id>:paid`: the same key is the same alert. */
  key: string;
  kind: AlertKind;
  title: string;
  body: string;
  /** Where in the dashboard it is seen (#/…). */
  link: string;
}

type Profile = typeof studioProfiles.$inferSelect;

export function alertMail(alert: Alert, to: string, studio: Pick<Profile, "name" | "accentColor">, dashboard?: string): Mail {
  const body: MailBody = {
    heading: alert.title,
    paragraphs: [alert.body],
    action: dashboard ? { label: "Open in Loupe", url: `${dashboard}/${alert.link}` } : undefined,
    footer: `${studio.name} on Loupe. Choose which alerts come by mail under Alerts in the dashboard.`,
  };
  const brand = { ...LOUPE_BRAND, name: studio.name, accent: studio.accentColor };
  return { key: `alert:${alert.key}`, kind: "studio_alert", to, subject: alert.title, text: mailText(body), html: mailHtml(brand, body) };
}

/** The alert's row in the notification centre, once per key. */
export const notificationRow = (tdb: TenantDb, alert: Alert) =>
  tdb
    .insert(notifications, { id: alert.key, kind: alert.kind, title: alert.title, body: alert.body, link: alert.link, createdAt: Date.now() })
    .onConflictDoNothing();

/** The statements that record the alert and, if wanted, queue its mail; commit them with the change. */
export async function alertStatements(tdb: TenantDb, alert: Alert, opts: { dashboard?: string; profile?: Profile | null } = {}) {
  const studio = opts.profile === undefined ? await tdb.first(studioProfiles) : opts.profile;
  const out = [notificationRow(tdb, alert)];
  const to = studio?.notifyEmail || studio?.contactEmail;
  if (studio && to && mailPrefs(studio)[alert.kind]) out.push(queueMail(tdb, alertMail(alert, to, studio, opts.dashboard)) as never);
  return out;
}

export async function raiseAlert(tdb: TenantDb, alert: Alert, dashboard?: string): Promise<void> {
  await commitWithMail(tdb, await alertStatements(tdb, alert, { dashboard }));
}

export function mailPrefs(studio: Pick<Profile, "alertMail">): AlertMailPrefs {
  return Object.fromEntries(alertKinds.map((k) => [k, studio.alertMail[k] !== false])) as AlertMailPrefs;
}

const HOUR = 3_600_000;

/**
 * A client's comment counts toward its gallery's alert for the hour: one row, counted up, mailed
 * once as a digest by the scheduled run after the hour (digest.ts).
 */
export function commentAlert(tdb: TenantDb, gallery: { id: string; title: string }, at: number) {
  const hour = Math.floor(at / HOUR);
  return tdb
    .insert(notifications, {
      id: `comments:${gallery.id}:${hour}`,
      kind: "comments",
      title: `New comments in ${gallery.title}`,
      body: `Your clients left 1 new comment in ${gallery.title}.`,
      link: `#/g/${gallery.id}/proofing`,
      createdAt: at,
      mailState: "digest",
    })
    .onConflictDoUpdate({
      target: [notifications.tenantId, notifications.id],
      set: {
        count: sql`${notifications.count} + 1`,
        body: sql`'Your clients left ' || (${notifications.count} + 1) || ' new comments in ' || ${gallery.title} || '.'`,
        readAt: null,
      },
    });
}
