/**
 * `npm run hazebot:import -- <Data dir> [--dry-run]`: brings a HazeBot installation's Data/ folder
 * into the configured database: settings, cog states, memes, push registrations, Rocket League
 * links, tickets, Build Crew invites and analytics history, each part only when its files are
 * there, each all or nothing. Safe to run again: nothing is doubled. `--dry-run` reads, checks and
 * counts everything and writes nothing. Exit code 1 when a part failed, 2 on bad arguments.
 */
import { existsSync, statSync } from 'node:fs';
import { readDotEnv } from '../core/env';
import { importHazebotData, type PartReport } from '../hazebot-import/hazebot-importer';
import { progressBar, runCommand, withImportApp } from './import-command';

const USAGE = 'usage: npm run hazebot:import -- <Data dir> [--dry-run]';

async function main(args: string[]): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const rest = args.filter((arg) => arg !== '--dry-run');
  const [dir] = rest;
  if (!dir || rest.length > 1 || rest.some((arg) => arg.startsWith('--'))) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`${dir}: not a folder (expected HazeBot's Data/ folder)`);
    return 2;
  }
  readDotEnv();
  // HazeBot's own variable: the zone of its naive local times and of the daily meme hour.
  const timeZone = process.env.TIMEZONE || 'Europe/Berlin';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    console.error(`TIMEZONE=${timeZone}: not a time zone (expected e.g. Europe/Berlin)`);
    return 2;
  }
  const reports = await withImportApp((app) =>
    importHazebotData(app, dir, {
      dryRun,
      timeZone,
      progress: (part) => {
        const bar = progressBar(`${part.padEnd(13)} [{bar}] {value}/{total}`);
        let started = false;
        return {
          start: (total) => {
            bar.start(total, 0);
            started = true;
          },
          tick: (n = 1) => bar.increment(n),
          stop: () => {
            if (started) bar.stop();
          },
        };
      },
    }),
  );
  console.log(summary(reports, dryRun));
  return reports.some((report) => report.status === 'failed') ? 1 : 0;
}

function summary(reports: PartReport[], dryRun: boolean): string {
  const lines = [dryRun ? 'dry run: nothing was written' : 'imported from HazeBot:'];
  for (const report of reports) {
    if (report.status === 'absent') {
      lines.push(`${report.part}: nothing to import (no ${report.files.join(', ')})`);
      continue;
    }
    if (report.status === 'failed') {
      lines.push(`${report.part}: FAILED, nothing of it written: ${report.error}`);
      continue;
    }
    const { outcome } = report;
    const verb = dryRun ? 'to import' : 'imported';
    lines.push(
      `${report.part}: ${outcome.imported} ${outcome.unit} ${verb}, ${outcome.present} already present, ${outcome.skipped.length} skipped (${report.files.join(', ')})`,
    );
    for (const line of outcome.mapped) lines.push(`  mapped ${line}`);
    for (const { what, reason } of outcome.skipped) lines.push(`  skipped ${what}: ${reason}`);
    for (const line of outcome.warnings) lines.push(`  warning ${line}`);
  }
  const failed = reports.filter((report) => report.status === 'failed').length;
  if (failed > 0) lines.push(`${failed} part(s) failed: fix the file named and run again`);
  return lines.join('\n');
}

runCommand(main);
