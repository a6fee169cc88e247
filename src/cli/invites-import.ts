/**
 * `npm run invites:import -- <invcode.txt> [users.txt]`: brings the original server's invite codes and
 * cohort members into the configured database, all or nothing. Codes and members already present
 * are skipped, so running it twice imports nothing twice. `npm run hazebot:import` does the same
 * for the files in a Data/ folder.
 */
import { TransactionRunner } from '../core/database';
import { importInvites, readInviteFiles } from '../hazebot-import/parts/invites.part';
import { CohortsService } from '../invites/cohorts.service';
import { progressBar, runCommand, withImportApp } from './import-command';

async function main(args: string[]): Promise<number> {
  const [codeFile, memberFile] = args;
  if (!codeFile) {
    console.error('usage: npm run invites:import -- <invcode.txt> [users.txt]');
    return 2;
  }
  const files = readInviteFiles(codeFile, memberFile);
  const counts = await withImportApp(async (app) => {
    const bar = progressBar('importing [{bar}] {value}/{total} codes and members');
    bar.start(files.codes.length + files.members.length, 0);
    const result = await app
      .get(TransactionRunner)
      .run((manager) =>
        importInvites(manager, app.get(CohortsService), files, (n) => bar.increment(n)),
      );
    bar.stop();
    return result;
  });
  const rejected = (file: string | undefined) =>
    files.rejected.filter((r) => r.file === file).length;
  console.log(
    `codes: ${counts.codes} imported, ${counts.codesPresent} already present, ${rejected(codeFile)} skipped`,
  );
  if (memberFile) {
    console.log(
      `members: ${counts.members} imported, ${counts.membersPresent} already present, ${rejected(memberFile)} skipped`,
    );
  }
  for (const { file, line } of files.rejected)
    console.log(`  skipped ${file}:${line.line}: ${line.reason}: ${line.text}`);
  return 0;
}

runCommand(main);
