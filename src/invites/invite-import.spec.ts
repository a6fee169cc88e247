import { parseCodeFile, parseMemberFile } from './invite-import';

describe('invite import files', () => {
  it('reads codes and reports bad lines with their reason', () => {
    const { codes, rejected } = parseCodeFile(
      'WELCOME2024 :: BC1 :: 100 :: 37\n# comment\n\nPROMO::BC2::50::50\nFRESH :: BC3 :: 5\nBAD LINE\nOVER :: BC1 :: 2 :: 3\nODD :: VIP :: 1 :: 0',
    );
    expect(codes).toEqual([
      { line: 1, code: 'WELCOME2024', cohort: 'BC1', maxUses: 100, usedCount: 37 },
      { line: 4, code: 'PROMO', cohort: 'BC2', maxUses: 50, usedCount: 50 },
      { line: 5, code: 'FRESH', cohort: 'BC3', maxUses: 5, usedCount: 0 },
    ]);
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [6, 'expected CODE :: BC1 :: max_uses :: used_count'],
      [7, 'used_count must be 0-max_uses'],
      [8, 'cohort must look like BC1'],
    ]);
  });

  it('reads members', () => {
    const { members, rejected } = parseMemberFile(
      'Ann@Example.com :: BC1\nbob@example.com::BC2\nnot-an-email :: BC1',
    );
    expect(members).toEqual([
      { line: 1, email: 'ann@example.com', cohort: 'BC1' },
      { line: 2, email: 'bob@example.com', cohort: 'BC2' },
    ]);
    expect(rejected).toHaveLength(1);
  });
});
