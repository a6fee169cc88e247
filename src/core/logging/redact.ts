import { stdSerializers } from 'pino';

/** Query parameters whose values never reach a log line. */
const SECRET_QUERY_PARAMS = new Set([
  'api_key',
  'apikey',
  'token',
  'access_token',
  'refresh_token',
  'code',
  'state',
  'password',
  'secret',
  'authorization',
  'x-api-key',
  'x_api_key',
]);

export const REDACTED = '[redacted]';

/** `/list_codes?api_key=abc&x=1` → `/list_codes?api_key=[redacted]&x=1`, without decoding anything else. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const pairs = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' ')).toLowerCase();
      } catch {
        name = rawName.toLowerCase();
      }
      // `api_key[]=…` and `api_key[0]=…` are the same parameter to most query parsers.
      const bare = name.replace(/\[[^\]]*\]/g, '').trim();
      return SECRET_QUERY_PARAMS.has(bare) ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, queryStart)}?${pairs.join('&')}`;
}

/** Keys whose values are credentials, whatever their case or separator: `API_KEY`, `Api-Key`, `apiKey`. */
const SECRET_KEY =
  /^(?:x[-_]?)?(?:api[-_]?key|token|access[-_]?token|refresh[-_]?token|password|passwd|secret|secret[-_]?key|authorization|cookie)$/i;

/**
 * What the logger's serializers turn into safe fields themselves: a request and a response become a
 * few named fields, an error is serialized and censored (censorError). Never walked here.
 */
const SERIALISED = new Set(['req', 'res', 'err']);

/**
 * Censors credentials in an object about to be logged, at any case or spelling of their key and up
 * to a few levels deep; REDACT_PATHS only matches exact paths. Plain objects and arrays are copied
 * where something is censored; anything else (an Error, a request) is left to its serializer.
 */
export function censorSecrets(value: Record<string, unknown>): Record<string, unknown> {
  return censor(value, 0, true) as Record<string, unknown>;
}

/**
 * An error as a log line shows it: its type, message, stack and own properties (such as an HTTP
 * client's request config), censored like any logged object. Takes the Error itself or what pino's
 * error serializer already made of it; anything else is censored as it is.
 */
export function censorError(error: unknown): unknown {
  const serialized: unknown = error instanceof Error ? stdSerializers.err(error) : error;
  if (serialized === null || typeof serialized !== 'object') return serialized;
  return censor({ ...serialized }, 0);
}

function censor(value: unknown, depth: number, top = false): unknown {
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let copy: unknown[] | undefined;
    items.forEach((item, i) => {
      const next = censor(item, depth + 1);
      if (next !== item) (copy ??= [...items])[i] = next;
    });
    return copy ?? items;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    if (top && SERIALISED.has(key)) continue;
    const next = SECRET_KEY.test(key) && item != null ? REDACTED : censor(item, depth + 1);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}
