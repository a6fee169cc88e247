import {
  type ArgumentMetadata,
  type Type,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { LRUCache } from 'lru-cache';
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

/** Query strings longer than this are validated every time. */
const MAX_REMEMBERED_QUERY = 1024;

/**
 * ValidationPipe that remembers query DTOs it accepted. The same few query strings come back on
 * every poll of a list, and class-validator's metadata walk costs more per request than many of the
 * routes behind it; the rules on query DTOs are pure (no clock, no I/O), so the same text gives the
 * same instance. Only instances whose fields are all primitives are remembered (each request gets
 * its own copy), and only accepted ones: a refused query is checked again, with its messages.
 */
class RememberingValidationPipe extends ValidationPipe {
  private readonly accepted = new WeakMap<Type, LRUCache<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (metadata.type !== 'query' || !type || !this.toValidate(metadata))
      return super.transform(value, metadata);
    const key = JSON.stringify(value);
    if (key === undefined || key.length > MAX_REMEMBERED_QUERY)
      return super.transform(value, metadata);
    let remembered = this.accepted.get(type);
    const hit = remembered?.get(key);
    if (hit) return copyOf(hit);
    const result: unknown = await super.transform(value, metadata);
    if (isFlat(result)) {
      if (!remembered) {
        remembered = new LRUCache({ max: 256 });
        this.accepted.set(type, remembered);
      }
      remembered.set(key, copyOf(result));
    }
    return result;
  }
}

function isFlat(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((field) => field === null || typeof field !== 'object')
  );
}

function copyOf<T extends object>(instance: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(instance) as object) as T, instance);
}

/** The global pipe; `expectedType` validates a parameter whose declared type says nothing. */
export function createValidationPipe(options: { expectedType?: Type } = {}): ValidationPipe {
  return new RememberingValidationPipe({
    ...options,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
