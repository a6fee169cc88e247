import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type RequestHandler, type Response, text } from 'express';
import { AppConfig } from '../env';
import { DomainError, PayloadTooLarge } from '../errors';
import { assertWellFormedText, parseJsonBody } from './json-body';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Reads and parses JSON bodies. It replaces Nest's built-in body parser so that its failures (413,
 * malformed JSON) go through the global exception filter with a request id and a log line, like
 * every other error, instead of Express's HTML error page.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly read: RequestHandler;

  constructor(private readonly config: AppConfig) {
    this.read = text({ type: JSON_TYPES, limit: config.http.bodyLimit, defaultCharset: 'utf-8' });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    // No body to read (most GETs): on at once, without a round through the parser.
    if (
      req.headers['transfer-encoding'] === undefined &&
      req.headers['content-length'] === undefined
    ) {
      next();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      void this.read(req, res, (error?: unknown) =>
        error ? reject(this.toDomainError(error)) : resolve(),
      );
    });
    if (typeof req.body === 'string') {
      req.body = parseJsonBody(req.body);
      assertWellFormedText(req.body);
    }
    next();
  }

  private toDomainError(error: unknown): Error {
    const { type, status } = error as { type?: string; status?: number };
    if (type === 'entity.too.large') return new PayloadTooLarge(this.config.http.bodyLimit);
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported request body encoding');
    }
    if (type === 'request.aborted')
      return new DomainError('REQUEST_ABORTED', 400, 'Request was aborted');
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new DomainError('BAD_REQUEST', status, 'Request body could not be read');
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}
