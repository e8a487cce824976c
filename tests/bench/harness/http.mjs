// HTTP to Loupe under wrangler dev, over loopback. Node cannot resolve *.localhost, so requests go
// to 127.0.0.1 with the Host header naming the app or studio host; the worker routes on it.
import { request } from "node:http";
import { performance } from "node:perf_hooks";

/**
 * A `call(port, method, host, path, options)` bound to an agent (a keep-alive pool; none: Node's
 * global agent) and optionally a timeout. Options:
 *   body      JSON value, or a Uint8Array sent as is (content-type `type` or octet-stream)
 *   payload   a string sent as is, as a webhook sender would: no Origin header
 *   type, cookie, headers, agent (this request's pool)
 *   raw       keep the response as bytes only (no text, no JSON)
 * Resolves with { status, buf, text, json, headers, cookies, t0, t1, ttfbMs, totalMs }.
 */
export function httpClient({ agent, timeoutMs } = {}) {
  return function call(port, method, host, pathname, { body, payload, type, cookie, headers = {}, agent: pool = agent, raw = false } = {}) {
    return new Promise((resolve, reject) => {
      const binary = body instanceof Uint8Array;
      const data = payload ?? (body === undefined ? undefined : binary ? body : JSON.stringify(body));
      const h = {
        host,
        ...(data ? { "content-type": type ?? (binary ? "application/octet-stream" : "application/json"), "content-length": Buffer.byteLength(data) } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      };
      // The dashboard's and client app's state-changing requests carry their Origin (the worker's CSRF check).
      if (method !== "GET" && method !== "HEAD" && payload === undefined) h.origin = `http://${host}`;
      const t0 = performance.now();
      const req = request({ host: "127.0.0.1", port, method, path: pathname, headers: h, agent: pool }, (res) => {
        const ttfbMs = performance.now() - t0;
        const chunks = [];
        res.on("data", (d) => chunks.push(d));
        res.on("end", () => {
          const t1 = performance.now();
          const buf = Buffer.concat(chunks);
          const text = raw ? "" : buf.toString("utf8");
          let json = null;
          if (!raw)
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              /* not JSON */
            }
          resolve({
            status: res.statusCode,
            buf,
            text,
            json,
            headers: res.headers,
            cookies: [res.headers["set-cookie"] ?? []].flat(),
            t0,
            t1,
            ttfbMs,
            totalMs: t1 - t0,
          });
        });
        res.on("error", reject);
      });
      if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs / 1000} s`)));
      req.on("error", reject);
      req.end(data);
    });
  };
}

/** The response, or an error naming `what` when its status is not `status`. */
export async function must(promise, status, what) {
  const r = await promise;
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

/** Set-Cookie headers as name/value pairs. The session cookies are Secure (__Host-); the benches
 *  send them over loopback themselves. */
export const cookiePairs = (setCookies) =>
  setCookies.map((c) => {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    return { name: pair.slice(0, i).trim(), value: pair.slice(i + 1).trim() };
  });

/** Set-Cookie headers as one Cookie header. */
export const cookieHeader = (setCookies) => setCookies.map((c) => c.split(";")[0].trim()).join("; ");
