// A local fake of the mail provider's HTTP API, shaped like Resend's `POST /emails`: a JSON body
// {from, to[], subject, text, html, reply_to}, a bearer key, and an Idempotency-Key header under which a replay
// answers the first reply and sends nothing again. Tests read GET /__requests (every attempt) and
// GET /__sent (each mail accepted once); POST /__fail {to, times} makes the next attempts to that
// address answer 500, as a provider's outage would.
import { createServer, type Server } from "node:http";

export interface MailAttempt {
  idempotencyKey: string | null;
  authorization: string | null;
  to: string[];
  subject: string;
  status: number;
}

export function startFakeMail(port = 0): Promise<{ url: string; server: Server }> {
  const attempts: MailAttempt[] = [];
  const sent = new Map<string, { id: string; from?: string; to: string[]; subject: string; text: string; html?: string; replyTo?: string }>();
  const failures = new Map<string, number>();
  let seq = 0;

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method === "GET" && req.url === "/__requests") return reply(200, attempts);
      if (req.method === "GET" && req.url === "/__sent") return reply(200, [...sent.values()]);
      if (req.method === "POST" && req.url === "/__fail") {
        const { to, times } = JSON.parse(raw) as { to: string; times: number };
        failures.set(to, times);
        return reply(200, { ok: true });
      }
      if (req.method !== "POST" || req.url !== "/emails") return reply(404, { name: "not_found", message: "The requested endpoint does not exist." });
      const body = JSON.parse(raw || "{}") as { from?: string; to?: string[]; subject?: string; text?: string; html?: string; reply_to?: string };
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const attempt: MailAttempt = {
        idempotencyKey: key,
        authorization: req.headers.authorization ?? null,
        to: body.to ?? [],
        subject: body.subject ?? "",
        status: 200,
      };
      attempts.push(attempt);
      const to = attempt.to[0] ?? "";
      const failing = failures.get(to) ?? 0;
      if (failing > 0) {
        failures.set(to, failing - 1);
        attempt.status = 500;
        return reply(500, { name: "internal_server_error", message: "An unexpected error occurred." });
      }
      if (!body.from || !body.to?.length || !body.subject) {
        attempt.status = 422;
        return reply(422, { name: "validation_error", message: "Missing `from`, `to` or `subject` field." });
      }
      const earlier = key ? sent.get(key) : undefined;
      if (earlier) return reply(200, { id: earlier.id });
      const mail = {
        id: `fake-mail-${++seq}`,
        from: body.from,
        to: body.to,
        subject: body.subject,
        text: body.text ?? "",
        html: body.html,
        replyTo: body.reply_to,
      };
      sent.set(key ?? mail.id, mail);
      return reply(200, { id: mail.id });
    });
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })),
  );
}
