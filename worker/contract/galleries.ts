// Galleries as the API shows them to the dashboard and to clients, and the settings a gallery
// stores (its JSON columns). Types and constants only: the browser apps import this file.
import type { Page } from "./paging";
import type { PhotoExif } from "./photos";

export const visibilities = ["public", "unlisted", "password"] as const;
export type Visibility = (typeof visibilities)[number];

export const downloadModes = ["off", "web", "high_res", "original"] as const;
export type DownloadMode = (typeof downloadModes)[number];

export const downloadAudiences = ["everyone", "invited"] as const;
export type DownloadAudience = (typeof downloadAudiences)[number];

export interface DownloadRules {
  mode: DownloadMode;
  pinRequired: boolean;
  /** Who may download: every visitor, or only clients who came in by their invite link (absent: everyone). */
  who?: DownloadAudience;
  /** Photos each visitor may download in all, zips included (absent or null: no limit). */
  limit?: number | null;
}

export const watermarkPositions = ["center", "top-left", "top-right", "bottom-left", "bottom-right"] as const;
export type WatermarkPosition = (typeof watermarkPositions)[number];

/** The watermark as the photographer sets it. */
export interface WatermarkStyle {
  enabled: boolean;
  kind: "text" | "logo";
  text: string;
  position: WatermarkPosition;
  opacity: number;
  /** Watermark width as a fraction of the preview's width. */
  scale: number;
  /** Also on the 600 px thumbnails (galleries stored before this setting existed have none: off). */
  thumbnails?: boolean;
}

/** The watermark as stored: the style and the uploaded logo. */
export interface WatermarkSettings extends WatermarkStyle {
  /** R2 key of the uploaded logo PNG, when kind is "logo". */
  logoKey: string | null;
}

export interface SelectionRules {
  listsAllowed: boolean;
  minPerList: number | null;
  maxPerList: number | null;
  dueAt: number | null;
  /** Whether clients' lists freeze at dueAt (absent in galleries saved before it existed: no). */
  lockAtDue?: boolean;
}

export interface GallerySet {
  id: string;
  name: string;
  position: number;
}

/** A gallery in the dashboard: settings without secrets, its sets and how far processing is. */
export interface GalleryView {
  id: string;
  title: string;
  description: string;
  /** Who the gallery is for; empty strings when the studio has not said. */
  client: { name: string; email: string };
  visibility: Visibility;
  hasPassword: boolean;
  /** Visitors give their name and email before they see anything. */
  requireEmail: boolean;
  /** The lightbox shows camera, lens and exposure. */
  showExif: boolean;
  expiresAt: number | null;
  coverPhotoId: string | null;
  priceSheetId: string | null;
  downloads: DownloadRules;
  watermark: WatermarkStyle & { hasLogo: boolean; version: number };
  selection: SelectionRules;
  sets: GallerySet[];
  /** Counts by status, and by set id ("none": in no set). */
  photos: { total: number; uploading: number; processing: number; ready: number; failed: number; bySet: Record<string, number> };
  /** Previews rendered with the current watermark, out of the photos that have one to render. */
  watermarkProgress: { done: number; total: number };
  createdAt: number;
  updatedAt: number;
}

export type GalleriesResponse = Page<"galleries", GalleryView>;
export interface GalleryResponse {
  gallery: GalleryView;
}
export interface SetResponse {
  set: GallerySet;
}

/** A client's personal link into a gallery. */
export interface ClientInvite {
  path: string;
  url: string;
  name: string;
  emailed: boolean;
}
export interface ClientInviteResponse {
  invite: ClientInvite;
}

/** One photo of the gallery page, in page order. */
export interface GalleryPagePhoto {
  id: string;
  filename: string;
  thumb: string;
  preview: string;
  width: number | null;
  height: number | null;
  setId: string | null;
  /** Camera, lens and exposure, where the studio shows them and the file has them. */
  exif?: Omit<PhotoExif, "orientation"> | null;
  /** Similar shots: the burst this frame belongs to (its first frame's id) and how many frames it has. */
  stack?: { id: string; size: number } | null;
}

/** A section of the gallery page: a set, or ("" id) the photos in no set; `count` photos clients can see. */
export interface GalleryPageSet {
  id: string;
  name: string;
  count: number;
}

/** The JSON the gallery page embeds for the client app (`<script id="gallery-data">`). */
export interface GalleryPageData {
  galleryId: string;
  downloads: DownloadRules;
  /** What this visitor may download: nothing (`allowed` false, with why), or up to `left` more photos (null: no limit). */
  myDownloads: { allowed: boolean; why: string | null; left: number | null };
  sets: GalleryPageSet[];
  total: number;
  /** The first page of the first section, already on the page; `next` continues it. */
  first: { setId: string; photos: GalleryPagePhoto[]; next: string | null };
}

/** `GET /g/:galleryId/photos?set=<id|none>&cursor=`: a section's next page, `?ids=`: those photos, `?stack=`: a burst's frames. */
export type ClientPhotosResponse = Page<"photos", GalleryPagePhoto>;

export interface AccessGranted {
  ok: true;
  galleryId: string;
}

export interface DownloadLink {
  url: string;
  expiresAt: number;
}

/**
 * What a new gallery starts with, set once for the studio. Only what makes sense for every gallery:
 * no password (each gallery has its own), no selection due date, a text watermark (a logo
 * watermark is uploaded per gallery). The text, when empty, is the studio's name.
 */
export interface GalleryDefaults {
  visibility: "public" | "unlisted";
  /** Days from creation until the gallery closes; null: open until closed by hand. */
  expiresInDays: number | null;
  downloadMode: DownloadMode;
  watermark: Omit<WatermarkStyle, "kind">;
  selection: Omit<SelectionRules, "dueAt">;
  /** The price sheet new galleries sell from; null: nothing for sale until one is chosen. */
  priceSheetId: string | null;
}

/** A change to the defaults (PUT): any part of them; what is left out stays as it was. */
export type GalleryDefaultsPatch = Partial<Omit<GalleryDefaults, "watermark" | "selection">> & {
  watermark?: Partial<GalleryDefaults["watermark"]>;
  selection?: Partial<GalleryDefaults["selection"]>;
};

export interface GalleryDefaultsResponse {
  defaults: GalleryDefaults;
}
