// Allowed: the contract.
import type { Shared } from "../worker/contract/shared";
export type AllowedWeb = Shared;
