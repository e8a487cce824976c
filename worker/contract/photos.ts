// Photos as the API shows them, and what the upload protocol answers. Types and constants only.
import type { Page } from "./paging";

export const photoStatuses = ["uploading", "processing", "ready", "failed"] as const;
export type PhotoStatus = (typeof photoStatuses)[number];

export const originalStates = ["pending", "uploading", "stored"] as const;
export type OriginalState = (typeof originalStates)[number];

/** EXIF as a photographer reads it. */
export interface PhotoExif {
  camera: string | null;
  lens: string | null;
  focalLength: number | null; // mm
  aperture: number | null; // f-number
  shutter: string | null; // "1/250" or "2s"
  iso: number | null;
  takenAt: string | null; // local time as written by the camera, ISO 8601
  orientation: number; // 1..8, EXIF orientation
}

/** What clients and the dashboard see of a photo; derivative URLs change when they are re-rendered. */
export interface PhotoView {
  id: string;
  galleryId: string;
  setId: string | null;
  filename: string;
  size: number;
  width: number | null;
  height: number | null;
  status: PhotoStatus;
  failureReason: string | null;
  exif: PhotoExif | null;
  position: number;
  original: OriginalState;
  /** Processing for so long that the queue must have lost it; it can be retried. */
  stuck: boolean;
  /** Similar shots: the id of the first frame of its burst (frames alike, seconds apart); null when it stands alone. */
  stackId: string | null;
  /** Likely soft: well below the sharpest frame of its stack, or blurred outright. Never hides the photo. */
  soft: boolean;
  urls: { thumb: string; preview: string } | null;
}

export type PhotosResponse = Page<"photos", PhotoView>;
export interface PhotoResponse {
  photo: PhotoView;
}

/** A new photo and how its original is to be sent: parts of `partSize` bytes. */
export interface NewPhotoResponse {
  photo: PhotoView;
  upload: { partSize: number; partCount: number };
}

/** Which parts of an original arrived, so a resumed upload sends only the rest. */
export interface OriginalParts {
  state: OriginalState;
  partSize: number;
  partCount: number;
  received: number[];
}

/** Storage by kind against the quota (bytes); `used` counts photos still uploading at their declared size. */
export interface StorageView {
  originals: number;
  masters: number;
  derivatives: number;
  used: number;
  quota: number;
  nearlyFull: boolean;
}
