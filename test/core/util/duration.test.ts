import { describe, expect, it } from 'vitest';
import { parseDurationMs } from '../../../src/core/util/duration.js';

describe('parseDurationMs', () => {
  it.each<[string, number | undefined]>([
    ['90', 90_000],
    ['1.5', 1500],
    ['250ms', 250],
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['5d', 432_000_000],
    [' 2h ', 7_200_000],
    ['', undefined],
    ['-5', undefined],
    ['5w', undefined],
    ['1h30m', 5_400_000],
    ['2d12h', 216_000_000],
    ['1m30s', 90_000],
    ['1s250ms', 1250],
    ['1.5h15m', 6_300_000],
    ['1h 30m', undefined],
    ['30m1h', undefined],
    ['1h1h', undefined],
    ['1h30', undefined],
    ['h30m', undefined],
    ['m', undefined],
  ])('%j → %s', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });
});
