import { LRUCache } from 'lru-cache';

type Options<K extends object | string | number, V extends object | string | number> = Omit<
  LRUCache.Options<K, V, unknown>,
  'max' | 'maxSize' | 'sizeCalculation'
>;

const ONE = (): number => 1;

/**
 * An LRU cache of at most `entries` entries whose memory grows with what it holds. lru-cache's
 * `max` preallocates its slots (some 28 bytes an entry, half of it in the V8 heap): 100,000 of
 * them cost 2.8 MB from boot on, for a table most deployments never fill. Counting each entry as
 * size 1 against `maxSize` bounds it the same way, evicting the least recently used first.
 */
export function growingLru<K extends object | string | number, V extends object | string | number>(
  entries: number,
  options: Options<K, V> = {},
): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...options, maxSize: entries, sizeCalculation: ONE });
}
