import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether an Authorization header carries METRICS_TOKEN as a bearer token (always, without one). */
export function metricsAllowed(
  token: string | undefined,
  authorization: string | undefined,
): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1].trim()), digest(token));
}
