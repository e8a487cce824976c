// A studio's custom domains as the dashboard shows them.

/** serving: the studio answers on it; pending: waiting on DNS or the certificate; failed: stuck for good. */
export type DomainState = "pending" | "serving" | "failed";

/** A record the studio adds at its DNS provider. */
export interface DnsRecord {
  type: "CNAME" | "TXT";
  name: string;
  value: string;
  /** Why it is needed, in words a photographer can act on. */
  purpose: string;
}

export interface DomainView {
  hostname: string;
  state: DomainState;
  /** Cloudflare's own words for the hostname's and the certificate's verification. */
  status: string;
  sslStatus: string;
  records: DnsRecord[];
  /** Cloudflare's last verification errors, and what to do about a failed domain. */
  problems: string[];
  checkedAt: number | null;
  createdAt: number;
}

/** At most DOMAIN_LIMIT per studio, so the list is whole, not paged. */
export interface DomainsResponse {
  domains: DomainView[];
  /** False when this Loupe deployment has no Cloudflare for SaaS configured. */
  available: boolean;
  limit: number;
}

export interface DomainResponse {
  domain: DomainView;
}
