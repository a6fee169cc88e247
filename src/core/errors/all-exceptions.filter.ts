import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { toErrorResponse } from './error-body';
import { ErrorReports } from './error-reports';

/** The one place an HTTP failure becomes a response. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    private readonly reports: ErrorReports,
  ) {
    logger.setContext('HTTP');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { body, expected, retryAfterSeconds } = toErrorResponse(exception);
    if (!expected) {
      this.logger.error({ err: exception, path: request.path }, 'Request failed unexpectedly');
    } else if (body.code >= 500) {
      this.logger.warn({ path: request.path, error_code: body.error_code }, body.error);
    }
    if (!expected || body.code >= 500) {
      const error = exception instanceof Error ? exception : undefined;
      const route = (request.route as { path?: unknown } | undefined)?.path;
      this.reports.report({
        type: expected ? body.error_code : (error?.name ?? typeof exception),
        message: error?.message ?? body.error,
        route: `${request.method} ${typeof route === 'string' ? route : 'unmatched'}`,
        stack: error?.stack ?? null,
        at: new Date(),
      });
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(retryAfterSeconds));
    response.status(body.code).json(body);
  }
}
