// The client app's store in one answer: what the gallery sells, the visitor's cart, priced, and
// the orders they placed there.
import type { ShopResponse } from "../../contract/store";
import type { TenantDb } from "../../db/tenant-db";
import { pricedCart, type Shopper, storeView } from "./cart";
import { visitorOrders } from "./orders";

export async function shopView(tdb: TenantDb, s: Shopper): Promise<ShopResponse> {
  const [cart, orders] = await Promise.all([pricedCart(tdb, s), visitorOrders(tdb, s.gallery.id, s.visitorId)]);
  return { store: storeView(s), cart, orders };
}
