import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { CohortsService } from '../../invites/cohorts.service';
import { ImportedMember } from '../../invites/imported-member.entity';
import { InviteCode } from '../../invites/invite-code.entity';
import {
  type ImportedCodeLine,
  type ImportedMemberLine,
  parseCodeFile,
  parseMemberFile,
  type Rejected,
} from '../../invites/invite-import';
import { type ImportPart, outcome } from '../import-part';

const CODES = 'invcode.txt';
const MEMBERS = 'users.txt';

export interface InviteFiles {
  codes: ImportedCodeLine[];
  members: ImportedMemberLine[];
  rejected: { file: string; line: Rejected }[];
}

export function readInviteFiles(codeFile: string | undefined, memberFile?: string): InviteFiles {
  const codes = codeFile ? parseCodeFile(readFileSync(codeFile, 'utf8')) : undefined;
  const members = memberFile ? parseMemberFile(readFileSync(memberFile, 'utf8')) : undefined;
  return {
    codes: codes?.codes ?? [],
    members: members?.members ?? [],
    rejected: [
      ...(codes?.rejected ?? []).map((line) => ({ file: codeFile as string, line })),
      ...(members?.rejected ?? []).map((line) => ({ file: memberFile as string, line })),
    ],
  };
}

export interface InviteCounts {
  codes: number;
  codesPresent: number;
  members: number;
  membersPresent: number;
}

/**
 * Brings Build Crew's codes and cohort members in within the caller's transaction; codes and
 * members already present are counted, not changed.
 */
export async function importInvites(
  manager: EntityManager,
  cohorts: CohortsService,
  files: InviteFiles,
  tick: (n: number) => void,
): Promise<InviteCounts> {
  const counts = { codes: 0, codesPresent: 0, members: 0, membersPresent: 0 };
  for (const entry of files.codes) {
    await cohorts.ensure(manager, entry.cohort);
    if (await manager.existsBy(InviteCode, { code: entry.code })) {
      counts.codesPresent += 1;
    } else {
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
      counts.codes += 1;
    }
    tick(1);
  }
  for (const entry of files.members) {
    if (await manager.existsBy(ImportedMember, { email: entry.email })) {
      counts.membersPresent += 1;
    } else {
      await manager.insert(ImportedMember, { email: entry.email, cohort: entry.cohort });
      // The member holds a seat in their cohort, as they did on the original server.
      await cohorts.addMembers(manager, entry.cohort, 1);
      counts.members += 1;
    }
    tick(1);
  }
  return counts;
}

/** Build Crew's invcode.txt and users.txt, when they were copied into the folder. */
export const invitesPart: ImportPart<InviteFiles> = {
  name: 'invites',
  files: [CODES, MEMBERS],
  read: (dir, present) =>
    readInviteFiles(
      present.includes(CODES) ? join(dir, CODES) : undefined,
      present.includes(MEMBERS) ? join(dir, MEMBERS) : undefined,
    ),
  async write(context, files) {
    const result = outcome('codes and members');
    for (const { file, line } of files.rejected)
      result.skipped.push({
        what: `${file.split('/').pop()}:${line.line} ${line.text}`,
        reason: line.reason,
      });
    context.progress.start(files.codes.length + files.members.length);
    const counts = await importInvites(
      context.manager,
      context.app.get(CohortsService),
      files,
      context.progress.tick,
    );
    result.imported = counts.codes + counts.members;
    result.present = counts.codesPresent + counts.membersPresent;
    return result;
  },
};
