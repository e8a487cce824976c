// Stripe's webhooks on the app host: /webhooks/stripe (platform events: the studios' Loupe
// subscriptions) and /webhooks/stripe/connect (events of the studios' own accounts: their clients'
// payments, refunds and account status). The body is read raw: the signature covers its bytes.
import { Hono } from "hono";
import { type Endpoint, handleStripeEvent, verifyStripeEvent } from "../domain/store/webhooks";
import { limitBody } from "../http/body-limit";
import type { AppEnv } from "../http/context";
import { AppError } from "../lib/errors";
import { studioOrigin } from "../lib/origins";

export const webhookRoutes = new Hono<AppEnv>();

webhookRoutes.use(
  "*",
  limitBody(512 * 1024, () => new AppError("payload_too_large", "The event is over 512 KB.")),
);

const endpoints: [string, Endpoint][] = [
  ["/stripe", "platform"],
  ["/stripe/connect", "connect"],
];
for (const [path, endpoint] of endpoints) {
  webhookRoutes.post(path, async (c) => {
    const event = await verifyStripeEvent(c.env, endpoint, await c.req.text(), c.req.header("stripe-signature"));
    const outcome = await handleStripeEvent(c.env, c.get("directory"), endpoint, event, (slug) => studioOrigin(c.env, c.req.raw, slug));
    return c.json({ received: true, ...outcome });
  });
}
