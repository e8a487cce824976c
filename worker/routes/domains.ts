// /api/studios/:studioId/domains: a studio's own domains. Members see them; owners change them.
import { Hono } from "hono";
import type { DomainResponse, DomainsResponse } from "../contract/domains";
import { saasConfig } from "../domain/domains/cloudflare";
import { addDomain, checkDomainNow, DOMAIN_LIMIT, domainInputSchema, domainParamSchema, listDomains, removeDomain } from "../domain/domains/domains";
import { requireOwner } from "../http/auth";
import type { AppEnv } from "../http/context";
import { forgetHost } from "../http/host";
import { validate } from "../http/validate";

export const domainRoutes = new Hono<AppEnv>();

domainRoutes.get("/", async (c) =>
  c.json({
    domains: await listDomains(c.get("directory"), c.get("tenant").id),
    available: saasConfig(c.env) !== null,
    limit: DOMAIN_LIMIT,
  } satisfies DomainsResponse),
);

domainRoutes.post("/", requireOwner, validate("json", domainInputSchema), async (c) =>
  c.json({ domain: await addDomain(c.env, c.get("directory"), c.get("tdb"), c.req.valid("json")) } satisfies DomainResponse, 201),
);

domainRoutes.post("/:hostname/refresh", requireOwner, validate("param", domainParamSchema), async (c) =>
  c.json({ domain: await checkDomainNow(c.env, c.get("directory"), c.get("tdb"), c.req.valid("param").hostname) } satisfies DomainResponse),
);

domainRoutes.delete("/:hostname", requireOwner, validate("param", domainParamSchema), async (c) => {
  const { hostname } = c.req.valid("param");
  await removeDomain(c.env, c.get("directory"), c.get("tenant").id, hostname);
  forgetHost(hostname);
  return c.body(null, 204);
});
