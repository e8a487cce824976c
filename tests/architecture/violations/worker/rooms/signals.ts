// Breaks rooms-without-http.
import { handler } from "../http/handler";
export const c = handler;
