// Tenant isolation: every route of the app is listed here, and every route that touches a
// studio's data is called with studio A's session against studio B's host and ids. A new route
// joins by adding one line; the first test fails until it does.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { DomainsResponse } from "../../worker/contract/domains";
import type { MembersResponse, MessagesResponse, StaffInvitesResponse } from "../../worker/contract/studios";
import { fixture, galleriesPath, newGallery, settled, startUpload, uploadOriginal } from "../helpers/galleries";
import { APP_HOST, CookieJar, call, freshIp, json, PASSWORD, signUp, studioHost } from "../helpers/http";
import { corruptJpeg } from "../helpers/jpeg";
import { registeredRoutes } from "../helpers/routes";

interface Media {
  gallery: string;
  spareGallery: string;
  set: string;
  photo: string;
  sparePhoto: string;
  failedPhoto: string;
  upload: string;
  download: string;
  invite: string;
  sheet: string;
  /** The sheet's print, made by the lab. */
  sheetPrint: string;
  discount: string;
  order: string;
  spareOrder: string;
  /** A paid print order whose lab share is held for the studio's review. */
  labOrder: string;
  /** The signed download page of a paid order: /o/<token>. */
  orderLink: string;
  /** A "download all" part link: /zip/<token>. */
  zipLink: string;
}

interface World {
  a: Awaited<ReturnType<typeof signUp>>;
  b: Awaited<ReturnType<typeof signUp>>;
  aStaffId: string;
  aInviteId: string;
  bInviteId: string;
  aMessageId: string;
  bMessageId: string;
  am: Media;
  bm: Media;
  /** A's sheet as A saves it back. */
  ownSheet?: unknown;
}

type Req = { method: string; path: string; body?: unknown; raw?: Uint8Array; host?: string; allowed?: number[] };
interface TenantRoute {
  /** Requests made with A's session aimed at B: B's ids on the app host, or B's host. */
  attack: (w: World) => Req[];
  /** The same request on A's own studio: proves the route works, so a 404 above means isolation. */
  own: (w: World) => Req;
  ownStatus: number;
}

// Routes that need no studio context: public, or scoped to the caller alone.
const NOT_TENANT_SCOPED = new Set([
  "GET /app/healthz",
  "GET /app/readyz",
  "GET /app/assets/*",
  "GET /studio/healthz",
  "GET /studio/readyz",
  "GET /studio/assets/*",
  "GET /root/healthz",
  "GET /root/readyz",
  "GET /root/assets/*",
  "GET /app/favicon.ico",
  "GET /studio/favicon.ico",
  "GET /root/favicon.ico",
  "GET /root",
  "GET /app",
  "GET /studio", // a studio's public home page, resolved from the host alone (tested below)
  "POST /app/api/auth/signup",
  "POST /app/api/auth/login",
  "POST /app/api/auth/refresh",
  "POST /app/api/auth/logout",
  "POST /app/api/auth/invites/accept",
  "GET /app/api/me", // the caller's own memberships (tested below: B never appears)
  // One account's own links, named by a secret token or the session, never a studio
  // (tests/api/account-links.test.ts).
  "POST /app/api/me/verification",
  "GET /app/api/me/security",
  "POST /app/api/me/password",
  "POST /app/api/me/email",
  "GET /app/api/me/sessions",
  "POST /app/api/me/sessions/end-others",
  "DELETE /app/api/me/sessions/:sessionId", // another account's session id is not found (account-settings.test.ts)
  "POST /app/api/me/two-factor/setup",
  "POST /app/api/me/two-factor/enable",
  "POST /app/api/me/two-factor/disable",
  "POST /app/api/auth/login/second-factor",
  "POST /app/api/auth/password/forgot",
  "POST /app/api/auth/password/reset",
  "POST /app/api/auth/email/confirm",
  "GET /app/forgot",
  "GET /app/reset",
  "GET /app/verify",
  "GET /app/invite", // names the studio only for a live invite token (team.test.ts)
  // Studio-host client routes are public by design for public galleries; they are in
  // CROSS_HOST below, which tries them with B's ids on A's host.
  "POST /studio/g/:galleryId/access",
  "GET /studio/media/:galleryId/:photoId/:file{(thumb|preview)\\.jpg}",
  "POST /studio/media/:galleryId/:photoId/download",
  "GET /studio/dl/:token",
  "POST /studio/g/:galleryId/zip",
  "GET /studio/zip/:token",
  "GET /studio/g/:galleryId",
  "GET /studio/g/:galleryId/photos",
  "POST /studio/g/:galleryId/room-token",
  "GET /studio/g/:galleryId/room",
  "GET /studio/g/:galleryId/i/:token", // in CROSS_HOST below
  "GET /studio/brand/:file", // only the host's own studio's current files (branding.test.ts tries another's)
  "POST /studio/contact", // writes only to the host's own studio (tests/api/contact.test.ts checks B never sees it)
  // The client store and order downloads: in CROSS_HOST below.
  "GET /studio/g/:galleryId/store",
  "PUT /studio/g/:galleryId/cart",
  "POST /studio/g/:galleryId/checkout",
  "GET /studio/o/:token",
  "GET /studio/o/:token/all.zip",
  "POST /studio/o/:token/zip",
  "GET /studio/o/:token/zip/:key/:n{[0-9]+}",
  "GET /studio/o/:token/f/:n{[0-9]+}",
  // Signed by Stripe, not a session: the event's account picks the studio (tests/store/stripe.test.ts
  // checks one account's events never touch another studio).
  "POST /app/webhooks/stripe",
  "POST /app/webhooks/stripe/connect",
  // Named by a token Loupe signed for one lab order, never a session: tests/labs/callbacks.test.ts
  // posts one studio's event to another's address, and shows a link dies with its order.
  "POST /app/webhooks/labs/prodigi/:token",
  "GET /app/lab/images/:token",
]);

const A_DOMAIN = "photos.alpha-matrix.test";
const B_DOMAIN = "photos.bravo-matrix.test";
const studioPath = (id: string, rest = "") => `/api/studios/${id}${rest}`;
const gal = (w: World, who: "a" | "b", rest = "", gallery?: string) =>
  studioPath(w[who].studio.id, `/galleries${gallery === undefined ? "" : `/${gallery}`}${rest}`);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]);

/** A gallery route attacked three ways: B's studio, B's gallery under A's studio, B's photo in A's gallery. */
function galleryAttacks(method: string, rest: (m: Media) => string, extra: Partial<Req> = {}) {
  return (w: World): Req[] => [
    { method, path: gal(w, "b", rest(w.bm), w.bm.gallery), ...extra },
    { method, path: gal(w, "a", rest(w.bm), w.bm.gallery), ...extra },
    ...(rest(w.bm) !== rest(w.am) ? [{ method, path: gal(w, "a", rest(w.bm), w.am.gallery), ...extra }] : []),
  ];
}

const G = "/app/api/studios/:studioId/galleries";
const P = `${G}/:galleryId/photos/:photoId`;

