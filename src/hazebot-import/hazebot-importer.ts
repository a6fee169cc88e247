import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { BotSettings } from '../bot-config/bot-settings';
import { TransactionRunner } from '../core/database';
import { DataFileError } from './data-file';
import type { ImportPart, PartContext, PartOutcome } from './import-part';
import { analyticsPart } from './parts/analytics.part';
import { cogsPart } from './parts/cogs.part';
import { configPart } from './parts/config.part';
import { invitesPart } from './parts/invites.part';
import { memesPart } from './parts/memes.part';
import { pushPart } from './parts/push.part';
import { rocketLeaguePart } from './parts/rocket-league.part';
import { ticketsPart } from './parts/tickets.part';

export type PartReport =
  | { part: string; status: 'absent'; files: readonly string[] }
  | { part: string; status: 'done'; files: string[]; outcome: PartOutcome }
  | { part: string; status: 'failed'; files: string[]; error: string };

export interface ImportOptions {
  dryRun: boolean;
  /** HazeBot's TIMEZONE: what its naive local times and the daily meme hour are in. */
  timeZone: string;
  /** Builds the progress display of one part. */
  progress: (part: string) => PartContext['progress'] & { stop: () => void };
}

/** Settings parts run first, then data keyed by users, then the bulk of analytics. */
function parts(app: INestApplication): ImportPart[] {
  const settings = app.get(BotSettings);
  return [
    configPart((section) => Object.keys(settings.defaultsOf(section))),
    memesPart,
    cogsPart,
    pushPart,
    rocketLeaguePart,
    ticketsPart,
    invitesPart,
    analyticsPart,
  ] as ImportPart[];
}

class DryRun extends Error {
  constructor(readonly outcome: PartOutcome) {
    super('dry run');
  }
}

/**
 * Imports every part of a HazeBot `Data/` folder whose files are there, each in one transaction: a
 * part that fails (a bad file, a database error) leaves nothing behind and the others still run.
 * A dry run does all the same work and rolls each part back, so its counts are what a real run
 * would do.
 */
export async function importHazebotData(
  app: INestApplication,
  dir: string,
  options: ImportOptions,
): Promise<PartReport[]> {
  const logger = new Logger('HazebotImport');
  const transactions = app.get(TransactionRunner);
  const reports: PartReport[] = [];
  for (const part of parts(app)) {
    const files = part.files.filter((file) => isFile(join(dir, file)));
    if (files.length === 0) {
      reports.push({ part: part.name, status: 'absent', files: part.files });
      continue;
    }
    const progress = options.progress(part.name);
    try {
      const data = await part.read(dir, files, options.timeZone);
      const context = { app, progress, timeZone: options.timeZone };
      let outcome: PartOutcome;
      try {
        outcome = await transactions.run(async (manager) => {
          const result = await part.write({ ...context, manager }, data);
          if (options.dryRun) throw new DryRun(result);
          return result;
        });
      } catch (error) {
        if (!(error instanceof DryRun)) throw error;
        outcome = error.outcome;
      }
      reports.push({ part: part.name, status: 'done', files, outcome });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof DataFileError))
        logger.error({ err: error, part: part.name }, 'Import part failed');
      reports.push({ part: part.name, status: 'failed', files, error: message });
    } finally {
      progress.stop();
    }
  }
  return reports;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
