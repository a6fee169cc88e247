import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { toErrorResponse } from './error-body';

/** The one place an HTTP failure becomes a response. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('HTTP');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { body, expected } = toErrorResponse(exception);
    if (!expected) {
      this.logger.error({ err: exception, path: request.path }, 'Request failed unexpectedly');
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.code).json(body);
  }
}
