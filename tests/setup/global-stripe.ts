// Starts the fake Stripe API (fake-stripe.ts) once for the workerd test run; the pool hands its
// URL to the worker as STRIPE_API_URL.
import type { TestProject } from "vitest/node";
import { startFakeStripe } from "./fake-stripe";

declare module "vitest" {
  export interface ProvidedContext {
    stripeApi: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startFakeStripe();
  project.provide("stripeApi", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
