import { type Type, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type ErrorDetail, ValidationFailed } from './domain-error';

/**
 * Flattens class-validator's tree into one entry per bad field, with dotted paths for nested ones.
 * A required field that is absent (or null) is one message, `<field> is required`, instead of every
 * rule its value would have had to pass.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    if (isMissing(error) && constraints.length > 0)
      return [{ field, message: `${field} is required` }];
    const own = constraints.map(([, message]) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Absent or null, and not a field that should not be there at all (whitelist). */
function isMissing(error: ValidationError): boolean {
  return (
    (error.value === undefined || error.value === null) &&
    error.constraints?.whitelistValidation === undefined
  );
}

/** The global pipe; `expectedType` validates a parameter whose declared type says nothing. */
export function createValidationPipe(options: { expectedType?: Type } = {}): ValidationPipe {
  return new ValidationPipe({
    ...options,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
