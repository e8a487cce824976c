// Breaks http-below-routes.
import { route } from "../routes/route";
export const m = route;
