// Secrets a deployment may leave unset. `wrangler types` types only `secrets.required`, and making
// these required would make Stripe, a mail provider and Cloudflare for SaaS mandatory: without them Loupe takes offline
// payments and keeps mail in its outbox.
declare namespace Cloudflare {
  interface Env {
    STRIPE_SECRET_KEY?: string;
    STRIPE_WEBHOOK_SECRET?: string;
    STRIPE_CONNECT_WEBHOOK_SECRET?: string;
    EMAIL_API_KEY?: string;
    CF_API_TOKEN?: string;
  }
}
