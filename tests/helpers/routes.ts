// The routes the app registers, as "<METHOD> <path>", for tests that must classify every one of
// them (so a new route cannot be added without saying how it is isolated, or paged).
import { app } from "../../worker/app";

/** Every route with a final handler: middleware (`use`) is left out, `app.all` routes are not. */
export function registeredRoutes(): string[] {
  const keys = app.routes.filter((r) => r.method !== "ALL" || r.handler.length < 2).map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)].sort();
}
