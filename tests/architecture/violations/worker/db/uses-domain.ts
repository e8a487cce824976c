// Breaks db-below-domain.
import { a } from "../domain/uses-http";
export const h = a;
