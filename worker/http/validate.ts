// Request validation through zod; every failure becomes one AppError naming the field.
import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import { type ZodError, type ZodSchema, z } from "zod";
import { AppError } from "../lib/errors";
import { plainInput } from "./plain-input";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

export function validate<Target extends keyof ValidationTargets, S extends ZodSchema>(target: Target, schema: S) {
  // Every field is checked for what no field may hold first; the schema then reads what passed.
  const checked = z
    .unknown()
    .superRefine((v, ctx) => plainInput(v, ctx))
    .pipe(schema) as unknown as S;
  return zValidator(target, checked, (result, c: Context) => {
    if (target === "json") {
      const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim();
      if (!JSON_TYPE.test(type)) {
        throw new AppError("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");
      }
    }
    if (!result.success) {
      const where = target === "json" ? "" : `${target} `;
      throw new AppError("invalid_input", `Invalid ${where}input — ${describeZodError(result.error)}`, {
        details: result.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
      });
    }
  });
}
