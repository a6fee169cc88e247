/**
 * `npm run invites:import -- <invcode.txt> [users.txt]`: brings the original server's invite codes and
 * cohort members into the configured database. Codes and members already present are skipped, so
 * running it twice imports nothing twice.
 */
import { readFileSync } from 'node:fs';
import { TransactionRunner } from '../core/database';
import { progressBar, runCommand, withImportApp } from './import-command';
import { CohortsService } from '../invites/cohorts.service';
import { ImportedMember } from '../invites/imported-member.entity';
import { InviteCode } from '../invites/invite-code.entity';
import { parseCodeFile, parseMemberFile, type Rejected } from '../invites/invite-import';

const BATCH = 200;

async function main(args: string[]): Promise<number> {
  const [codeFile, memberFile] = args;
  if (!codeFile) {
    console.error('usage: npm run invites:import -- <invcode.txt> [users.txt]');
    return 2;
  }
  const { codes, rejected: badCodes } = parseCodeFile(readFileSync(codeFile, 'utf8'));
  const { members, rejected: badMembers } = memberFile
    ? parseMemberFile(readFileSync(memberFile, 'utf8'))
    : { members: [], rejected: [] };

  const counts = await withImportApp(async (app) => {
    const transactions = app.get(TransactionRunner);
    const cohorts = app.get(CohortsService);
    const bar = progressBar('importing [{bar}] {value}/{total} {what}');
    const tally = { codes: 0, codesPresent: 0, members: 0, membersPresent: 0 };
    bar.start(codes.length + members.length, 0, { what: 'codes' });
    for (let i = 0; i < codes.length; i += BATCH) {
      await transactions.run(async (manager) => {
        for (const entry of codes.slice(i, i + BATCH)) {
          await cohorts.ensure(manager, entry.cohort);
          if (await manager.existsBy(InviteCode, { code: entry.code })) {
            tally.codesPresent += 1;
            continue;
          }
          await manager.insert(InviteCode, {
            code: entry.code,
            cohort: entry.cohort,
            maxUses: entry.maxUses,
            usedCount: entry.usedCount,
            source: 'imported',
            email: null,
            name: null,
            createdBy: 'import',
            expiresAt: null,
            disabledAt: null,
          });
          tally.codes += 1;
        }
      });
      bar.increment(Math.min(BATCH, codes.length - i));
    }
    bar.update({ what: 'members' });
    for (let i = 0; i < members.length; i += BATCH) {
      await transactions.run(async (manager) => {
        for (const entry of members.slice(i, i + BATCH)) {
          if (await manager.existsBy(ImportedMember, { email: entry.email })) {
            tally.membersPresent += 1;
            continue;
          }
          await manager.insert(ImportedMember, { email: entry.email, cohort: entry.cohort });
          // The member holds a seat in their cohort, as they did on the original server.
          await cohorts.addMembers(manager, entry.cohort, 1);
          tally.members += 1;
        }
      });
      bar.increment(Math.min(BATCH, members.length - i));
    }
    bar.stop();
    return tally;
  });
  console.log(
    `codes: ${counts.codes} imported, ${counts.codesPresent} already present, ${badCodes.length} skipped`,
  );
  if (memberFile) {
    console.log(
      `members: ${counts.members} imported, ${counts.membersPresent} already present, ${badMembers.length} skipped`,
    );
  }
  report(codeFile, badCodes);
  if (memberFile) report(memberFile, badMembers);
  return 0;
}

function report(file: string, rejected: Rejected[]): void {
  for (const { line, text, reason } of rejected)
    console.log(`  skipped ${file}:${line}: ${reason}: ${text}`);
}

runCommand(main);
