import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetail, RouteNotFound } from './domain-error';
import { storageFailureOf } from './storage-errors';

/** The JSON every failed request answers with: the Build Crew `{ error, code }` shape, extended. */
export interface ErrorBody {
  error: string;
  code: number;
  error_code: string;
  details?: ErrorDetail[];
}

export const INTERNAL_ERROR_MESSAGE = 'An unexpected error occurred';

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  410: 'GONE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
  507: 'STORAGE_FULL',
};

export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

export interface ErrorResponse {
  body: ErrorBody;
  /** False for bugs and unknown outages: their internals never reach the body; log them in full. */
  expected: boolean;
  /** For a `Retry-After` header. */
  retryAfterSeconds?: number;
}

/**
 * Maps anything thrown to a status and body. A coded failure that passes by itself (storage full,
 * database busy) is expected: it carries its Retry-After and needs no stack trace in the log.
 */
export function toErrorResponse(thrown: unknown): ErrorResponse {
  const error = storageFailureOf(thrown) ?? thrown;
  if (error instanceof DomainError) {
    const { retryAfterSeconds } = error;
    return {
      body: bodyOf(error),
      expected: error.status < 500 || retryAfterSeconds !== undefined,
      retryAfterSeconds,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404 && isRouterNotFound(error))
      return { body: bodyOf(new RouteNotFound()), expected: true };
    if (status >= 500) return internal(status);
    return {
      body: { error: messageOf(error), code: status, error_code: codeForStatus(status) },
      expected: true,
    };
  }
  return internal(HttpStatus.INTERNAL_SERVER_ERROR);
}

function bodyOf(error: DomainError): ErrorBody {
  const body: ErrorBody = {
    ...error.extra,
    error: error.message,
    code: error.status,
    error_code: error.code,
  };
  if (error.details && error.details.length > 0) body.details = error.details;
  return body;
}

function internal(status: number): { body: ErrorBody; expected: false } {
  const message = status === 500 ? INTERNAL_ERROR_MESSAGE : 'Service unavailable';
  return {
    body: { error: message, code: status, error_code: codeForStatus(status) },
    expected: false,
  };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && typeof message[0] === 'string') return message.join('; ');
  return error.message;
}

/** Nest's router answers an unknown path with `NotFoundException('Cannot GET /path')`. */
function isRouterNotFound(error: HttpException): boolean {
  return /^Cannot [A-Z]+ \//.test(messageOf(error));
}
