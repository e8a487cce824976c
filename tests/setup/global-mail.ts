// Starts the fake mail provider (fake-mail.ts) once for the workerd test run; the pool hands its
// URL to the worker as EMAIL_API_URL, so the mail queue's consumer sends to it.
import type { TestProject } from "vitest/node";
import { startFakeMail } from "./fake-mail";

declare module "vitest" {
  export interface ProvidedContext {
    mailApi: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startFakeMail();
  project.provide("mailApi", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
