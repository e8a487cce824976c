// Where the dashboard and the studios' websites live, for links Loupe hands out (mail, Stripe's
// return addresses, invite links). Every layer may need one, so this knows nothing of HTTP.

/** Within a request: the request's own scheme, so links work however Loupe is reached. */
export function appOrigin(env: Env, req: Request): string {
  return `${new URL(req.url).protocol}//app.${env.ROOT_DOMAIN}`;
}

/** A studio's own site, within a request. */
export function studioOrigin(env: Env, req: Request, slug: string): string {
  return `${new URL(req.url).protocol}//${slug}.${env.ROOT_DOMAIN}`;
}

// Where no request is at hand (a room's alarm, a cron): local roots are served over http.
const schemeOf = (env: Env) => (/^(localhost|127\.0\.0\.1)(:|$)/.test(env.ROOT_DOMAIN) ? "http" : "https");
export const dashboardOrigin = (env: Env) => `${schemeOf(env)}://app.${env.ROOT_DOMAIN}`;
export const siteOrigin = (env: Env, slug: string) => `${schemeOf(env)}://${slug}.${env.ROOT_DOMAIN}`;
