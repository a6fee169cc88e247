import type { EntityManager } from 'typeorm';

/** One open transaction, as the code running inside it sees it (through AsyncLocalStorage). */
export interface TransactionScope {
  manager: EntityManager;
  /** False once it has committed or rolled back. */
  open: boolean;
  /** Run once it has committed, outside it; dropped when it rolls back. */
  afterCommit: (() => void)[];
}
