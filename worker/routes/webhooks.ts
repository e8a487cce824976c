// Stripe's webhooks on the app host: /webhooks/stripe (platform events: the studios' Loupe
// subscriptions) and /webhooks/stripe/connect (events of the studios' own accounts: their clients'
// payments, refunds and account status). The body is read raw: the signature covers its bytes.
import { Hono } from "hono";
import { callbackSchema } from "../domain/labs/callbacks";
import { labImageFor, receiveLabCallback } from "../domain/labs/public";
import { type Endpoint, handleStripeEvent, verifyStripeEvent } from "../domain/store/webhooks";
import { limitBody } from "../http/body-limit";
import type { AppEnv } from "../http/context";
import { validate } from "../http/validate";
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

// A print lab's status callbacks: the address's token names the studio and the order; the body is
// only a prompt to read the order back from the lab (domain/labs/callbacks.ts).
webhookRoutes.post("/labs/prodigi/:token", validate("json", callbackSchema), async (c) =>
  c.json({ received: true, ...(await receiveLabCallback(c.env, c.req.param("token"), c.req.valid("json"))) }),
);

/** The images a lab prints, at /lab/images/<token>.jpg on the app host: only with the link Loupe sent the lab. */
export const labImageRoutes = new Hono<AppEnv>();
labImageRoutes.get("/images/:token", async (c) => {
  const image = await labImageFor(c.env, c.req.param("token"));
  return c.body(image.body, 200, {
    "content-type": image.type,
    ...(image.size !== null && { "content-length": String(image.size) }),
    "cache-control": "private, no-store",
  });
});
