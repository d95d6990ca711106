import { StreamCache } from './stream-cache';

const fold = (version: number) => ({ version, state: { version }, publication: null });

describe('the stream fold cache', () => {
  test('keeps at most its capacity, dropping the least recently used first', () => {
    const cache = new StreamCache(2);
    cache.set('a', fold(1));
    cache.set('b', fold(1));
    cache.get('a');
    cache.set('c', fold(1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(fold(1));
    expect(cache.get('c')).toEqual(fold(1));
    expect(cache.stats()).toEqual({ size: 2, hits: 3, misses: 1 });
  });

  test('never replaces a fold with an older one', () => {
    const cache = new StreamCache(10);
    cache.set('a', fold(5));
    cache.set('a', fold(3));
    expect(cache.get('a')?.version).toBe(5);
    cache.set('a', fold(6));
    expect(cache.get('a')?.version).toBe(6);
  });

  test('forgets on request, and holds nothing with capacity 0', () => {
    const cache = new StreamCache(0);
    cache.set('a', fold(1));
    expect(cache.get('a')).toBeUndefined();
    const other = new StreamCache(1);
    other.set('a', fold(1));
    other.forget('a');
    expect(other.get('a')).toBeUndefined();
  });
});
