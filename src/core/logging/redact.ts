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
      return SECRET_QUERY_PARAMS.has(name) ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, queryStart)}?${pairs.join('&')}`;
}

/**
 * Paths pino censors in anything logged with an object (request bodies a module decides to log,
 * errors with attached config, ...). Headers are not serialised at all; see the request serializer.
 */
export const REDACT_PATHS: string[] = [
  'password',
  'token',
  'api_key',
  'secret',
  'authorization',
  '*.password',
  '*.token',
  '*.api_key',
  '*.apiKey',
  '*.secret',
  '*.secretKey',
  '*.authorization',
  '*.access_token',
  '*.refresh_token',
  '*.*.password',
  '*.*.token',
  '*.*.api_key',
  '*.*.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];
