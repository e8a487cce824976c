// Pages of the dashboard host that are not API.
import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { DashboardHome } from "../pages/dashboard";

export const dashboardPages = new Hono<AppEnv>();

dashboardPages.get("/", (c) => c.html(<DashboardHome />));
