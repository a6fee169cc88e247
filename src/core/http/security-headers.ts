import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers, worked out once. helmet runs a dozen middlewares on every request and
 * rebuilds its Content-Security-Policy text each time, about 5 % of a ticket list's CPU. With
 * static options (no per-request nonces) its answer is the same for every request, so it is
 * asked once, with a response that only records what it sets and removes.
 */
export function securityHeaders(options: HelmetOptions) {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.flat().some((value) => typeof value === 'function'))
    throw new Error('A security header that depends on the request cannot be set once');
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.push([name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let outcome: { error?: unknown } | undefined;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      outcome = { error };
    },
  );
  // A helmet that answered later, or refused its options, cannot be read off once.
  if (!outcome) throw new Error('helmet did not answer synchronously');
  if (outcome.error) throw new Error('helmet refused its options', { cause: outcome.error });
  return function setSecurityHeaders(_req: Request, res: Response, next: NextFunction): void {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