const TENANT_ROUTES: Record<string, TenantRoute> = {
  [`GET ${G}`]: {
    attack: (w) => [{ method: "GET", path: gal(w, "b") }],
    own: (w) => ({ method: "GET", path: gal(w, "a") }),
    ownStatus: 200,
  },
  [`POST ${G}`]: {
    attack: (w) => [{ method: "POST", path: gal(w, "b"), body: { title: "Planted" } }],
    own: (w) => ({ method: "POST", path: gal(w, "a"), body: { title: "Mine" } }),
    ownStatus: 201,
  },
  [`GET ${G}/:galleryId`]: {
    attack: galleryAttacks("GET", () => ""),
    own: (w) => ({ method: "GET", path: gal(w, "a", "", w.am.gallery) }),
    ownStatus: 200,
  },
  [`PATCH ${G}/:galleryId`]: {
    attack: galleryAttacks("PATCH", () => "", { body: { title: "Defaced" } }),
    own: (w) => ({ method: "PATCH", path: gal(w, "a", "", w.am.gallery), body: { description: "Ours" } }),
    ownStatus: 200,
  },
  [`DELETE ${G}/:galleryId`]: {
    attack: galleryAttacks("DELETE", () => ""),
    own: (w) => ({ method: "DELETE", path: gal(w, "a", "", w.am.spareGallery) }),
    ownStatus: 204,
  },
  [`PUT ${G}/:galleryId/watermark/logo`]: {
    attack: galleryAttacks("PUT", () => "/watermark/logo", { raw: JPEG }),
    own: (w) => ({ method: "PUT", path: gal(w, "a", "/watermark/logo", w.am.gallery), raw: JPEG }),
    ownStatus: 422, // reached the domain: four bytes are not a whole image
  },
  [`POST ${G}/:galleryId/sets`]: {
    attack: galleryAttacks("POST", () => "/sets", { body: { name: "Planted" } }),
    own: (w) => ({ method: "POST", path: gal(w, "a", "/sets", w.am.gallery), body: { name: "Portraits" } }),
    ownStatus: 201,
  },
  [`PATCH ${G}/:galleryId/sets/:setId`]: {
    attack: galleryAttacks("PATCH", (m) => `/sets/${m.set}`, { body: { name: "Renamed" } }),
    own: (w) => ({ method: "PATCH", path: gal(w, "a", `/sets/${w.am.set}`, w.am.gallery), body: { name: "Vows" } }),
    ownStatus: 200,
  },
  [`DELETE ${G}/:galleryId/sets/:setId`]: {
    attack: galleryAttacks("DELETE", (m) => `/sets/${m.set}`),
    own: (w) => ({ method: "DELETE", path: gal(w, "a", `/sets/${w.am.set}`, w.am.gallery) }),
    ownStatus: 204,
  },
  [`POST ${G}/:galleryId/photos/order`]: {
    attack: (w) => [
      ...galleryAttacks("POST", () => "/photos/order", { body: { photoIds: [w.bm.photo] } })(w),
      // B's photo id in A's own gallery: refused as not A's (400, echoing only the caller's input).
      { method: "POST", path: gal(w, "a", "/photos/order", w.am.gallery), body: { photoIds: [w.bm.photo] }, allowed: [400] },
    ],
    own: (w) => ({ method: "POST", path: gal(w, "a", "/photos/order", w.am.gallery), body: { photoIds: [w.am.photo] } }),
    ownStatus: 204,
  },
  [`POST ${G}/:galleryId/photos/sort`]: {
    attack: galleryAttacks("POST", () => "/photos/sort", { body: { by: "filename" } }),
    own: (w) => ({ method: "POST", path: gal(w, "a", "/photos/sort", w.am.gallery), body: { by: "filename" } }),
    ownStatus: 204,
  },
  [`GET ${G}/:galleryId/photos`]: {
    attack: (w) => [
      ...galleryAttacks("GET", () => "/photos")(w),
      // B's photo by id in A's own gallery: an empty page, nothing of B's.
      { method: "GET", path: gal(w, "a", `/photos?ids=${w.bm.photo}`, w.am.gallery), allowed: [200] },
    ],
    own: (w) => ({ method: "GET", path: gal(w, "a", "/photos", w.am.gallery) }),
    ownStatus: 200,
  },
  [`POST ${G}/:galleryId/photos`]: {
    attack: galleryAttacks("POST", () => "/photos", { body: { filename: "x.jpg", size: 1000 } }),
    own: (w) => ({ method: "POST", path: gal(w, "a", "/photos", w.am.gallery), body: { filename: "x.jpg", size: 1000 } }),
    ownStatus: 201,
  },
  [`PUT ${P}/master`]: {
    attack: galleryAttacks("PUT", (m) => `/photos/${m.photo}/master`, { raw: JPEG }),
    own: (w) => ({ method: "PUT", path: gal(w, "a", `/photos/${w.am.photo}/master`, w.am.gallery), raw: JPEG }),
    ownStatus: 422, // reached the domain: four bytes are not a whole JPEG
  },
  [`GET ${P}/original/parts`]: {
    attack: galleryAttacks("GET", (m) => `/photos/${m.upload}/original/parts`),
    own: (w) => ({ method: "GET", path: gal(w, "a", `/photos/${w.am.upload}/original/parts`, w.am.gallery) }),
    ownStatus: 200,
  },
  [`PUT ${P}/original/parts/:partNumber`]: {
    attack: galleryAttacks("PUT", (m) => `/photos/${m.upload}/original/parts/1`, { raw: JPEG }),
    own: (w) => ({ method: "PUT", path: gal(w, "a", `/photos/${w.am.upload}/original/parts/1`, w.am.gallery), raw: JPEG }),
    ownStatus: 400, // reached the domain: the part has the wrong size
  },
  [`POST ${P}/original/complete`]: {
    attack: galleryAttacks("POST", (m) => `/photos/${m.upload}/original/complete`),
    own: (w) => ({ method: "POST", path: gal(w, "a", `/photos/${w.am.upload}/original/complete`, w.am.gallery) }),
    ownStatus: 409, // reached the domain: parts are missing
  },
  [`PATCH ${P}`]: {
    attack: galleryAttacks("PATCH", (m) => `/photos/${m.photo}`, { body: { position: 99 } }),
    own: (w) => ({ method: "PATCH", path: gal(w, "a", `/photos/${w.am.photo}`, w.am.gallery), body: { position: 1 } }),
    ownStatus: 200,
  },
  [`DELETE ${P}`]: {
    attack: galleryAttacks("DELETE", (m) => `/photos/${m.photo}`),
    own: (w) => ({ method: "DELETE", path: gal(w, "a", `/photos/${w.am.sparePhoto}`, w.am.gallery) }),
    ownStatus: 204,
  },
  [`POST ${P}/retry`]: {
    attack: galleryAttacks("POST", (m) => `/photos/${m.failedPhoto}/retry`),
    own: (w) => ({ method: "POST", path: gal(w, "a", `/photos/${w.am.failedPhoto}/retry`, w.am.gallery) }),
    ownStatus: 200,
  },
  [`GET ${P}/:file{(thumb|preview)\\.jpg}`]: {
    attack: galleryAttacks("GET", (m) => `/photos/${m.photo}/preview.jpg`),
    own: (w) => ({ method: "GET", path: gal(w, "a", `/photos/${w.am.photo}/preview.jpg`, w.am.gallery) }),
    ownStatus: 200,
  },
  [`POST ${G}/:galleryId/room-token`]: {
    attack: galleryAttacks("POST", () => "/room-token"),
    own: (w) => ({ method: "POST", path: gal(w, "a", "/room-token", w.am.gallery) }),
    ownStatus: 200,
  },
  [`GET ${G}/:galleryId/room`]: {
    attack: galleryAttacks("GET", () => "/room"),
    own: (w) => ({ method: "GET", path: gal(w, "a", "/room", w.am.gallery) }),
    ownStatus: 426, // reached past the gallery check: a plain GET is not a WebSocket
  },
  [`POST ${G}/:galleryId/invites`]: {
    attack: galleryAttacks("POST", () => "/invites", { body: { name: "Mole" } }),
    own: (w) => ({ method: "POST", path: gal(w, "a", "/invites", w.am.gallery), body: { name: "Client" } }),
    ownStatus: 201,
  },
  [`GET ${G}/:galleryId/selections`]: {
    attack: galleryAttacks("GET", () => "/selections"),
    own: (w) => ({ method: "GET", path: gal(w, "a", "/selections", w.am.gallery) }),
    ownStatus: 200,
  },
  [`GET ${G}/:galleryId/selections.csv`]: {
    attack: galleryAttacks("GET", () => "/selections.csv"),
    own: (w) => ({ method: "GET", path: gal(w, "a", "/selections.csv", w.am.gallery) }),
    ownStatus: 200,
  },
  [`GET ${G}/:galleryId/visitors`]: {
    attack: galleryAttacks("GET", () => "/visitors"),
    own: (w) => ({ method: "GET", path: gal(w, "a", "/visitors", w.am.gallery) }),
    ownStatus: 200,
  },
  [`GET ${G}/:galleryId/downloads`]: {
    attack: galleryAttacks("GET", () => "/downloads"),
    own: (w) => ({ method: "GET", path: gal(w, "a", "/downloads", w.am.gallery) }),
    ownStatus: 200,
  },
  [`GET ${G}/:galleryId/activity`]: {
    attack: galleryAttacks("GET", () => "/activity"),
    own: (w) => ({ method: "GET", path: gal(w, "a", "/activity", w.am.gallery) }),
    ownStatus: 200,
  },
  "GET /app/api/studios/:studioId/notifications": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/notifications") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/notifications") }),
    ownStatus: 200,
  },
  "POST /app/api/studios/:studioId/notifications/read": {
    attack: (w) => [
      { method: "POST", path: studioPath(w.b.studio.id, "/notifications/read"), body: { all: true } },
      // B's alert id under A's studio matches none of A's rows.
      { method: "POST", path: studioPath(w.a.studio.id, "/notifications/read"), body: { ids: [`msg:${w.bMessageId}`] }, allowed: [204] },
    ],
    own: (w) => ({ method: "POST", path: studioPath(w.a.studio.id, "/notifications/read"), body: { all: true } }),
    ownStatus: 204,
  },
  "GET /app/api/studios/:studioId/domains": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/domains") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/domains") }),
    ownStatus: 200,
  },
  "POST /app/api/studios/:studioId/domains": {
    attack: (w) => [{ method: "POST", path: studioPath(w.b.studio.id, "/domains"), body: { hostname: "www.taken-from-alpha.test" } }],
    own: (w) => ({ method: "POST", path: studioPath(w.a.studio.id, "/domains"), body: { hostname: "www.alpha-second.test" } }),
    ownStatus: 201,
  },
  "POST /app/api/studios/:studioId/domains/:hostname/refresh": {
    attack: (w) => [
      { method: "POST", path: studioPath(w.b.studio.id, `/domains/${B_DOMAIN}/refresh`) },
      { method: "POST", path: studioPath(w.a.studio.id, `/domains/${B_DOMAIN}/refresh`) },
    ],
    own: (w) => ({ method: "POST", path: studioPath(w.a.studio.id, `/domains/${A_DOMAIN}/refresh`) }),
    ownStatus: 200,
  },
  // After refresh: its positive control removes A's domain.
  "DELETE /app/api/studios/:studioId/domains/:hostname": {
    attack: (w) => [
      { method: "DELETE", path: studioPath(w.b.studio.id, `/domains/${B_DOMAIN}`) },
      { method: "DELETE", path: studioPath(w.a.studio.id, `/domains/${B_DOMAIN}`) },
    ],
    own: (w) => ({ method: "DELETE", path: studioPath(w.a.studio.id, `/domains/${A_DOMAIN}`) }),
    ownStatus: 204,
  },
  "PUT /app/api/studios/:studioId/brand/:kind": {
    attack: (w) => [{ method: "PUT", path: studioPath(w.b.studio.id, "/brand/logo"), raw: fixture("logo.png") }],
    own: (w) => ({ method: "PUT", path: studioPath(w.a.studio.id, "/brand/logo"), raw: fixture("logo.png") }),
    ownStatus: 200,
  },
  // After PUT: A has a logo by now.
  "GET /app/api/studios/:studioId/brand/:kind": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/brand/logo") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/brand/logo") }),
    ownStatus: 200,
  },
  "DELETE /app/api/studios/:studioId/brand/:kind": {
    attack: (w) => [{ method: "DELETE", path: studioPath(w.b.studio.id, "/brand/logo") }],
    own: (w) => ({ method: "DELETE", path: studioPath(w.a.studio.id, "/brand/cover") }),
    ownStatus: 200,
  },
  "GET /app/api/studios/:studioId/gallery-defaults": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/gallery-defaults") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/gallery-defaults") }),
    ownStatus: 200,
  },
  "PUT /app/api/studios/:studioId/gallery-defaults": {
    attack: (w) => [{ method: "PUT", path: studioPath(w.b.studio.id, "/gallery-defaults"), body: { downloadMode: "original" } }],
    own: (w) => ({ method: "PUT", path: studioPath(w.a.studio.id, "/gallery-defaults"), body: { expiresInDays: null } }),
    ownStatus: 200,
  },
  "GET /app/api/studios/:studioId/storage": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/storage") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/storage") }),
    ownStatus: 200,
  },
  "GET /app/api/studios/:studioId/alert-mail": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/alert-mail") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/alert-mail") }),
    ownStatus: 200,
  },
  "PUT /app/api/studios/:studioId/alert-mail": {
    attack: (w) => [{ method: "PUT", path: studioPath(w.b.studio.id, "/alert-mail"), body: { comments: false } }],
    own: (w) => ({ method: "PUT", path: studioPath(w.a.studio.id, "/alert-mail"), body: { comments: true } }),
    ownStatus: 200,
  },
  "GET /app/api/studios/:studioId/messages": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/messages") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/messages") }),
    ownStatus: 200,
  },
  "POST /app/api/studios/:studioId/messages/:messageId/read": {
    attack: (w) => [
      { method: "POST", path: studioPath(w.b.studio.id, "/messages/msg_x/read") },
      { method: "POST", path: studioPath(w.a.studio.id, `/messages/${w.bMessageId}/read`) },
    ],
    own: (w) => ({ method: "POST", path: studioPath(w.a.studio.id, `/messages/${w.aMessageId}/read`) }),
    ownStatus: 204,
  },
  "POST /app/api/studios/:studioId/messages/read": {
    attack: (w) => [
      { method: "POST", path: studioPath(w.b.studio.id, "/messages/read"), body: { ids: [w.bMessageId] } },
      // B's id under A's studio matches none of A's rows: nothing to mark, nothing said about B.
      { method: "POST", path: studioPath(w.a.studio.id, "/messages/read"), body: { ids: [w.bMessageId] }, allowed: [204] },
    ],
    own: (w) => ({ method: "POST", path: studioPath(w.a.studio.id, "/messages/read"), body: { ids: [w.aMessageId] } }),
    ownStatus: 204,
  },
  "GET /app/api/studios/:studioId": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id) }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id) }),
    ownStatus: 200,
  },
  "PATCH /app/api/studios/:studioId": {
    attack: (w) => [{ method: "PATCH", path: studioPath(w.b.studio.id), body: { name: "Defaced" } }],
    own: (w) => ({ method: "PATCH", path: studioPath(w.a.studio.id), body: { tagline: "Weddings" } }),
    ownStatus: 200,
  },
  "GET /app/api/studios/:studioId/members": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/members") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/members") }),
    ownStatus: 200,
  },
  "POST /app/api/studios/:studioId/invites": {
    attack: (w) => [{ method: "POST", path: studioPath(w.b.studio.id, "/invites"), body: { email: "mole@example.test" } }],
    own: (w) => ({ method: "POST", path: studioPath(w.a.studio.id, "/invites"), body: { email: "new@example.test" } }),
    ownStatus: 201,
  },
  "GET /app/api/studios/:studioId/invites": {
    attack: (w) => [{ method: "GET", path: studioPath(w.b.studio.id, "/invites") }],
    own: (w) => ({ method: "GET", path: studioPath(w.a.studio.id, "/invites") }),
    ownStatus: 200,
  },
  "DELETE /app/api/studios/:studioId/invites/:inviteId": {
    attack: (w) => [
      { method: "DELETE", path: studioPath(w.b.studio.id, `/invites/${w.bInviteId}`) },
      { method: "DELETE", path: studioPath(w.a.studio.id, `/invites/${w.bInviteId}`) },
    ],
    own: (w) => ({ method: "DELETE", path: studioPath(w.a.studio.id, `/invites/${w.aInviteId}`) }),
    ownStatus: 204,
  },
  "PATCH /app/api/studios/:studioId/members/:accountId": {
    attack: (w) => [
      { method: "PATCH", path: studioPath(w.b.studio.id, `/members/${w.b.account.id}`), body: { role: "staff" } },
      { method: "PATCH", path: studioPath(w.a.studio.id, `/members/${w.b.account.id}`), body: { role: "owner" } },
    ],
    own: (w) => ({ method: "PATCH", path: studioPath(w.a.studio.id, `/members/${w.aStaffId}`), body: { role: "staff" } }),
    ownStatus: 204,
  },
  "DELETE /app/api/studios/:studioId/members/:accountId": {
    attack: (w) => [
      { method: "DELETE", path: studioPath(w.b.studio.id, `/members/${w.b.account.id}`) },
      { method: "DELETE", path: studioPath(w.a.studio.id, `/members/${w.b.account.id}`) },
    ],
    own: (w) => ({ method: "DELETE", path: studioPath(w.a.studio.id, `/members/${w.aStaffId}`) }),
    ownStatus: 204,
  },
};

