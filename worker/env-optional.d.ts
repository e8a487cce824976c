// Secrets a deployment may leave unset. `wrangler types` types only `secrets.required`, and making
// these required would make Stripe and a mail provider mandatory: without them Loupe takes offline
// payments and keeps mail in its outbox.
declare namespace Cloudflare {
  interface Env {
    STRIPE_SECRET_KEY?: string;
    STRIPE_WEBHOOK_SECRET?: string;
    STRIPE_CONNECT_WEBHOOK_SECRET?: string;
    EMAIL_API_KEY?: string;
  }
}
