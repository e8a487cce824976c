// Request validation through zod; every failure becomes one AppError naming the field.
import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { ZodError, ZodSchema } from "zod";
import { AppError } from "../lib/errors";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

export function validate<Target extends keyof ValidationTargets, S extends ZodSchema>(target: Target, schema: S) {
  return zValidator(target, schema, (result, c: Context) => {
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
