// Starts the fake Cloudflare for SaaS API (fake-cloudflare.ts) once for the workerd test run; the
// pool hands its URL to the worker as CF_API_URL.
import type { TestProject } from "vitest/node";
import { startFakeCloudflare } from "./fake-cloudflare";

declare module "vitest" {
  export interface ProvidedContext {
    cloudflareApi: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startFakeCloudflare();
  project.provide("cloudflareApi", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
