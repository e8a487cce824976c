// A studio's public profile: what its website shows. Lives on the studio's shard.

import { z } from "zod";
import type { StudioProfile } from "../../contract/studios";
import type { TenantDb } from "../../db/tenant-db";
import { studioProfiles } from "../../db/tenant-schema";
import { AppError } from "../../lib/errors";

export const profilePatchSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
    tagline: z.string().trim().max(160, "must be at most 160 characters"),
    about: z.string().trim().max(4000, "must be at most 4000 characters"),
    contactEmail: z.union([z.literal(""), z.string().trim().email("must be an email address").max(254)]),
    notifyEmail: z.union([z.literal(""), z.string().trim().email("must be an email address").max(254)]),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #1f6feb"),
  })
  .partial()
  .strict();
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export async function getProfile(tdb: TenantDb): Promise<StudioProfile> {
  const row = await tdb.first(studioProfiles);
  if (!row) throw new AppError("studio_not_found", "This studio has no profile.");
  const { tenantId: _omit, ...profile } = row;
  return profile;
}

export async function updateProfile(tdb: TenantDb, patch: ProfilePatch): Promise<StudioProfile> {
  if (Object.keys(patch).length > 0) {
    await tdb.update(studioProfiles, { ...patch, updatedAt: Date.now() });
  }
  return getProfile(tdb);
}
