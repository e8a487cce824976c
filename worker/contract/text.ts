// What no text or number a person sends may be, whatever field it is in: control characters (tabs
// and line breaks excepted) and lone surrogates break CSV exports, mail headers and what the studio
// reads later; a number past 2^53 is no amount, position or date. The API and the room both check.

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it finds.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this text may not be stored, or null. */
export function textProblem(s: string): string | null {
  if (CONTROL.test(s)) return "must not contain control characters";
  if (LONE_SURROGATE.test(s)) return "must be valid text (it has a lone surrogate)";
  return null;
}

/** Why this number may not be stored, or null. */
export function numberProblem(n: number): string | null {
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER
    ? null
    : `must be a number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`;
}
