// What every API error looks like on the wire, and the codes a caller can branch on.
export type ErrorCode =
  | "invalid_input"
  | "invalid_json"
  | "empty_file"
  | "unauthenticated"
  | "invalid_credentials"
  | "refresh_invalid"
  | "refresh_reused"
  | "forbidden"
  | "origin_mismatch"
  | "not_found"
  | "studio_not_found"
  | "invite_invalid"
  | "link_invalid"
  | "email_unverified"
  | "slug_taken"
  | "email_taken"
  | "already_member"
  | "last_owner"
  | "payload_too_large"
  | "file_too_large"
  | "quota_exceeded"
  | "unsupported_media_type"
  | "unsupported_file"
  | "corrupt_file"
  | "file_truncated"
  | "upload_incomplete"
  | "gallery_expired"
  | "password_required"
  | "name_required"
  | "upgrade_required"
  | "pin_required"
  | "download_not_allowed"
  | "download_expired"
  | "download_limit_reached"
  | "signature_invalid"
  | "order_conflict"
  | "payments_unavailable"
  | "account_locked"
  | "rate_limited"
  | "not_ready"
  | "internal";

/** `{"error":{"code","message"}}`, the field named in the message ("title: is required"). */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: { field: string; message: string }[] };
  requestId?: string;
}
