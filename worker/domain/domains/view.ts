// Cloudflare reports a dozen states for a hostname and two dozen for its certificate; a studio
// needs three: serving, still going, and stuck until it acts.
import type { DnsRecord, DomainState, DomainView } from "../../contract/domains";
import type { domains } from "../../db/directory-schema";

const STUCK_HOSTNAME = new Set(["blocked", "pending_blocked", "moved", "deleted", "pending_deletion", "test_blocked", "test_failed"]);
const STUCK_SSL = /timed_out$|^expired$|^deleted$|^deactivating$|^inactive$/;

export function domainState(status: string, sslStatus: string): DomainState {
  if (status === "active" && sslStatus === "active") return "serving";
  if (STUCK_HOSTNAME.has(status) || STUCK_SSL.test(sslStatus)) return "failed";
  return "pending";
}

const parsed = <T>(json: string): T[] => {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
};

export function viewOf(row: typeof domains.$inferSelect): DomainView {
  const state = domainState(row.status, row.sslStatus);
  const problems = parsed<string>(row.problems);
  if (state === "failed") problems.push("Check the DNS records below, then remove the domain and add it again.");
  return {
    hostname: row.hostname,
    state,
    status: row.status,
    sslStatus: row.sslStatus,
    records: parsed<DnsRecord>(row.records),
    problems,
    checkedAt: row.checkedAt,
    createdAt: row.createdAt,
  };
}