const S = "/app/api/studios/:studioId/store";
const store = (w: World, who: "a" | "b", rest: string) => studioPath(w[who].studio.id, `/store${rest}`);
/** A store route attacked two ways: B's studio, and B's id under A's studio. */
function storeAttacks(method: string, rest: (m: Media) => string, extra: Partial<Req> = {}) {
  return (w: World): Req[] => [
    { method, path: store(w, "b", rest(w.bm)), ...extra },
    ...(rest(w.bm) !== rest(w.am) ? [{ method, path: store(w, "a", rest(w.bm)), ...extra }] : []),
  ];
}
const MATRIX_SHEET = {
  name: "Digitals and prints",
  currency: "usd",
  items: [
    { kind: "digital", name: "Web", variant: "web", unitAmount: 500 },
    { kind: "print", name: "Print 8×10", size: "8×10", paper: "Lustre", unitAmount: 1500 },
  ],
  shipping: [{ name: "Post", amount: 500 }],
};
const LAB_KEY = { lab: "prodigi", environment: "sandbox", apiKey: "prodigi-test-key" };
const LAB_PRODUCT = { sku: "GLOBAL-PHO-8X10", attributes: { finish: "lustre" } };
/** The sheet as A edits it: the same item ids, so the lab mapping stays on the print. */
const ownSheet = async (w: World) => {
  const { priceSheet } = await json(await call("GET", store(w, "a", `/price-sheets/${w.am.sheet}`), { jar: w.a.jar }));
  return {
    ...MATRIX_SHEET,
    name: "Renamed",
    items: priceSheet.items.map(({ position: _p, ...i }: Record<string, unknown>) => Object.fromEntries(Object.entries(i).filter(([, v]) => v !== null))),
    shipping: priceSheet.shipping,
  };
};
// Own requests run in this order and follow one order through its life (a 409 still proves the
// route reached A's own order).
const STORE_ROUTES: Record<string, TenantRoute> = {
  [`GET ${S}/price-sheets`]: {
    attack: storeAttacks("GET", () => "/price-sheets"),
    own: (w) => ({ method: "GET", path: store(w, "a", "/price-sheets") }),
    ownStatus: 200,
  },
  [`POST ${S}/price-sheets`]: {
    attack: storeAttacks("POST", () => "/price-sheets", { body: MATRIX_SHEET }),
    own: (w) => ({ method: "POST", path: store(w, "a", "/price-sheets"), body: MATRIX_SHEET }),
    ownStatus: 201,
  },
  [`GET ${S}/price-sheets/:sheetId`]: {
    attack: storeAttacks("GET", (m) => `/price-sheets/${m.sheet}`),
    own: (w) => ({ method: "GET", path: store(w, "a", `/price-sheets/${w.am.sheet}`) }),
    ownStatus: 200,
  },
  [`PUT ${S}/price-sheets/:sheetId`]: {
    attack: storeAttacks("PUT", (m) => `/price-sheets/${m.sheet}`, { body: MATRIX_SHEET }),
    own: (w) => ({ method: "PUT", path: store(w, "a", `/price-sheets/${w.am.sheet}`), body: w.ownSheet }),
    ownStatus: 200,
  },
  [`GET ${S}/discounts`]: {
    attack: storeAttacks("GET", () => "/discounts"),
    own: (w) => ({ method: "GET", path: store(w, "a", "/discounts") }),
    ownStatus: 200,
  },
  [`POST ${S}/discounts`]: {
    attack: storeAttacks("POST", () => "/discounts", { body: { code: "PLANTED", kind: "percent", value: 10_000 } }),
    own: (w) => ({ method: "POST", path: store(w, "a", "/discounts"), body: { code: "OWN5", kind: "fixed", value: 500 } }),
    ownStatus: 201,
  },
  [`PATCH ${S}/discounts/:discountId`]: {
    attack: storeAttacks("PATCH", (m) => `/discounts/${m.discount}`, { body: { active: false } }),
    own: (w) => ({ method: "PATCH", path: store(w, "a", `/discounts/${w.am.discount}`), body: { maxUses: 50 } }),
    ownStatus: 200,
  },
  [`GET ${S}/orders`]: { attack: storeAttacks("GET", () => "/orders"), own: (w) => ({ method: "GET", path: store(w, "a", "/orders") }), ownStatus: 200 },
  [`GET ${S}/orders/:orderId`]: {
    attack: storeAttacks("GET", (m) => `/orders/${m.order}`),
    own: (w) => ({ method: "GET", path: store(w, "a", `/orders/${w.am.order}`) }),
    ownStatus: 200,
  },
  [`POST ${S}/orders/:orderId/mark-paid`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.order}/mark-paid`),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.order}/mark-paid`) }),
    ownStatus: 200,
  },
  [`POST ${S}/orders/:orderId/fulfil`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.order}/fulfil`),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.order}/fulfil`) }),
    ownStatus: 200,
  },
  [`POST ${S}/orders/:orderId/ship`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.order}/ship`, { body: { trackingNumber: "X1" } }),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.order}/ship`), body: { trackingNumber: "X1" } }),
    ownStatus: 409, // downloads only: nothing to ship
  },
  [`POST ${S}/orders/:orderId/complete`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.order}/complete`),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.order}/complete`) }),
    ownStatus: 200,
  },
  [`POST ${S}/orders/:orderId/refund`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.order}/refund`, { body: { amount: 100 } }),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.order}/refund`), body: { amount: 100 } }),
    ownStatus: 200,
  },
  [`POST ${S}/orders/:orderId/downloads/renew`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.order}/downloads/renew`),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.order}/downloads/renew`) }),
    ownStatus: 200,
  },
  [`POST ${S}/orders/:orderId/cancel`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.spareOrder}/cancel`),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.spareOrder}/cancel`) }),
    ownStatus: 200,
  },
  [`GET ${S}/payments`]: { attack: storeAttacks("GET", () => "/payments"), own: (w) => ({ method: "GET", path: store(w, "a", "/payments") }), ownStatus: 200 },
  [`POST ${S}/payments/connect`]: {
    attack: storeAttacks("POST", () => "/payments/connect"),
    own: (w) => ({ method: "POST", path: store(w, "a", "/payments/connect") }),
    ownStatus: 200,
  },
  [`POST ${S}/billing/checkout`]: {
    attack: storeAttacks("POST", () => "/billing/checkout", { body: { plan: "pro" } }),
    own: (w) => ({ method: "POST", path: store(w, "a", "/billing/checkout"), body: { plan: "pro" } }),
    ownStatus: 200,
  },
  [`GET ${S}/mail`]: { attack: storeAttacks("GET", () => "/mail"), own: (w) => ({ method: "GET", path: store(w, "a", "/mail") }), ownStatus: 200 },
  [`GET ${S}/mail/previews`]: {
    attack: storeAttacks("GET", () => "/mail/previews"),
    own: (w) => ({ method: "GET", path: store(w, "a", "/mail/previews") }),
    ownStatus: 200,
  },
  [`GET ${S}/lab`]: { attack: storeAttacks("GET", () => "/lab"), own: (w) => ({ method: "GET", path: store(w, "a", "/lab") }), ownStatus: 200 },
  [`PUT ${S}/lab`]: {
    attack: storeAttacks("PUT", () => "/lab", { body: { ...LAB_KEY, apiKey: "prodigi-second-key" } }),
    own: (w) => ({ method: "PUT", path: store(w, "a", "/lab"), body: { ...LAB_KEY, holdForReview: true } }),
    ownStatus: 200,
  },
  [`PATCH ${S}/lab`]: {
    attack: storeAttacks("PATCH", () => "/lab", { body: { holdForReview: false } }),
    own: (w) => ({ method: "PATCH", path: store(w, "a", "/lab"), body: { tier: "budget" } }),
    ownStatus: 200,
  },
  [`GET ${S}/price-sheets/:sheetId/lab-products`]: {
    attack: storeAttacks("GET", (m) => `/price-sheets/${m.sheet}/lab-products`),
    own: (w) => ({ method: "GET", path: store(w, "a", `/price-sheets/${w.am.sheet}/lab-products`) }),
    ownStatus: 200,
  },
  [`PUT ${S}/price-sheets/:sheetId/items/:itemId/lab`]: {
    attack: storeAttacks("PUT", (m) => `/price-sheets/${m.sheet}/items/${m.sheetPrint}/lab`, { body: LAB_PRODUCT }),
    own: (w) => ({ method: "PUT", path: store(w, "a", `/price-sheets/${w.am.sheet}/items/${w.am.sheetPrint}/lab`), body: LAB_PRODUCT }),
    ownStatus: 200,
  },
  [`GET ${S}/orders/:orderId/lab`]: {
    attack: storeAttacks("GET", (m) => `/orders/${m.labOrder}/lab`),
    own: (w) => ({ method: "GET", path: store(w, "a", `/orders/${w.am.labOrder}/lab`) }),
    ownStatus: 200,
  },
  [`POST ${S}/orders/:orderId/lab/cancel`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.labOrder}/lab/cancel`),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.labOrder}/lab/cancel`) }),
    ownStatus: 200, // A's held order: cancelled before it went to the lab
  },
  [`POST ${S}/orders/:orderId/lab/send`]: {
    attack: storeAttacks("POST", (m) => `/orders/${m.labOrder}/lab/send`, { body: {} }),
    own: (w) => ({ method: "POST", path: store(w, "a", `/orders/${w.am.labOrder}/lab/send`), body: {} }),
    ownStatus: 409, // reached A's order, cancelled just above: a cancelled lab order is not sent
  },
  [`DELETE ${S}/price-sheets/:sheetId/items/:itemId/lab`]: {
    attack: storeAttacks("DELETE", (m) => `/price-sheets/${m.sheet}/items/${m.sheetPrint}/lab`),
    own: (w) => ({ method: "DELETE", path: store(w, "a", `/price-sheets/${w.am.sheet}/items/${w.am.sheetPrint}/lab`) }),
    ownStatus: 204,
  },
  [`DELETE ${S}/lab`]: { attack: storeAttacks("DELETE", () => "/lab"), own: (w) => ({ method: "DELETE", path: store(w, "a", "/lab") }), ownStatus: 204 },
};

