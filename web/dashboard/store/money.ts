// Amounts arrive in minor units (cents) with their currency; shown in the browser's locale.
export const money = (n: number, currency: string) => new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(n / 100);
