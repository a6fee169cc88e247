/**
 * `npm run analytics:rebuild`: recomputes the daily analytics rollups from the raw events still
 * kept (ANALYTICS_RETENTION_DAYS), e.g. after a change of how they are counted. Older days keep
 * their rollups. Safe to run while the server runs; run it again and the result is the same.
 */
import { DataSource } from 'typeorm';
import { rebuildRollups } from '../analytics/rollup-rebuild';
import { TransactionRunner } from '../core/database';
import { progressBar, runCommand, withImportApp } from './import-command';

async function main(): Promise<number> {
  const result = await withImportApp(async (app) => {
    const bar = progressBar('rebuilding [{bar}] {value}/{total} events');
    let started = false;
    const outcome = await rebuildRollups(
      app.get(DataSource),
      app.get(TransactionRunner),
      (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    );
    if (started) bar.stop();
    return outcome;
  });
  console.log(`analytics: ${result.events} events folded into ${result.days} days`);
  return 0;
}

runCommand(main);
