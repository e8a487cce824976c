// Starts the fake Prodigi Print API (fake-prodigi.ts) once for the workerd test run; the pool hands its
// URL to the worker as PRODIGI_API_URL.
import type { TestProject } from "vitest/node";
import { startFakeProdigi } from "./fake-prodigi";

declare module "vitest" {
  export interface ProvidedContext {
    prodigiApi: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startFakeProdigi();
  project.provide("prodigiApi", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
