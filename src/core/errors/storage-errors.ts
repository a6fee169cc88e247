import { DomainError } from './domain-error';

/** Storage ran out of space: nothing of the request was written. */
export class StorageFull extends DomainError {
  constructor() {
    super('STORAGE_FULL', 507, 'The server has no storage space left; nothing was saved');
    this.retryAfterSeconds = 30;
  }
}

/** Storage failed to read or write (an I/O error, a read-only or lost file or connection). */
export class StorageUnavailable extends DomainError {
  constructor() {
    super('STORAGE_UNAVAILABLE', 503, 'The database is unavailable; nothing was saved');
    this.retryAfterSeconds = 10;
  }
}

/** Another process held the database lock for longer than the wait budget. */
export class DatabaseBusy extends DomainError {
  constructor() {
    super('DATABASE_BUSY', 503, 'The database is busy; try again shortly');
    this.retryAfterSeconds = 1;
  }
}

export type StorageCondition = 'full' | 'unavailable';

const SQLITE_UNAVAILABLE = /^SQLITE_(IOERR|READONLY|CANTOPEN|NOTADB|CORRUPT)/;
// PostgreSQL SQLSTATEs: 53100 disk_full; 58030 io_error; 08xxx connection exceptions;
// 57P01-57P03 the server shutting down or not accepting connections yet.
const PG_UNAVAILABLE = /^(58030|08\w{3}|57P0[123])$/;

/** The driver's error code of anything a query threw (TypeORM wraps it as `driverError`). */
export function driverErrorCode(error: unknown): string | undefined {
  const driver = (error as { driverError?: unknown } | undefined)?.driverError ?? error;
  const code = (driver as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether a driver error says the storage is full or failing; other errors are not its business. */
export function storageConditionOf(error: unknown): StorageCondition | undefined {
  const code = driverErrorCode(error);
  if (code === undefined) return undefined;
  if (code === 'SQLITE_FULL' || code === '53100') return 'full';
  if (SQLITE_UNAVAILABLE.test(code) || PG_UNAVAILABLE.test(code)) return 'unavailable';
  return undefined;
}

/** The coded error a storage failure answers with, or undefined for any other error. */
export function storageFailureOf(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return undefined;
  const condition = storageConditionOf(error);
  if (condition === 'full') return new StorageFull();
  if (condition === 'unavailable') return new StorageUnavailable();
  if (driverErrorCode(error) === '55P03') return new DatabaseBusy();
  return undefined;
}
