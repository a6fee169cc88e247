import { COHORT_NAME } from './invite-codes';

export interface ImportedCodeLine {
  line: number;
  code: string;
  cohort: string;
  maxUses: number;
  usedCount: number;
}

export interface ImportedMemberLine {
  line: number;
  email: string;
  cohort: string;
}

export interface Rejected {
  line: number;
  text: string;
  reason: string;
}

const fields = (text: string) => text.split('::').map((part) => part.trim());
const usable = (text: string) => text.trim() !== '' && !text.trim().startsWith('#');

/** The original server's invcode.txt: `CODE :: BC1 :: max_uses :: used_count`, one per line. */
export function parseCodeFile(text: string): { codes: ImportedCodeLine[]; rejected: Rejected[] } {
  const codes: ImportedCodeLine[] = [];
  const rejected: Rejected[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (!usable(raw)) return;
    const line = index + 1;
    const [code, cohort, max, used, ...rest] = fields(raw);
    const maxUses = Number(max);
    const usedCount = used === undefined || used === '' ? 0 : Number(used);
    let reason: string | undefined;
    if (rest.length > 0 || !code || !cohort || max === undefined)
      reason = 'expected CODE :: BC1 :: max_uses :: used_count';
    else if (!/^[A-Za-z0-9_-]{1,80}$/.test(code)) reason = 'code must be letters, digits, _ or -';
    else if (!COHORT_NAME.test(cohort)) reason = 'cohort must look like BC1';
    else if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 10000)
      reason = 'max_uses must be 1-10000';
    else if (!Number.isInteger(usedCount) || usedCount < 0 || usedCount > maxUses)
      reason = 'used_count must be 0-max_uses';
    if (reason) rejected.push({ line, text: raw.trim().slice(0, 200), reason });
    else codes.push({ line, code, cohort, maxUses, usedCount });
  });
  return { codes, rejected };
}

/** The original server's users.txt: `email :: BC1`, one per line. */
export function parseMemberFile(text: string): {
  members: ImportedMemberLine[];
  rejected: Rejected[];
} {
  const members: ImportedMemberLine[] = [];
  const rejected: Rejected[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (!usable(raw)) return;
    const line = index + 1;
    const [email, cohort, ...rest] = fields(raw);
    if (
      rest.length > 0 ||
      !email ||
      !/^[^\s@]+@[^\s@]+$/.test(email) ||
      !cohort ||
      !COHORT_NAME.test(cohort)
    ) {
      rejected.push({ line, text: raw.trim().slice(0, 200), reason: 'expected email :: BC1' });
      return;
    }
    members.push({ line, email: email.toLowerCase(), cohort });
  });
  return { members, rejected };
}
