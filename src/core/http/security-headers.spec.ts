import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { securityHeaders } from './security-headers';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

function answer(middleware: Middleware): Record<string, unknown> {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  res.setHeader('X-Powered-By', 'Express');
  let called = 0;
  middleware(req as Request, res as unknown as Response, () => (called += 1));
  expect(called).toBe(1);
  return res.getHeaders();
}

describe('security headers', () => {
  const options: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'script-src': ["'self'"], 'upgrade-insecure-requests': null },
    },
  };

  it('are the headers helmet sets and removes, read off once', () => {
    const headers = answer(securityHeaders(options));
    expect(headers).toEqual(answer(helmet(options) as Middleware));
    expect(headers['x-powered-by']).toBeUndefined();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuse options whose answer depends on the request', () => {
    const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${res.statusCode}'`;
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { 'script-src': [nonce] } } }),
    ).toThrow(/request/);
  });
});
