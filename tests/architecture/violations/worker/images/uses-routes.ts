// Breaks domain-without-http (the image pipeline).
import { route } from "../routes/route";
export const b = route;