let w: World;

async function media(o: World["a"]): Promise<Media> {
  const gallery = (await newGallery(o, { visibility: "public", sets: ["Ceremony"], downloads: { mode: "original" } })).id;
  const spareGallery = (await newGallery(o, { title: "Spare" })).id;
  const set = (await json(await call("GET", `${galleriesPath(o)}/${gallery}`, { jar: o.jar }))).gallery.sets[0].id;
  const photo = await uploadOriginal(o, gallery, "photo.jpg", fixture("camera.jpg"));
  const sparePhoto = await uploadOriginal(o, gallery, "spare.jpg", fixture("camera.jpg"));
  const failedPhoto = await uploadOriginal(o, gallery, "broken.jpg", corruptJpeg(fixture("camera.jpg")));
  await settled(o, gallery, photo);
  await settled(o, gallery, failedPhoto);
  const upload = (await json(await startUpload(o, gallery, "pending.jpg", 20_000_000))).photo.id;
  const host = studioHost(o.studio.slug);
  const download = (await json(await call("POST", `/media/${gallery}/${photo}/download`, { host, body: { size: "original" } }))).url;
  const inviteUrl = (await json(await call("POST", studioPath(o.studio.id, `/galleries/${gallery}/invites`), { jar: o.jar, body: { name: "Client" } }))).invite
    .url as string;
  const store = (rest: string, body?: unknown) => call("POST", studioPath(o.studio.id, `/store${rest}`), { jar: o.jar, body });
  const sheet = (await json(await store("/price-sheets", MATRIX_SHEET))).priceSheet;
  await call("PATCH", `${galleriesPath(o)}/${gallery}`, { jar: o.jar, body: { priceSheetId: sheet.id } });
  const discount = (await json(await store("/discounts", { code: "MATRIX10", kind: "percent", value: 1000 }))).discount.id as string;
  // A client's orders: two pending, one paid (its download link comes by mail).
  const shopper = new CookieJar();
  await call("POST", `/g/${gallery}/access`, { host, jar: shopper, ip: freshIp(), body: { name: "Shopper" } });
  const order = async () => {
    await call("PUT", `/g/${gallery}/cart`, { host, jar: shopper, body: { lines: [{ itemId: sheet.items[0].id, photoIds: [photo] }] } });
    return (
      await json(await call("POST", `/g/${gallery}/checkout`, { host, jar: shopper, ip: freshIp(), body: { name: "Shopper", email: "shopper@example.test" } }))
    ).order.id as string;
  };
  const [pending, spareOrder, paid] = [await order(), await order(), await order()];
  await store(`/orders/${paid}/mark-paid`);
  // A print order whose lab share waits for review: the studio's lab connected, its print mapped.
  const print = sheet.items.find((i: { kind: string }) => i.kind === "print").id as string;
  await call("PUT", studioPath(o.studio.id, "/store/lab"), { jar: o.jar, body: { ...LAB_KEY, holdForReview: true } });
  await call("PUT", studioPath(o.studio.id, `/store/price-sheets/${sheet.id}/items/${print}/lab`), { jar: o.jar, body: LAB_PRODUCT });
  await call("PUT", `/g/${gallery}/cart`, {
    host,
    jar: shopper,
    body: { lines: [{ itemId: print, photoIds: [photo] }], shippingMethodId: sheet.shipping[0].id },
  });
  const shipTo = { name: "Shopper", line1: "1 Main St", city: "Portland", postalCode: "04101", country: "US" };
  const placed = await call("POST", `/g/${gallery}/checkout`, {
    host,
    jar: shopper,
    ip: freshIp(),
    body: { name: "Shopper", email: "shopper@example.test", shippingAddress: shipTo },
  });
  const labOrder = (await json(placed)).order.id as string;
  expect((await store(`/orders/${labOrder}/mark-paid`)).status).toBe(200);
  const mail = (await json(await call("GET", studioPath(o.studio.id, "/store/mail"), { jar: o.jar }))).mail as { kind: string; text: string }[];
  const orderLink = new URL(/http\S+\/o\/\S+/.exec(mail.find((m) => m.kind === "downloads_ready")!.text)![0]).pathname;
  const zip = await call("POST", `/g/${gallery}/zip`, { host, jar: shopper, ip: freshIp(), body: { scope: "gallery", size: "original" } });
  expect(zip.status, await zip.clone().text()).toBe(201);
  const zipLink = (await json(zip)).parts[0].url as string;
  return {
    gallery,
    spareGallery,
    set,
    photo,
    sparePhoto,
    failedPhoto,
    upload,
    download,
    invite: inviteUrl.split("/").pop()!,
    sheet: sheet.id,
    sheetPrint: print,
    discount,
    order: pending,
    spareOrder,
    labOrder,
    orderLink,
    zipLink,
  };
}

