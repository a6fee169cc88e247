export { AllExceptionsFilter } from './all-exceptions.filter';
export * from './domain-error';
export {
  codeForStatus,
  type ErrorBody,
  INTERNAL_ERROR_MESSAGE,
  toErrorResponse,
} from './error-body';
export { createValidationPipe, flattenValidationErrors } from './validation';
