// /api/studios/:studioId/store: the studio's print lab (owners connect it), which lab product each
// price-sheet item is, and each order's prints at the lab. Mounted beside storeRoutes.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { LabConnectionResponse, LabOrderResponse, LabProductResponse, LabProductsResponse } from "../contract/labs";
import { cancelAtLab } from "../domain/labs/cancel";
import { connectionView, connectLab, connectSchema, disconnectLab, settingsSchema, updateLabSettings } from "../domain/labs/connection";
import { mapItem, mapSchema, sheetLabProducts, unmapItem } from "../domain/labs/products";
import { labOrderOf, sendSchema, sendToLab } from "../domain/labs/routing";
import { requireOwner } from "../http/auth";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";

export const labRoutes = new Hono<AppEnv>();

const labDeps = (c: Context<AppEnv>) => ({ tdb: c.get("tdb"), pepper: c.env.PASSWORD_PEPPER, labApiUrl: c.env.PRODIGI_API_URL });
const itemParams = z.object({ sheetId: z.string().min(1).max(40), itemId: z.string().min(1).max(40) });

labRoutes.get("/lab", async (c) => c.json({ connection: await connectionView(c.get("tdb")) } satisfies LabConnectionResponse));
labRoutes.put("/lab", requireOwner, validate("json", connectSchema), async (c) =>
  c.json({ connection: await connectLab(labDeps(c), c.req.valid("json")) } satisfies LabConnectionResponse),
);
labRoutes.patch("/lab", requireOwner, validate("json", settingsSchema), async (c) =>
  c.json({ connection: await updateLabSettings(c.get("tdb"), c.req.valid("json")) } satisfies LabConnectionResponse),
);
labRoutes.delete("/lab", requireOwner, async (c) => {
  await disconnectLab(c.get("tdb"));
  return c.body(null, 204);
});

labRoutes.get("/price-sheets/:sheetId/lab-products", async (c) =>
  c.json({ products: await sheetLabProducts(c.get("tdb"), c.req.param("sheetId")) } satisfies LabProductsResponse),
);
labRoutes.put("/price-sheets/:sheetId/items/:itemId/lab", validate("param", itemParams), validate("json", mapSchema), async (c) => {
  const { sheetId, itemId } = c.req.valid("param");
  const product = await mapItem(labDeps(c), sheetId, itemId, c.req.valid("json"));
  return c.json({ product } satisfies LabProductResponse);
});
labRoutes.delete("/price-sheets/:sheetId/items/:itemId/lab", validate("param", itemParams), async (c) => {
  const { sheetId, itemId } = c.req.valid("param");
  await unmapItem(c.get("tdb"), sheetId, itemId);
  return c.body(null, 204);
});

labRoutes.get("/orders/:orderId/lab", async (c) => c.json({ labOrder: await labOrderOf(c.get("tdb"), c.req.param("orderId")) } satisfies LabOrderResponse));
labRoutes.post("/orders/:orderId/lab/send", validate("json", sendSchema), async (c) =>
  c.json({ labOrder: await sendToLab(c.get("tdb"), c.req.param("orderId"), c.req.valid("json")) } satisfies LabOrderResponse),
);
labRoutes.post("/orders/:orderId/lab/cancel", async (c) =>
  c.json({ labOrder: await cancelAtLab(labDeps(c), c.req.param("orderId")) } satisfies LabOrderResponse),
);