/** A message through the studio's website, as its owner then sees it. */
async function message(owner: World["a"]) {
  const host = studioHost(owner.studio.slug);
  await call("POST", "/contact", { host, ip: freshIp(), body: { name: "Visitor", email: "visitor@example.test", message: "Hello" } });
  return (await json(await call("GET", studioPath(owner.studio.id, "/messages"), { jar: owner.jar }))).messages[0].id as string;
}

async function invite(owner: World["a"], email: string) {
  const res = await call("POST", studioPath(owner.studio.id, "/invites"), { jar: owner.jar, body: { email } });
  return (await json(res)).invite as { id: string; token: string };
}

beforeAll(async () => {
  const a = await signUp("alpha-studio", { name: "Alpha Photography" });
  const b = await signUp("bravo-studio", { name: "Bravo Weddings" });
  // A staff member in A, for the positive control of member removal; pending invites in both.
  const inv = await invite(a, "staff@alpha.test");
  const staff = await json(
    await call("POST", "/api/auth/invites/accept", {
      ip: freshIp(),
      body: { token: inv.token, password: PASSWORD, name: "Alpha Staff" },
    }),
  );
  if (!staff.account) throw new Error(`invite accept failed: ${JSON.stringify(staff)}`);
  w = {
    a,
    b,
    aStaffId: staff.account.id,
    aInviteId: (await invite(a, "later@alpha.test")).id,
    bInviteId: (await invite(b, "later@bravo.test")).id,
    am: await media(a),
    bm: await media(b),
    aMessageId: await message(a),
    bMessageId: await message(b),
  };
  for (const [who, hostname] of [
    [a, A_DOMAIN],
    [b, B_DOMAIN],
  ] as const) {
    const added = await call("POST", `/api/studios/${who.studio.id}/domains`, { jar: who.jar, body: { hostname } });
    if (added.status !== 201) throw new Error(`adding ${hostname} failed: ${await added.text()}`);
  }
  w.ownSheet = await ownSheet(w);
  // Two studios, their galleries, photos and orders: more than the default 10 s on a busy machine.
}, 60_000);

