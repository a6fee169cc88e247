import { dayOf } from './rollup-writer';

describe('dayOf', () => {
  it('names the UTC day on both sides of midnight, asked in any order', () => {
    const instants = [
      '2026-12-01T23:59:59.999Z',
      '2026-12-02T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2026-12-02T23:59:59.999Z',
    ];
    for (const instant of [...instants, ...instants.reverse()])
      expect(dayOf(new Date(instant))).toBe(instant.slice(0, 10));
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => dayOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});
