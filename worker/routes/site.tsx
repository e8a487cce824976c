// The studio website on <slug>.<root> and custom domains.
import { Hono } from "hono";
import { getProfile } from "../domain/studios/profile";
import type { AppEnv } from "../http/context";
import { resolveStudio } from "../http/host";
import { StudioHome } from "../pages/studio-home";
import { mediaRoutes } from "./media";

export const siteRoutes = new Hono<AppEnv>();
siteRoutes.use("*", resolveStudio);

siteRoutes.get("/", async (c) => c.html(<StudioHome profile={await getProfile(c.get("tdb"))} />));

siteRoutes.route("/", mediaRoutes);
