// A local fake of Cloudflare for SaaS's custom-hostname API (client/v4), speaking its shapes: the
// {success, errors, messages, result} envelope, a bearer token, create / read / delete under
// /zones/:zone/custom_hostnames, and error 1406 for a hostname the zone already has. A new
// hostname is pending until a test says Cloudflare verified it: POST /__set {hostname, status,
// sslStatus} (what a customer's CNAME would bring about). GET /__hostnames lists what exists;
// POST /__lose {hostname} makes the next create of it succeed at Cloudflare but answer 500, as a
// timeout after the fact would.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";

export const FAKE_CF_ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
export const FAKE_CF_TOKEN = "cf_test_token_loupe_fake";

interface Hostname {
  id: string;
  hostname: string;
  status: string;
  sslStatus: string;
  ownershipValue: string;
  createdAt: string;
}

const shape = (h: Hostname) => ({
  id: h.id,
  hostname: h.hostname,
  status: h.status,
  verification_errors: h.status === "active" ? [] : ["custom hostname does not CNAME to this zone."],
  ownership_verification: { type: "txt", name: `_cf-custom-hostname.${h.hostname}`, value: h.ownershipValue },
  ownership_verification_http: {
    http_url: `http://${h.hostname}/.well-known/cf-custom-hostname-challenge/${h.id}`,
    http_body: h.ownershipValue,
  },
  ssl: {
    id: `ssl-${h.id}`,
    type: "dv",
    method: "http",
    status: h.sslStatus,
    validation_records: [{ http_url: `http://${h.hostname}/.well-known/pki-validation/${h.id}.txt`, http_body: `ca3-${h.id}` }],
    settings: { min_tls_version: "1.2" },
  },
  created_at: h.createdAt,
});

export function startFakeCloudflare(port = 0): Promise<{ url: string; server: Server }> {
  const byId = new Map<string, Hostname>();
  const lose = new Set<string>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const reply = (status: number, result: unknown, errors: { code: number; message: string }[] = []) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ success: errors.length === 0, errors, messages: [], result }));
      };
      const url = req.url ?? "/";
      if (req.method === "GET" && url === "/__hostnames") return reply(200, [...byId.values()].map(shape));
      if (req.method === "POST" && url === "/__lose") {
        lose.add((JSON.parse(raw) as { hostname: string }).hostname);
        return reply(200, { ok: true });
      }
      if (req.method === "POST" && url === "/__set") {
        const { hostname, status, sslStatus } = JSON.parse(raw) as { hostname: string; status?: string; sslStatus?: string };
        const h = [...byId.values()].find((x) => x.hostname === hostname);
        if (!h) return reply(404, null, [{ code: 1436, message: "The custom hostname was not found." }]);
        if (status) h.status = status;
        if (sslStatus) h.sslStatus = sslStatus;
        return reply(200, shape(h));
      }
      if (req.headers.authorization !== `Bearer ${FAKE_CF_TOKEN}`) return reply(403, null, [{ code: 10000, message: "Authentication error" }]);
      const m = /^\/zones\/([^/]+)\/custom_hostnames(?:\/([^/?]+))?(?:\?.*)?$/.exec(url);
      if (!m) return reply(404, null, [{ code: 7000, message: "No route for that URI" }]);
      if (m[1] !== FAKE_CF_ZONE) return reply(404, null, [{ code: 1001, message: "Invalid zone identifier" }]);
      const id = m[2] && decodeURIComponent(m[2]);
      if (!id && req.method === "POST") {
        const body = JSON.parse(raw || "{}") as { hostname?: string; ssl?: { method?: string } };
        if (!body.hostname) return reply(400, null, [{ code: 1411, message: "hostname is required" }]);
        if ([...byId.values()].some((x) => x.hostname === body.hostname))
          return reply(409, null, [{ code: 1406, message: "Duplicate custom hostname found." }]);
        const h: Hostname = {
          id: randomUUID(),
          hostname: body.hostname,
          status: "pending",
          sslStatus: "pending_validation",
          ownershipValue: randomUUID(),
          createdAt: new Date().toISOString(),
        };
        byId.set(h.id, h);
        if (lose.delete(h.hostname)) return reply(500, null, [{ code: 1000, message: "Internal server error" }]);
        return reply(201, shape(h));
      }
      if (!id && req.method === "GET") {
        const wanted = new URL(url, "http://fake").searchParams.get("hostname");
        return reply(200, [...byId.values()].filter((x) => !wanted || x.hostname === wanted).map(shape));
      }
      const h = id ? byId.get(id) : undefined;
      if (!h) return reply(404, null, [{ code: 1436, message: "The custom hostname was not found." }]);
      if (req.method === "GET") return reply(200, shape(h));
      if (req.method === "DELETE") {
        byId.delete(h.id);
        return reply(200, { id: h.id });
      }
      return reply(405, null, [{ code: 10405, message: "Method not allowed" }]);
    });
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })),
  );
}
