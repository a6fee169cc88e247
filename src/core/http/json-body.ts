import { parse as parseLossless } from 'lossless-json';
import { MalformedJson, ValidationFailed } from '../errors';

/** Sixteen or more digits in a row may be an integer JSON.parse would round (Discord ids are ~19). */
const MAYBE_UNSAFE_INTEGER = /\d{16,}/;
const INTEGER = /^-?\d+$/;

/**
 * Parses a JSON request body. Integers beyond Number.MAX_SAFE_INTEGER (Discord snowflakes sent as
 * numbers by the HazeBot app) are kept as their exact digit strings instead of being rounded.
 * An empty body is `{}`, because the app sends `Content-Type: application/json` on body-less calls.
 * Like body-parser's strict mode, only objects and arrays are accepted.
 */
export function parseJsonBody(text: string, limits: JsonLimits = JSON_LIMITS): unknown {
  if (text.trim() === '') return {};
  checkShape(text, limits);
  let value: unknown;
  try {
    value = MAYBE_UNSAFE_INTEGER.test(text)
      ? parseLossless(text, undefined, parseNumber)
      : JSON.parse(text);
  } catch {
    throw new MalformedJson();
  }
  if (value === null || typeof value !== 'object') throw new MalformedJson();
  return value;
}

export interface JsonLimits {
  /** Arrays and objects inside each other. */
  depth: number;
  /** Elements of one array, or members of one object. */
  members: number;
}

/** Far beyond any body this API takes, far below what validation can walk without a stack overflow. */
export const JSON_LIMITS: JsonLimits = { depth: 32, members: 10_000 };

/**
 * One pass over the text before parsing it: a body nested deeper than `limits.depth` or with a
 * container of more than `limits.members` entries is refused before anything is built from it.
 * Strings are skipped, escapes included; the text's own syntax errors are left to the parser.
 */
function checkShape(text: string, limits: JsonLimits): void {
  const members: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      continue;
    }
    switch (c) {
      case 0x22: // "
        inString = true;
        break;
      case 0x5b: // [
      case 0x7b: // {
        if (members.length >= limits.depth)
          throw new MalformedJson(`Request body is nested deeper than ${limits.depth} levels`);
        members.push(1);
        break;
      case 0x5d: // ]
      case 0x7d: // }
        members.pop();
        break;
      case 0x2c: // ,
        if (members.length > 0 && ++members[members.length - 1] > limits.members)
          throw new MalformedJson(
            `Request body has an array or object of more than ${limits.members} entries`,
          );
        break;
    }
  }
}

/**
 * Parses a JSON document of the operator's own (a data file): integers beyond 2^53 are kept as their
 * digit strings, and a syntax error keeps the parser's message with its character position.
 */
export function parseExactJson(text: string): unknown {
  return parseLossless(text, undefined, parseNumber);
}

function parseNumber(digits: string): number | string {
  const value = Number(digits);
  return INTEGER.test(digits) && !Number.isSafeInteger(value) ? digits : value;
}

/** A NUL character, or half of a surrogate pair without its other half. */
const ILL_FORMED = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Every string of a request body is well-formed text: no NUL character (PostgreSQL refuses it,
 * C-string tools cut at it) and no lone surrogate (not encodable as UTF-8, so Discord, e-mail and
 * the database would each mangle it differently). Answers 400 naming the first such field.
 */
export function assertWellFormedText(value: unknown): void {
  const pending: [unknown, string][] = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (ILL_FORMED.test(item)) {
        const field = path || 'body';
        throw new ValidationFailed([
          { field, message: `${field} must be text without NUL characters or lone surrogates` },
        ]);
      }
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        pending.push([
          child,
          Array.isArray(item) ? `${path}[${key}]` : path ? `${path}.${key}` : key,
        ]);
      }
    }
  }
}
