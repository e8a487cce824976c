// A gallery's visitors and its download history as the dashboard shows them, and the plan of a
// "download all" zip as the client gets it. Types only: the browser apps import this file.
import type { Page } from "./paging";

export interface VisitorView {
  id: string;
  name: string | null;
  email: string | null;
  /** Came in by a personal invite link (and so may download where only invited clients may). */
  invited: boolean;
  /** Null for an invited client who has not opened the gallery yet. */
  firstSeen: number | null;
  lastSeen: number | null;
  favourites: number;
  /** Photos downloaded, zips included. */
  downloads: number;
}
export type VisitorsResponse = Page<"visitors", VisitorView>;

export const downloadScopes = ["photo", "gallery", "set", "list"] as const;
export type DownloadScope = (typeof downloadScopes)[number];

export interface DownloadRecordView {
  id: string;
  visitor: { id: string | null; name: string | null; email: string | null };
  scope: DownloadScope;
  /** What was downloaded, as the client saw it: a file name, the gallery's title, a set or list name. */
  label: string;
  size: "web" | "high_res" | "original";
  photos: number;
  bytes: number;
  parts: number;
  at: number;
}
export type DownloadsResponse = Page<"downloads", DownloadRecordView>;

/** One numbered part of a zip: a link that streams these photos as one archive. */
export interface ZipPart {
  n: number;
  url: string;
  filename: string;
  photos: number;
  /** The part's size before zipping (for the web and high-res sizes, an estimate). */
  bytes: number;
}
export interface ZipPlan {
  id: string;
  label: string;
  photos: number;
  /** Photos of the scope left out because they are not available at this size yet. */
  skipped: number;
  bytes: number;
  parts: ZipPart[];
  /** The part links work until then; ask again after. */
  expiresAt: number;
}
