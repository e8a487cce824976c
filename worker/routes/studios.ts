// /api/me and /api/studios/:studioId/* on the app host. Every studio route sits behind
// requireMember, so a studio you are not in answers 404 whatever ids you send.

import { Hono } from "hono";
import { z } from "zod";
import type { AlertMailPrefs, NotificationsResponse } from "../contract/alerts";
import type { GalleryDefaultsResponse } from "../contract/galleries";
import type { StorageView } from "../contract/photos";
import type { MembersResponse, MessagesResponse, NewStaffInviteResponse, ProfileResponse, StaffInvitesResponse, StudioResponse } from "../contract/studios";
import { accountOverview } from "../domain/accounts/account";
import {
  alertMailSchema,
  alertMailSettings,
  listNotifications,
  markAlertsRead,
  markAlertsReadSchema,
  notificationListQuery,
  setAlertMail,
} from "../domain/alerts/centre";
import { galleryDefaults, galleryDefaultsSchema, setGalleryDefaults } from "../domain/galleries/defaults";
import { storageOverview } from "../domain/photos/quota";
import { BRAND_RULES, currentBrandObject, removeBrandImage, setBrandImage } from "../domain/studios/branding";
import { listMessages, markManyRead, markRead, markReadSchema, messageListQuery } from "../domain/studios/contact";
import { inviteSchema, listInvites, listMembers, memberListQuery, removeMember, revokeInvite } from "../domain/studios/members";
import { getProfile, profilePatchSchema, updateProfile } from "../domain/studios/profile";
import { changeRole, inviteByMail, roleSchema } from "../domain/studios/team";
import { requireMember, requireOwner, requireSession } from "../http/auth";
import { binaryBody, bodyBytes, objectResponse } from "../http/binary";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";
import { appOrigin } from "../lib/origins";
import { accountRoutes } from "./account";
import { domainRoutes } from "./domains";
import { galleryRoutes } from "./galleries";
import { labRoutes } from "./labs";
import { storeRoutes } from "./store";

export const studioRoutes = new Hono<AppEnv>();
studioRoutes.use("/me", requireSession);
studioRoutes.use("/me/*", requireSession);
studioRoutes.use("/studios/*", requireSession);

studioRoutes.get("/me", async (c) => c.json(await accountOverview(c.get("directory"), c.get("session").accountId)));
studioRoutes.route("/me", accountRoutes);

const studio = new Hono<AppEnv>();
studio.use("*", requireMember);

studio.get("/", async (c) => {
  const { tenant, role } = c.get("membership");
  return c.json({ studio: { ...tenant, role, profile: await getProfile(c.get("tdb")) } } satisfies StudioResponse);
});

studio.patch("/", requireOwner, validate("json", profilePatchSchema), async (c) =>
  c.json({ profile: await updateProfile(c.get("tdb"), c.req.valid("json")) } satisfies ProfileResponse),
);

// The logo and the home-page cover: the raw image as the body.
const brandKind = validate("param", z.object({ kind: z.enum(["logo", "cover"]) }));
studio.put("/brand/:kind", requireOwner, brandKind, binaryBody(BRAND_RULES.cover.maxBytes, "The image"), async (c) =>
  c.json({ profile: await setBrandImage({ ...c.var, images: c.env.IMAGES }, c.req.valid("param").kind, await bodyBytes(c)) } satisfies ProfileResponse),
);
// The dashboard asks with ?v=<file name>, so a cached copy is never a replaced image.
studio.get("/brand/:kind", brandKind, async (c) => objectResponse(c, await currentBrandObject(c.var, c.req.valid("param").kind), "private, max-age=86400"));
studio.delete("/brand/:kind", requireOwner, brandKind, async (c) =>
  c.json({ profile: await removeBrandImage(c.var, c.req.valid("param").kind) } satisfies ProfileResponse),
);

