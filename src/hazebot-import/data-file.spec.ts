import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError, parseLegacyTime, readJsonFile, wallClockToUtc } from './data-file';

describe('HazeBot data files', () => {
  it('reads naive times as UTC, or as the wall clock of a zone, summer time included', () => {
    expect(parseLegacyTime('2025-12-17T14:03:22.123456')?.toISOString()).toBe(
      '2025-12-17T14:03:22.123Z',
    );
    expect(parseLegacyTime('2025-12-17 14:03:22', 'Europe/Berlin')?.toISOString()).toBe(
      '2025-12-17T13:03:22.000Z',
    );
    expect(parseLegacyTime('2025-07-01T14:00:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2025-07-01T12:00:00.000Z',
    );
    expect(parseLegacyTime('2025-07-01T14:00:00+00:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2025-07-01T14:00:00.000Z',
    );
    expect(parseLegacyTime('2025-11-20')?.toISOString()).toBe('2025-11-20T00:00:00.000Z');
    for (const bad of ['yesterday', '', null, 17, '2025-13-45T99:00:00'])
      expect(parseLegacyTime(bad)).toBeNull();
    // 02:30 on the night clocks go forward does not exist; it lands within the hour, not a day off.
    const gap = wallClockToUtc(Date.UTC(2025, 2, 30, 2, 30), 'Europe/Berlin');
    expect(Math.abs(gap - Date.UTC(2025, 2, 30, 0, 30))).toBeLessThanOrEqual(3_600_000);
  });

  it('keeps ids beyond 2^53 exactly and names the line and column of a syntax error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guildhall-data-file-'));
    try {
      writeFileSync(join(dir, 'ok.json'), '{"1424815723476160533": [1424815723476160533, 7]}');
      expect(readJsonFile(join(dir, 'ok.json'))).toEqual({
        '1424815723476160533': ['1424815723476160533', 7],
      });
      writeFileSync(join(dir, 'bad.json'), '{\n  "a": 1,\n  "b": ,\n}');
      let error: unknown;
      try {
        readJsonFile(join(dir, 'bad.json'));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DataFileError);
      expect((error as Error).message).toMatch(/^bad\.json line 3, column 8: not valid JSON: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
