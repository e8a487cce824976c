// Money is an integer count of the currency's minor unit (cents) with the currency beside it;
// this is how mail and error messages write it.
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(minor / 100);
}

/** A decimal amount as a lab or API writes it ("12.50") in minor units; two-decimal currencies only. */
export function minorUnits(decimal: string): number {
  const n = Number(decimal);
  if (!Number.isFinite(n)) throw new Error(`not an amount: ${decimal}`);
  return Math.round(n * 100);
}