function send(req: Req, host: string, jar?: CookieJar) {
  return req.raw
    ? call(req.method, req.path, { host, jar, rawBody: req.raw, headers: { "content-type": "image/jpeg" } })
    : call(req.method, req.path, { host, jar, body: req.body });
}

function leaks(text: string): string[] {
  const secrets = [
    w.b.studio.id,
    w.b.studio.slug,
    w.b.studio.name,
    w.b.email,
    w.b.account.id,
    w.bInviteId,
    w.bMessageId,
    "later@bravo.test",
    B_DOMAIN,
    w.bm.gallery,
    w.bm.photo,
    w.bm.set,
    w.bm.sheet,
    w.bm.discount,
    w.bm.order,
    w.bm.spareOrder,
  ];
  return secrets.filter((s) => text.includes(s));
}

describe("tenant isolation matrix", () => {
  it("classifies every registered route", () => {
    const unclassified = registeredRoutes().filter((r) => !NOT_TENANT_SCOPED.has(r) && !(r in TENANT_ROUTES) && !(r in STORE_ROUTES));
    expect(unclassified, "add these routes to the matrix").toEqual([]);
    const stale = [...NOT_TENANT_SCOPED, ...Object.keys(TENANT_ROUTES), ...Object.keys(STORE_ROUTES)].filter((r) => !registeredRoutes().includes(r));
    expect(stale, "routes listed here that no longer exist").toEqual([]);
  });

  it("puts the two studios on different shards", () => {
    expect(w.a.studio.shard).not.toBe(w.b.studio.shard);
  });

  for (const [route, spec] of Object.entries({ ...TENANT_ROUTES, ...STORE_ROUTES })) {
    it(`${route}: A's session gets 404/403 for B's studio and ids, on every host, and leaks nothing`, async () => {
      for (const req of spec.attack(w)) {
        const host = req.host ?? APP_HOST;
        const res = await send(req, host, w.a.jar.clone());
        const text = await res.text();
        expect(req.allowed ?? [403, 404], `${req.method} ${host}${req.path} → ${res.status} ${text}`).toContain(res.status);
        expect(leaks(text), `${req.method} ${host}${req.path} leaked`).toEqual([]);
      }
      // B is untouched: its profile and members are as they were.
      const bView = await json(await call("GET", `/api/studios/${w.b.studio.id}`, { jar: w.b.jar }));
      expect(bView.studio.profile.name).toBe("Bravo Weddings");
      const bMembers = await json<MembersResponse>(await call("GET", `/api/studios/${w.b.studio.id}/members`, { jar: w.b.jar }));
      expect(bMembers.members.map((m) => m.email)).toEqual([w.b.email]);
      const bInvites = await json<StaffInvitesResponse>(await call("GET", `/api/studios/${w.b.studio.id}/invites`, { jar: w.b.jar }));
      expect(bInvites.invites.map((i) => i.id)).toEqual([w.bInviteId]);
      const bInbox = await json<MessagesResponse>(await call("GET", `/api/studios/${w.b.studio.id}/messages`, { jar: w.b.jar }));
      expect(bInbox.messages.find((m) => m.id === w.bMessageId)?.readAt, "B's message was marked read from A").toBeNull();
      const bDomains = await json<DomainsResponse>(await call("GET", `/api/studios/${w.b.studio.id}/domains`, { jar: w.b.jar }));
      expect(bDomains.domains.map((d) => d.hostname)).toEqual([B_DOMAIN]);

      const own = spec.own(w);
      const res = await send(own, own.host ?? APP_HOST, w.a.jar.clone());
      expect(res.status, `${own.method} ${own.path} on A's own studio`).toBe(spec.ownStatus);
    });
  }

  it("without a session every studio route answers 401 and leaks nothing", async () => {
    for (const spec of Object.values({ ...TENANT_ROUTES, ...STORE_ROUTES })) {
      for (const req of spec.attack(w)) {
        const res = await call(req.method, req.path, { body: req.body });
        const text = await res.text();
        expect(res.status, `${req.method} ${req.path}`).toBe(401);
        expect(leaks(text)).toEqual([]);
      }
    }
    // Some 200 requests: on a busy 2-core CI machine this took 52 s of the default 60.
  }, 180_000);

  it("studio-host routes: B's gallery, photos and download links are 404 on A's host", async () => {
    const aHost = studioHost(w.a.studio.slug);
    const bHost = studioHost(w.b.studio.slug);
    const CROSS_HOST: Req[] = [
      { method: "POST", path: `/g/${w.bm.gallery}/access`, body: {} },
      { method: "GET", path: `/g/${w.bm.gallery}` },
      { method: "GET", path: `/media/${w.bm.gallery}/${w.bm.photo}/thumb.jpg` },
      { method: "GET", path: `/media/${w.bm.gallery}/${w.bm.photo}/preview.jpg` },
      { method: "GET", path: `/media/${w.am.gallery}/${w.bm.photo}/preview.jpg` },
      { method: "POST", path: `/media/${w.bm.gallery}/${w.bm.photo}/download`, body: { size: "original" } },
      { method: "GET", path: w.bm.download },
      { method: "POST", path: `/g/${w.bm.gallery}/zip`, body: { scope: "gallery", size: "original" } },
      { method: "GET", path: w.bm.zipLink },
      { method: "POST", path: `/g/${w.bm.gallery}/room-token` },
      { method: "GET", path: `/g/${w.bm.gallery}/room` },
      { method: "GET", path: `/g/${w.bm.gallery}/i/${w.bm.invite}` },
      { method: "GET", path: `/g/${w.bm.gallery}/store` },
      { method: "PUT", path: `/g/${w.bm.gallery}/cart`, body: { lines: [] } },
      { method: "POST", path: `/g/${w.bm.gallery}/checkout`, body: { name: "Shopper", email: "shopper@example.test" } },
      { method: "GET", path: w.bm.orderLink },
      { method: "GET", path: `${w.bm.orderLink}/all.zip` },
      { method: "POST", path: `${w.bm.orderLink}/zip` },
      { method: "GET", path: `${w.bm.orderLink}/zip/any-key/1` },
      { method: "GET", path: `${w.bm.orderLink}/f/0` },
      { method: "GET", path: `/g/${w.bm.gallery}/photos?set=none` },
      // B's photo by id in A's gallery: A's gallery answers, with none of B's photos.
      { method: "GET", path: `/g/${w.am.gallery}/photos?ids=${w.bm.photo}`, allowed: [200] },
    ];
    for (const req of CROSS_HOST) {
      const res = await send(req, aHost, w.a.jar.clone());
      const text = await res.text();
      expect(req.allowed ?? [404], `${req.method} ${req.path} on A's host → ${text}`).toContain(res.status);
      expect(leaks(text)).toEqual([]);
      if (res.status === 200) expect(JSON.parse(text).photos).toEqual([]);
    }
    // The same requests on B's own host work: the 404s above are isolation, not broken routes.
    expect((await send(CROSS_HOST[1]!, bHost)).status).toBe(200);
    expect((await send(CROSS_HOST[5]!, bHost)).status).toBe(200);
    expect((await send({ method: "GET", path: `/media/${w.am.gallery}/${w.am.photo}/preview.jpg` }, aHost)).status).toBe(200);
    expect((await send({ method: "GET", path: w.bm.orderLink }, bHost)).status).toBe(200);
  });

  it("GET /api/me lists only the caller's studios", async () => {
    const me = await call("GET", "/api/me", { jar: w.a.jar.clone() });
    const text = await me.text();
    expect(me.status).toBe(200);
    expect(text).toContain(w.a.studio.id);
    expect(leaks(text)).toEqual([]);
  });

  it("a studio's home page shows that studio only, and A's session changes nothing on B's host", async () => {
    const aHome = await (await call("GET", "/", { host: studioHost(w.a.studio.slug), jar: w.a.jar.clone() })).text();
    expect(aHome).toContain("Alpha Photography");
    expect(leaks(aHome)).toEqual([]);
    const bHome = await call("GET", "/", { host: studioHost(w.b.studio.slug), jar: w.a.jar.clone() });
    expect(bHome.status).toBe(200);
    const bText = await bHome.text();
    expect(bText).toContain("Bravo Weddings");
    expect(bText).not.toContain("Alpha Photography");
  });

  it("the dashboard API does not exist on studio hosts, even for the studio's own session", async () => {
    for (const spec of Object.values({ ...TENANT_ROUTES, ...STORE_ROUTES })) {
      const own = spec.own(w);
      if (own.host) continue;
      const res = await call(own.method, own.path, { host: studioHost(w.a.studio.slug), jar: w.a.jar.clone(), body: own.body });
      expect(res.status, `${own.method} ${own.path}`).toBe(404);
    }
  });

  it("an unknown host gets a 404 page and no studio's data", async () => {
    for (const host of ["nosuch.localhost:8787", "evil.example.com", "a.b.localhost:8787"]) {
      const res = await call("GET", "/", { host, headers: { accept: "text/html" } });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      const text = await res.text();
      expect(text).toContain("No studio lives at");
      expect(leaks(text)).toEqual([]);
      expect(text).not.toContain("Alpha Photography");
    }
  });
});