studio.get("/members", validate("query", memberListQuery), async (c) =>
  c.json((await listMembers(c.get("directory"), c.get("tenant").id, c.req.valid("query"))) satisfies MembersResponse),
);

studio.post("/invites", requireOwner, validate("json", inviteSchema), async (c) => {
  const invite = await inviteByMail(
    c.env,
    c.get("directory"),
    c.get("tenant").id,
    c.get("session").accountId,
    c.req.valid("json"),
    appOrigin(c.env, c.req.raw),
  );
  return c.json({ invite } satisfies NewStaffInviteResponse, 201);
});

studio.get("/invites", requireOwner, validate("query", memberListQuery), async (c) =>
  c.json((await listInvites(c.get("directory"), c.get("tenant").id, c.req.valid("query"))) satisfies StaffInvitesResponse),
);

studio.delete("/invites/:inviteId", requireOwner, validate("param", z.object({ inviteId: z.string().min(1).max(64) })), async (c) => {
  await revokeInvite(c.get("directory"), c.get("tenant").id, c.req.valid("param").inviteId);
  return c.body(null, 204);
});

studio.patch(
  "/members/:accountId",
  requireOwner,
  validate("param", z.object({ accountId: z.string().min(1).max(64) })),
  validate("json", roleSchema),
  async (c) => {
    await changeRole(c.env, c.get("directory"), c.get("tenant").id, c.req.valid("param").accountId, c.req.valid("json").role);
    return c.body(null, 204);
  },
);

studio.delete("/members/:accountId", requireOwner, validate("param", z.object({ accountId: z.string().min(1).max(64) })), async (c) => {
  await removeMember(c.get("directory"), c.get("tenant").id, c.req.valid("param").accountId);
  return c.body(null, 204);
});

studio.get("/messages", validate("query", messageListQuery), async (c) =>
  c.json((await listMessages(c.get("tdb"), c.req.valid("query"))) satisfies MessagesResponse),
);

studio.post("/messages/read", validate("json", markReadSchema), async (c) => {
  await markManyRead(c.get("tdb"), c.req.valid("json").ids);
  return c.body(null, 204);
});

studio.post("/messages/:messageId/read", validate("param", z.object({ messageId: z.string().min(1).max(64) })), async (c) => {
  await markRead(c.get("tdb"), c.req.valid("param").messageId);
  return c.body(null, 204);
});

studio.get("/notifications", validate("query", notificationListQuery), async (c) =>
  c.json((await listNotifications(c.get("tdb"), c.req.valid("query"))) satisfies NotificationsResponse),
);

studio.post("/notifications/read", validate("json", markAlertsReadSchema), async (c) => {
  await markAlertsRead(c.get("tdb"), c.req.valid("json"));
  return c.body(null, 204);
});

studio.get("/storage", async (c) => c.json((await storageOverview(c.get("tdb"), c.get("directory"))) satisfies StorageView));

studio.get("/alert-mail", async (c) => c.json((await alertMailSettings(c.get("tdb"))) satisfies AlertMailPrefs));
studio.put("/alert-mail", requireOwner, validate("json", alertMailSchema), async (c) =>
  c.json((await setAlertMail(c.get("tdb"), c.req.valid("json"))) satisfies AlertMailPrefs),
);

studio.get("/gallery-defaults", async (c) => c.json({ defaults: await galleryDefaults(c.get("tdb")) } satisfies GalleryDefaultsResponse));
studio.put("/gallery-defaults", requireOwner, validate("json", galleryDefaultsSchema), async (c) =>
  c.json({ defaults: await setGalleryDefaults(c.get("tdb"), c.req.valid("json")) } satisfies GalleryDefaultsResponse),
);

studio.route("/domains", domainRoutes);
studio.route("/galleries", galleryRoutes);
studio.route("/store", storeRoutes);
studio.route("/store", labRoutes);

studioRoutes.route("/studios/:studioId", studio);
