// Allowed: the socket is the HTTP side of rooms.
import { handler } from "../http/handler";
export const allowed = handler;
