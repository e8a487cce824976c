// Starts the fake Cloudflare for SaaS API (fake-cloudflare.ts) once for the workerd test run; the
// pool hands its URL, zone and token to the worker as CF_API_URL, CF_ZONE_ID and CF_API_TOKEN.
import type { TestProject } from "vitest/node";
import { FAKE_CF_TOKEN, FAKE_CF_ZONE, startFakeCloudflare } from "./fake-cloudflare";

declare module "vitest" {
  export interface ProvidedContext {
    cloudflareApi: string;
    cloudflareZone: string;
    cloudflareToken: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startFakeCloudflare();
  project.provide("cloudflareApi", url);
  project.provide("cloudflareZone", FAKE_CF_ZONE);
  project.provide("cloudflareToken", FAKE_CF_TOKEN);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
