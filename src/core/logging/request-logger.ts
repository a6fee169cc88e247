import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { storage } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import { redactUrl } from './redact';

export const REQUEST_ID_HEADER = 'x-request-id';
const VALID_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** What a request line says about the request: never its headers (Authorization, keys, cookies). */
export interface RequestSummary {
  id: string;
  method: string;
  url: string;
  ip: string | undefined;
  platform: string | string[] | undefined;
}

function summarise(req: Request, id: string): RequestSummary {
  return {
    id,
    method: req.method,
    url: redactUrl(req.originalUrl),
    ip: req.ip,
    platform: req.headers['x-platform'],
  };
}

/**
 * The logger a request's own lines go through (nestjs-pino's PinoLogger and Logger read it from the
 * async context). Its child, bound to the request, is only made when something in the request logs.
 */
class RequestLogContext {
  private bound: Logger | undefined;
  readonly responseLogger = undefined;

  constructor(
    private readonly root: Logger,
    private readonly req: Request,
    readonly id: string,
  ) {}

  get logger(): Logger {
    return (this.bound ??= this.root.child({ req: summarise(this.req, this.id) }));
  }

  /** PinoLogger.assign: later lines of the request carry the extra fields. */
  set logger(logger: Logger) {
    this.bound = logger;
  }
}

/**
 * Request logging: every request gets an id, taken from a well-formed incoming X-Request-Id or
 * generated, echoed in the response header and carried by every line it logs; when the response
 * is done, one line says how it went (`request completed`, `request errored` for a 5xx, or
 * `request aborted` when the client left first), at info, at warn for a 4xx and at error for a 5xx.
 */
export function requestLogger(root: Logger) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const id =
      typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    const started = Date.now();
    // 'close' follows 'finish' on every response, and alone when the client went away first.
    res.once('close', () => {
      const status = res.statusCode;
      const line = {
        req: summarise(req, id),
        res: { statusCode: status },
        responseTime: Date.now() - started,
      };
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      const outcome = !res.writableFinished ? 'aborted' : status >= 500 ? 'errored' : 'completed';
      root[level](line, `request ${outcome}`);
    });
    storage.run(new RequestLogContext(root, req, id), next);
  };
}
