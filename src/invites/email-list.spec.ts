import { parseEmailList } from './email-list';

describe('parseEmailList', () => {
  it('reads the three formats of the Build Crew guide', () => {
    const { addresses, invalid, duplicates } = parseEmailList(
      'john@example.com\nJane Doe <jane@company.org>\nbob@test.org,Bob Smith\n\n"Quoted Name" <q@x.io>',
    );
    expect(addresses).toEqual([
      { email: 'john@example.com', name: '', line: 1 },
      { email: 'jane@company.org', name: 'Jane Doe', line: 2 },
      { email: 'bob@test.org', name: 'Bob Smith', line: 3 },
      { email: 'q@x.io', name: 'Quoted Name', line: 5 },
    ]);
    expect(invalid).toEqual([]);
    expect(duplicates).toEqual([]);
  });

  it('reports invalid lines by number and skips repeated addresses', () => {
    const { addresses, invalid, duplicates } = parseEmailList(
      'a@b.co\nnot an address\nA@B.co\nName <broken@>\nc@d.co',
    );
    expect(addresses.map((a) => a.email)).toEqual(['a@b.co', 'c@d.co']);
    expect(invalid).toEqual([
      { line: 2, text: 'not an address' },
      { line: 4, text: 'Name <broken@>' },
    ]);
    expect(duplicates).toEqual([{ line: 3, email: 'A@B.co' }]);
  });

  it('accepts an address of 254 characters and refuses a longer one', () => {
    const local = 'a'.repeat(64);
    const ok = `${local}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(53)}.example`;
    expect(ok).toHaveLength(254);
    expect(parseEmailList(ok).addresses).toHaveLength(1);
    expect(parseEmailList(`x${ok}`).invalid).toHaveLength(1);
  });
});
