import { parse as parseLossless } from 'lossless-json';
import { MalformedJson } from '../errors';

/** Sixteen or more digits in a row may be an integer JSON.parse would round (Discord ids are ~19). */
const MAYBE_UNSAFE_INTEGER = /\d{16,}/;
const INTEGER = /^-?\d+$/;

/**
 * Parses a JSON request body. Integers beyond Number.MAX_SAFE_INTEGER (Discord snowflakes sent as
 * numbers by the HazeBot app) are kept as their exact digit strings instead of being rounded.
 * An empty body is `{}`, because the app sends `Content-Type: application/json` on body-less calls.
 * Like body-parser's strict mode, only objects and arrays are accepted.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
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

function parseNumber(digits: string): number | string {
  const value = Number(digits);
  return INTEGER.test(digits) && !Number.isSafeInteger(value) ? digits : value;
}
