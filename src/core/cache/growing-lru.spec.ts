import { growingLru } from './growing-lru';

describe('growingLru', () => {
  it('holds at most its number of entries, evicting the least recently used', () => {
    const cache = growingLru<string, number>(3);
    for (const key of ['a', 'b', 'c']) cache.set(key, key.charCodeAt(0));
    expect(cache.get('a')).toBe(97);
    cache.set('d', 100);
    expect(cache.size).toBe(3);
    expect(cache.has('b')).toBe(false);
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
  });

  it('stays bounded under many distinct keys', () => {
    const cache = growingLru<number, number>(1000);
    for (let i = 0; i < 50_000; i += 1) cache.set(i, i);
    expect(cache.size).toBe(1000);
    expect(cache.has(49_999)).toBe(true);
    expect(cache.has(48_999)).toBe(false);
  });

  it('passes its other options on (ttl, dispose)', () => {
    let now = 1_000;
    const disposed: string[] = [];
    const cache = growingLru<string, string>(2, {
      ttl: 100,
      dispose: (value) => disposed.push(value),
      perf: { now: () => now },
    });
    cache.set('a', 'A');
    now += 101;
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 'B');
    cache.set('c', 'C');
    cache.set('d', 'D');
    expect(disposed).toEqual(['A', 'B']);
  });
});
