// A local fake of the part of Stripe's HTTP API Loupe calls: the one stand-in the tests allow,
// since they reach no network. It answers like Stripe (ids, objects, idempotent replays of the
// same Idempotency-Key) and records every request, which tests read at GET /__requests to check
// what Loupe sent: amounts, fees, the connected account and the idempotency keys.
// POST /__fail {path, times} makes the next calls to a path fail with a 500.
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface RecordedRequest {
  method: string;
  path: string;
  account: string | null;
  idempotencyKey: string | null;
  form: Record<string, string>;
}

type Handler = (form: Record<string, string>, account: string | null, id: string) => Record<string, unknown>;

let seq = 0;
const nextId = (prefix: string) => `${prefix}_fake${String(++seq).padStart(6, "0")}`;
const metadataOf = (form: Record<string, string>, prefix = "metadata") =>
  Object.fromEntries(
    Object.entries(form).flatMap(([k, v]) => {
      const m = new RegExp(`^${prefix.replace(/[[\]]/g, "\\$&")}\\[(\\w+)\\]$`).exec(k);
      return m ? [[m[1]!, v]] : [];
    }),
  );

export function startFakeStripe(port = 0): Promise<{ url: string; server: Server }> {
  const requests: RecordedRequest[] = [];
  const replies = new Map<string, { status: number; body: string }>();
  const failures = new Map<string, number>();
  const intents = new Map<string, Record<string, string>>();

  const routes: Record<string, Handler> = {
    "POST /v1/accounts": (f) => ({
      id: nextId("acct"),
      object: "account",
      type: f.type,
      charges_enabled: false,
      details_submitted: false,
      metadata: metadataOf(f),
    }),
    "POST /v1/account_links": (f) => ({
      object: "account_link",
      url: `https://connect.stripe.test/setup/${f.account}`,
      expires_at: Math.floor(Date.now() / 1000) + 300,
    }),
    "POST /v1/coupons": (f) => ({ id: nextId("co"), object: "coupon", amount_off: Number(f.amount_off), currency: f.currency }),
    "POST /v1/customers": (f) => ({ id: nextId("cus"), object: "customer", metadata: metadataOf(f) }),
    "POST /v1/billing_portal/sessions": (f) => ({ id: nextId("bps"), object: "billing_portal.session", url: `https://billing.stripe.test/p/${f.customer}` }),
    "POST /v1/refunds": (f) => ({ id: nextId("re"), object: "refund", amount: Number(f.amount), payment_intent: f.payment_intent, status: "succeeded" }),
    "POST /v1/checkout/sessions": (f) => {
      const id = nextId("cs_test");
      const pi = f.mode === "payment" ? nextId("pi") : null;
      if (pi) intents.set(pi, metadataOf(f, "payment_intent_data[metadata]"));
      return {
        id,
        object: "checkout.session",
        mode: f.mode,
        url: `https://checkout.stripe.test/c/pay/${id}`,
        payment_intent: pi,
        metadata: metadataOf(f),
        payment_status: "unpaid",
        status: "open",
      };
    },
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await text(req);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": nextId("req") });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    if (url.pathname === "/__requests") return send(200, requests);
    if (url.pathname === "/__fail") {
      const { path, times } = JSON.parse(body) as { path: string; times: number };
      failures.set(path, times);
      return send(200, { ok: true });
    }
    const form = Object.fromEntries(new URLSearchParams(body));
    const account = (req.headers["stripe-account"] as string | undefined) ?? null;
    const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
    requests.push({ method: req.method ?? "GET", path: url.pathname, account, idempotencyKey, form });
    const left = failures.get(url.pathname) ?? 0;
    if (left > 0) {
      failures.set(url.pathname, left - 1);
      return send(500, { error: { type: "api_error", message: "The fake Stripe was told to fail." } });
    }
    const replayKey = idempotencyKey && `${account}:${url.pathname}:${idempotencyKey}`;
    const replay = replayKey ? replies.get(replayKey) : undefined;
    if (replay) return send(replay.status, replay.body);
    const pi = /^\/v1\/payment_intents\/(\w+)$/.exec(url.pathname);
    if (req.method === "GET" && pi) {
      const metadata = intents.get(pi[1]!);
      return metadata
        ? send(200, { id: pi[1], object: "payment_intent", metadata })
        : send(404, { error: { type: "invalid_request_error", message: "No such payment_intent" } });
    }
    const expire = /^\/v1\/checkout\/sessions\/(\w+)\/expire$/.exec(url.pathname);
    if (req.method === "POST" && expire) return send(200, { id: expire[1], object: "checkout.session", status: "expired", payment_status: "unpaid" });
    // As Stripe: a Checkout Session in payment mode takes at most 100 line items.
    const lineItems = new Set(Object.keys(form).flatMap((k) => /^line_items\[(\d+)\]/.exec(k)?.[1] ?? []));
    if (url.pathname === "/v1/checkout/sessions" && lineItems.size > 100) {
      return send(400, { error: { type: "invalid_request_error", param: "line_items", message: "You may only specify up to 100 line items." } });
    }
    const handler = routes[`${req.method} ${url.pathname}`];
    if (!handler) return send(404, { error: { type: "invalid_request_error", message: `The fake has no ${req.method} ${url.pathname}` } });
    const out = JSON.stringify(handler(form, account, url.pathname));
    if (replayKey) replies.set(replayKey, { status: 200, body: out });
    send(200, out);
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`, server });
    }),
  );
}

function text(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
