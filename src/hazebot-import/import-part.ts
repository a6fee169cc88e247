import type { INestApplication } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One thing a part left out, and why. */
export interface Skipped {
  what: string;
  reason: string;
}

/** What one part did (or, on a dry run, would do). */
export interface PartOutcome {
  /** Rows or settings written. */
  imported: number;
  /** Already in Guildhall: a second run lands here. */
  present: number;
  skipped: Skipped[];
  /** How names and ids of HazeBot became Guildhall's (`legacy_user → admin`, cog names …). */
  mapped: string[];
  /** What the operator should look at, though the part succeeded. */
  warnings: string[];
  /** What `imported` counts, for the summary: `settings`, `tokens` … */
  unit: string;
}

export function outcome(unit: string): PartOutcome {
  return { imported: 0, present: 0, skipped: [], mapped: [], warnings: [], unit };
}

/** What a part's writing step gets: the transaction and the application's services. */
export interface PartContext {
  manager: EntityManager;
  app: INestApplication;
  /** Reports progress of the part: `start(total)`, then `tick(n)`. */
  progress: { start: (total: number) => void; tick: (n?: number) => void };
  timeZone: string;
}

/**
 * One part of a HazeBot installation: some files of its `Data/` folder. `read` parses and checks
 * them (no database, nothing written), throwing DataFileError at the first bad value; `write` brings
 * the result in inside one transaction (all of the part or none), and is safe to repeat. Millions of
 * analytics rows are checked as `write` streams them instead: a bad one rolls the part back.
 */
export interface ImportPart<T = unknown> {
  name: string;
  /** The files it reads; the part runs when any of them is there. */
  files: readonly string[];
  read(dir: string, present: string[], timeZone: string): Promise<T> | T;
  write(context: PartContext, data: T): Promise<PartOutcome>;
}
