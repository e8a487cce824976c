import { z } from "zod";
import { type LabConnectionView, labEnvironments, labNames, labTiers } from "../../contract/labs";
import type { TenantDb } from "../../db/tenant-db";
import { labConnections } from "../../db/tenant-schema";
import type { PrintLab } from "../../labs/lab";
import { PRODIGI_URLS, prodigi } from "../../labs/prodigi";
import { AppError } from "../../lib/errors";
import { seal, unseal } from "../../lib/seal";

/** What lab calls need beyond the database: the pepper the key is sealed under, and where the lab is. */
export interface LabDeps {
  tdb: TenantDb;
  pepper: string;
  /** Overrides the lab's own base URL (tests point it at a local fake); empty: the lab's. */
  labApiUrl?: string;
}

// A product every Prodigi account can read: reading it proves the key without making anything.
const PROBE_SKU = "GLOBAL-PHO-8X10";

export const connectSchema = z
  .object({
    lab: z.enum(labNames),
    environment: z.enum(labEnvironments),
    apiKey: z.string().trim().min(16, "must be the full key from the lab's dashboard").max(200),
    holdForReview: z.boolean().default(false),
    tier: z.enum(labTiers).default("standard"),
  })
  .strict();

export const settingsSchema = z
  .object({ holdForReview: z.boolean().optional(), tier: z.enum(labTiers).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "name a setting to change: holdForReview or tier");

type ConnectionRow = typeof labConnections.$inferSelect;

const view = (c: ConnectionRow): LabConnectionView => ({
  lab: c.lab,
  environment: c.environment,
  keyHint: c.keyHint,
  holdForReview: c.holdForReview,
  tier: c.tier,
  connectedAt: c.connectedAt,
});

function clientFor(deps: Pick<LabDeps, "labApiUrl">, environment: ConnectionRow["environment"], apiKey: string): PrintLab {
  return prodigi({ apiKey, baseUrl: deps.labApiUrl || PRODIGI_URLS[environment] });
}

export async function connectionView(tdb: TenantDb): Promise<LabConnectionView | null> {
  const row = await tdb.first(labConnections);
  return row ? view(row) : null;
}

export async function connectLab(deps: LabDeps, input: z.infer<typeof connectSchema>): Promise<LabConnectionView> {
  const lab = clientFor(deps, input.environment, input.apiKey);
  // A refused key is a lab_refused naming apiKey; a lab that is down is lab_unavailable: try again.
  await lab.requirement({ sku: PROBE_SKU, attributes: {} }).catch((err) => {
    if (err instanceof AppError && err.code === "lab_refused" && (err.extra.details as { field: string }[])[0]?.field !== "apiKey") return;
    throw err;
  });
  const row = {
    lab: input.lab,
    environment: input.environment,
    sealedKey: await seal(deps.pepper, "lab-key", input.apiKey, deps.tdb.tenantId),
    keyHint: input.apiKey.slice(-4),
    holdForReview: input.holdForReview,
    tier: input.tier,
    connectedAt: Date.now(),
  };
  await deps.tdb.insert(labConnections, row).onConflictDoUpdate({ target: labConnections.tenantId, set: row });
  return view({ tenantId: deps.tdb.tenantId, ...row });
}

export async function updateLabSettings(tdb: TenantDb, patch: z.infer<typeof settingsSchema>): Promise<LabConnectionView> {
  const [row] = await tdb.update(labConnections, patch).returning();
  if (!row) throw notConnected();
  return view(row);
}

/** Orders already at the lab carry on there (each keeps the account it went to); nothing new is sent until a lab is connected again. */
export async function disconnectLab(tdb: TenantDb): Promise<void> {
  await tdb.delete(labConnections);
}

export const notConnected = () =>
  new AppError("lab_not_connected", "No print lab is connected: connect one under Store › Print lab before mapping items or sending orders.");

/** The account a lab order went to: its environment and its key, sealed. */
export interface LabAccount {
  environment: ConnectionRow["environment"];
  sealedKey: string;
}

/** The studio's lab client, with the account it uses, or null without a connection. */
export async function studioLab(deps: LabDeps): Promise<{ lab: PrintLab; connection: LabConnectionView; account: LabAccount } | null> {
  const row = await deps.tdb.first(labConnections);
  if (!row) return null;
  const apiKey = await unseal(deps.pepper, "lab-key", row.sealedKey, deps.tdb.tenantId);
  return { lab: clientFor(deps, row.environment, apiKey), connection: view(row), account: { environment: row.environment, sealedKey: row.sealedKey } };
}

/** The client for the account an order went to (else the studio's current one), or null. */
export async function accountLab(
  deps: LabDeps,
  account: { environment: LabAccount["environment"] | null; sealedKey: string | null },
): Promise<PrintLab | null> {
  if (!account.environment || !account.sealedKey) return (await studioLab(deps))?.lab ?? null;
  return clientFor(deps, account.environment, await unseal(deps.pepper, "lab-key", account.sealedKey, deps.tdb.tenantId));
}

export async function requireLab(deps: LabDeps) {
  const found = await studioLab(deps);
  if (!found) throw notConnected();
  return found;
}
