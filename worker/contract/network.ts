// Which network a request comes from, as every per-IP budget counts it: the worker's limiters and
// sign-in lockouts, and the gallery room's per-network budgets, which see the same address.

/**
 * The network a budget counts: an IPv4 address, or an IPv6 address's /64. One IPv6 host is
 * handed a whole /64 (2^64 addresses), so counting single IPv6 addresses would let anyone with
 * one skip every per-IP budget by changing the last bits.
 */
export function networkOf(ip: string): string {
  if (!ip.includes(":")) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = "", tail] = ip.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const hextets = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${hextets
    .slice(0, 4)
    .map((h) => (h.includes(".") ? "0" : (Number.parseInt(h, 16) || 0).toString(16)))
    .join(":")}::/64`;
}

/** The network of a request's sender; null when there is no address or it is this machine (wrangler dev, tests). */
export function requestNetwork(headers: Headers): string | null {
  const ip = headers.get("cf-connecting-ip") ?? headers.get("x-real-ip");
  if (!ip || /^(127\.|::1$|::ffff:127\.)/.test(ip)) return null;
  return networkOf(ip);
}
