// Money is an integer count of the currency's minor unit (cents) with the currency beside it;
// this is how mail and error messages write it.
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(minor / 100);
}
