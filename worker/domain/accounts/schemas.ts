// Input rules for accounts and studios, shared by routes (validation) and domain code (types).
import { z } from "zod";

export const RESERVED_SLUGS = new Set([
  "app",
  "www",
  "api",
  "admin",
  "administrator",
  "assets",
  "static",
  "cdn",
  "media",
  "img",
  "images",
  "mail",
  "email",
  "smtp",
  "help",
  "support",
  "status",
  "blog",
  "docs",
  "billing",
  "dashboard",
  "login",
  "logout",
  "signup",
  "register",
  "auth",
  "account",
  "accounts",
  "settings",
  "root",
  "loupe",
  "system",
  "webhooks",
  "stripe",
  "staging",
  "dev",
  "test",
  "internal",
  "ws",
  "rooms",
]);

export const slugSchema = z
  .string()
  .trim()
  .min(3, "must be at least 3 characters")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "use lowercase letters, digits and inner hyphens only")
  .refine((s) => !s.includes("--"), "must not contain two hyphens in a row")
  .refine((s) => !RESERVED_SLUGS.has(s), "is reserved; choose another");

export const emailSchema = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .email("must be an email address")
  .transform((e) => e.toLowerCase());

export const passwordSchema = z.string().min(10, "must be at least 10 characters").max(200, "must be at most 200 characters");

export const personNameSchema = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const signupSchema = z.object({
  studioName: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
  slug: slugSchema,
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SignupInput = z.infer<typeof signupSchema>;

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "is required").max(200, "must be at most 200 characters"),
});
export type LoginInput = z.infer<typeof loginSchema>;
