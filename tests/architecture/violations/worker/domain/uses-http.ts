// Breaks domain-without-http.
import { handler } from "../http/handler";
export const a = handler;
