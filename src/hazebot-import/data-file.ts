import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseExactJson } from '../core/http';
import { isDiscordId } from '../core/validation';

/** A data file that is not what HazeBot writes: names the file, where in it, and what was expected. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly where: string | undefined,
    readonly expected: string,
  ) {
    super(`${file}${where ? ` ${where}` : ''}: ${expected}`);
  }
}

/**
 * Reads one of HazeBot's JSON files exactly (Discord ids are integers beyond 2^53 there and arrive as
 * their digit strings). A syntax error names its line and column.
 */
export function readJsonFile(path: string): unknown {
  const file = basename(path);
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  try {
    return parseExactJson(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    if (!position) throw new DataFileError(file, undefined, `not valid JSON (${message})`);
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const reason = message.replace(/ at position \d+$/, '');
    throw new DataFileError(file, `line ${line}, column ${column}`, `not valid JSON: ${reason}`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The shape checks every part makes, each failing with the file and key. */
export class Expect {
  constructor(readonly file: string) {}

  fail(where: string | undefined, expected: string): never {
    throw new DataFileError(this.file, where, expected);
  }

  object(value: unknown, where?: string): Record<string, unknown> {
    if (!isPlainObject(value)) this.fail(where, `expected a JSON object, found ${kindOf(value)}`);
    return value;
  }

  stringList(value: unknown, where?: string): string[] {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
      this.fail(where, `expected a list of strings, found ${kindOf(value)}`);
    return value as string[];
  }

  boolean(value: unknown, where?: string): boolean {
    if (typeof value !== 'boolean')
      this.fail(where, `expected true or false, found ${kindOf(value)}`);
    return value;
  }

  text(value: unknown, where: string, max: number): string {
    if (typeof value !== 'string' || !value.trim() || value.length > max)
      this.fail(where, `expected text of 1 to ${max} characters, found ${kindOf(value)}`);
    return value;
  }

  /** A snowflake, as JSON integer (exact) or string. */
  discordId(value: unknown, where?: string): string {
    if (!isDiscordId(value)) this.fail(where, `expected a Discord id, found ${kindOf(value)}`);
    return String(value);
  }
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

/**
 * HazeBot's times: ISO with an offset, or naive: UTC where HazeBot wrote `utcnow()`, the wall clock
 * of `timeZone` where it wrote `now()`.
 */
export function parseLegacyTime(value: unknown, timeZone?: string): Date | null {
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text))
    return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text.slice(10));
  // Python writes microseconds; a Date keeps milliseconds.
  const trimmed = text.replace(/(\.\d{3})\d+/, '$1');
  const date = new Date(hasZone ? trimmed : `${trimmed}${trimmed.length === 10 ? '' : 'Z'}`);
  if (Number.isNaN(date.getTime())) return null;
  return hasZone || !timeZone ? date : new Date(wallClockToUtc(date.getTime(), timeZone));
}

/** The instant at which the clocks of `timeZone` show `wall` (a wall-clock time read as UTC). */
export function wallClockToUtc(wall: number, timeZone: string): number {
  const first = wall - offsetOf(timeZone, wall);
  return wall - offsetOf(timeZone, first);
}

function offsetOf(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const shown = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return shown - Math.floor(at / 1000) * 1000;
}