describe("roles inside a studio", () => {
  it("staff can read but not manage the studio", async () => {
    const owner = await signUp("roles-studio");
    const inv = await json(await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: owner.jar, body: { email: "helper@roles.test" } }));
    const staffJar = new CookieJar();
    const accepted = await call("POST", "/api/auth/invites/accept", {
      jar: staffJar,
      ip: freshIp(),
      body: { token: inv.invite.token, password: PASSWORD, name: "Helper" },
    });
    expect(accepted.status).toBe(201);
    expect((await call("GET", `/api/studios/${owner.studio.id}`, { jar: staffJar })).status).toBe(200);
    const patch = await call("PATCH", `/api/studios/${owner.studio.id}`, { jar: staffJar, body: { name: "Mine now" } });
    expect(patch.status).toBe(403);
    expect((await json(patch)).error.code).toBe("forbidden");
    const invite = await call("POST", `/api/studios/${owner.studio.id}/invites`, { jar: staffJar, body: { email: "x@roles.test" } });
    expect(invite.status).toBe(403);
    const studio = await json(await call("GET", `/api/studios/${owner.studio.id}`, { jar: owner.jar }));
    expect(studio.studio.profile.name).toBe("Studio roles-studio");
    // The invite is single-use.
    const again = await call("POST", "/api/auth/invites/accept", { ip: freshIp(), body: { token: inv.invite.token, password: PASSWORD, name: "Twice" } });
    expect(again.status).toBe(404);
    // The last owner cannot be removed.
    const removeOwner = await call("DELETE", `/api/studios/${owner.studio.id}/members/${owner.account.id}`, { jar: owner.jar });
    expect(removeOwner.status).toBe(409);
    expect((await json(removeOwner)).error.code).toBe("last_owner");
  });
});

