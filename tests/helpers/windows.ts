// Budgets count in fixed windows aligned to the clock (worker/domain/limits/attempts.ts): an hour's
// or a day's. A test that spends one and expects the next attempt refused must not straddle the
// window's end, or the refusal lands in a fresh window: it waits a near edge out first.

/** Waits until at least `needMs` of the current `windowMs` window are left. */
export async function awayFromWindowEdge(windowMs: number, needMs = 60_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 1_000));
}

/** Room for that wait on top of the test itself. */
export const EDGE_TIMEOUT = { timeout: 180_000 };
