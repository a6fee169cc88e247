export { AllExceptionsFilter } from './all-exceptions.filter';
export { type ErrorReport, ErrorReports, ErrorReportsModule } from './error-reports';
export * from './domain-error';
export {
  codeForStatus,
  type ErrorBody,
  type ErrorResponse,
  INTERNAL_ERROR_MESSAGE,
  toErrorResponse,
} from './error-body';
export { createValidationPipe, flattenValidationErrors } from './validation';
export {
  DatabaseBusy,
  driverErrorCode,
  type StorageCondition,
  storageConditionOf,
  StorageFull,
  storageFailureOf,
  StorageUnavailable,
} from './storage-errors';