describe("membership under concurrency", () => {
  it("two owners removing each other at once leave one owner", async () => {
    const first = await signUp("two-owners");
    const secondJar = new CookieJar();
    const token = (
      await json(await call("POST", studioPath(first.studio.id, "/invites"), { jar: first.jar, body: { email: "co@owners.test", role: "owner" } }))
    ).invite.token;
    const accepted = await json(
      await call("POST", "/api/auth/invites/accept", { jar: secondJar, ip: freshIp(), body: { token, password: PASSWORD, name: "Co" } }),
    );
    const [r1, r2] = await Promise.all([
      call("DELETE", studioPath(first.studio.id, `/members/${accepted.account.id}`), { jar: first.jar }),
      call("DELETE", studioPath(first.studio.id, `/members/${first.account.id}`), { jar: secondJar }),
    ]);
    // Whoever goes second is either the last owner (409) or already gone from the studio (404).
    const statuses = [r1.status, r2.status].sort();
    expect(statuses[0]).toBe(204);
    expect([404, 409]).toContain(statuses[1]);
    const owners = await env.DIRECTORY.prepare("SELECT count(*) AS n FROM memberships WHERE tenant_id = ? AND role = 'owner'")
      .bind(first.studio.id)
      .first<{ n: number }>();
    expect(owners!.n).toBe(1);
  });

  it("concurrent accepts of one invite: one joins, the rest are told the link is used, no 500", async () => {
    const owner = await signUp("race-invite");
    const { token } = await invite(owner, "racer@invite.test");
    const results = await Promise.all(
      [1, 2, 3].map((i) => call("POST", "/api/auth/invites/accept", { ip: freshIp(), body: { token, password: PASSWORD, name: `Racer ${i}` } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 404, 404]);
  });

  it("an owner who is removed cannot come back through an invite they made", async () => {
    const owner = await signUp("sleeper-cell");
    const ownerInvite = await json(
      await call("POST", studioPath(owner.studio.id, "/invites"), { jar: owner.jar, body: { email: "co2@sleeper.test", role: "owner" } }),
    );
    const co2Jar = new CookieJar();
    const co2 = await json(
      await call("POST", "/api/auth/invites/accept", {
        jar: co2Jar,
        ip: freshIp(),
        body: { token: ownerInvite.invite.token, password: PASSWORD, name: "Co2" },
      }),
    );
    const sleeper = await json(
      await call("POST", studioPath(owner.studio.id, "/invites"), { jar: co2Jar, body: { email: "sleeper@sleeper.test", role: "owner" } }),
    );
    expect((await call("DELETE", studioPath(owner.studio.id, `/members/${co2.account.id}`), { jar: owner.jar })).status).toBe(204);
    const back = await call("POST", "/api/auth/invites/accept", { ip: freshIp(), body: { token: sleeper.invite.token, password: PASSWORD, name: "Sleeper" } });
    expect(back.status).toBe(404);
    expect((await json(back)).error.code).toBe("invite_invalid");
  });
});
