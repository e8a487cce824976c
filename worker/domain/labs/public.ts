// What the lab itself reaches, with no account: its status callbacks and the images it prints.
// Each names its studio only through a token Loupe signed, checked before any database is read.

import type { z } from "zod";
import { directoryDb } from "../../db/directory-db";
import { tenantDbById } from "../../db/shards";
import { AppError } from "../../lib/errors";
import { siteOrigin } from "../../lib/origins";
import { TenantMedia } from "../../storage/tenant-media";
import { servingOrigin } from "../domains/domains";
import { applyLabCallback, type callbackSchema, labCallbackClaims } from "./callbacks";
import { labImage, labImageClaims } from "./images";

const studioGone = () => new AppError("not_found", "This studio no longer exists.");

export async function receiveLabCallback(env: Env, token: string, event: z.infer<typeof callbackSchema>) {
  const claims = await labCallbackClaims(env.JWT_SECRET, token);
  const tdb = await tenantDbById(env, claims.tid);
  if (!tdb) throw studioGone();
  const site = (await servingOrigin(directoryDb(env), tdb.tenantId)) ?? siteOrigin(env, tdb.tenant.slug);
  return applyLabCallback({ tdb, pepper: env.PASSWORD_PEPPER, labApiUrl: env.PRODIGI_API_URL, site }, claims, event);
}

export async function labImageFor(env: Env, token: string) {
  const claims = await labImageClaims(env.JWT_SECRET, token);
  const tdb = await tenantDbById(env, claims.tid);
  if (!tdb) throw studioGone();
  return labImage(tdb, new TenantMedia(env.MEDIA, tdb.tenantId), env.IMAGES, claims);
}
