/** One bad input field, as listed in `details` of a 400 response. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * The error every service throws for an expected failure. `code` is the machine-readable
 * `error_code` clients can branch on; `status` is the HTTP status the filter answers with (Socket.IO
 * acks and Discord replies use the same code and message).
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  /** Sent as `Retry-After` (seconds) when set: the failure is expected to pass by itself. */
  retryAfterSeconds?: number;
  /** More fields of the error body, e.g. the sources a refused one could have been. */
  extra?: Record<string, unknown>;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export class ValidationFailed extends DomainError {
  constructor(details: ErrorDetail[]) {
    const message =
      details.length > 0 ? details.map((d) => d.message).join('; ') : 'Validation failed';
    super('VALIDATION_FAILED', 400, message, details);
  }
}

export class MalformedJson extends DomainError {
  constructor(message = 'Request body is not valid JSON') {
    super('MALFORMED_JSON', 400, message);
  }
}

export class PayloadTooLarge extends DomainError {
  constructor(limit: string) {
    super('PAYLOAD_TOO_LARGE', 413, `Request body is larger than ${limit}`);
  }
}

export class RouteNotFound extends DomainError {
  constructor() {
    // The HazeBot server's wording, which its clients show.
    super('ROUTE_NOT_FOUND', 404, 'Endpoint not found');
  }
}

export class ServiceUnavailable extends DomainError {
  constructor(message = 'Service unavailable') {
    super('SERVICE_UNAVAILABLE', 503, message);
  }
}
