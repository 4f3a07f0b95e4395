/** The time-left estimate of terminal progress lines (hand-computed values). */
import { remaining } from '../../src/curvature/progress.js';

describe('remaining', () => {
  test('extrapolates the elapsed time linearly: 3 of 10 done in 6 s leaves about 14 s', () => {
    expect(remaining(6000, 3, 10, false)).toBe(', about 14 s left');
    expect(remaining(60_000, 1, 10, true)).toBe(', at most 9 min left');
  });
  test('says nothing before there is anything to extrapolate from, or when done', () => {
    expect(remaining(6000, 0, 10, false)).toBe('');
    expect(remaining(100, 3, 10, false)).toBe('');
    expect(remaining(6000, 10, 10, false)).toBe('');
  });
});
