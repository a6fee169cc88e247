import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/** Headers a browser client may read from cross-origin responses. */
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After'];

/**
 * CORS from CORS_ORIGINS: unset allows no cross-origin callers (same-origin and non-browser
 * clients are unaffected); a list allows exactly those origins with credentials; `*` allows any
 * origin but never with credentials.
 */
export function corsOptions(origins: string[]): CorsOptions | undefined {
  if (origins.length === 0) return undefined;
  const common = { exposedHeaders: EXPOSED_HEADERS, maxAge: 600 };
  if (origins.includes('*')) return { ...common, origin: '*', credentials: false };
  return { ...common, origin: origins, credentials: true };
}
