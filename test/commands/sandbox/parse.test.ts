// Level A: cst sandbox command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

const serve = {
  port: 4141,
  json: false,
  quiet: false,
  rateLimitPerMinute: 1000,
  faults: { latencyMs: 0, jitterMs: 0, rates: {}, seed: 1 },
};

describe('cst sandbox: parsing', () => {
  it.each<[string, string[], string, unknown]>([
    ['serve by default', ['sandbox'], 'sandbox serve', serve],
    [
      'serve on any port, quietly, as JSON',
      ['sandbox', 'serve', '--port', '0', '--quiet', '--json'],
      'sandbox serve',
      { ...serve, port: 0, quiet: true, json: true },
    ],
    [
      'serve with latency, faults and a seed',
      [
        'sandbox',
        'serve',
        '--latency',
        '25ms',
        '--jitter',
        '5ms',
        '--rate-limit',
        '20/s',
        '--fault',
        '503=0.05',
        '--fault',
        'reset-after=0.01',
        '--seed',
        '7',
      ],
      'sandbox serve',
      {
        ...serve,
        rateLimitPerMinute: 1200,
        faults: {
          latencyMs: 25,
          jitterMs: 5,
          rates: { '503': 0.05, 'reset-after': 0.01 },
          seed: 7,
        },
      },
    ],
    [
      'serve with no rate limit',
      ['sandbox', 'serve', '--rate-limit', '0'],
      'sandbox serve',
      { ...serve, rateLimitPerMinute: 0 },
    ],
    [
      'link a token from stdin',
      ['sandbox', 'link', '--token-stdin', '--provider', 'bamboohr'],
      'sandbox link',
      { token: { kind: 'stdin' }, provider: 'bamboohr', outcome: 'authenticated', json: false },
    ],
    [
      'link that fails, as JSON',
      ['sandbox', 'link', '--provider', 'workday', '--outcome', 'error', '--json', '--', '-tok'],
      'sandbox link',
      {
        token: { kind: 'argument', value: '-tok' },
        provider: 'workday',
        outcome: 'error',
        json: true,
      },
    ],
    ['reset', ['sandbox', 'reset', '--yes'], 'sandbox reset', { yes: true, json: false }],
    [
      'reset, as JSON',
      ['sandbox', 'reset', '--yes', '--json'],
      'sandbox reset',
      { yes: true, json: true },
    ],
  ])('%s', async (_name, argv, command, options) => {
    expect(await parseArgv(argv)).toEqual({ command, options });
  });

  it.each<[string, string[], string]>([
    [
      'a port out of range',
      ['sandbox', 'serve', '--port', '70000'],
      '--port: "70000" is not a port number',
    ],
    [
      'a port that is not a number',
      ['sandbox', 'serve', '--port', 'http'],
      '--port: "http" is not a port number',
    ],
    [
      'a latency that is not a duration',
      ['sandbox', 'serve', '--latency', 'slow'],
      '--latency: "slow" is not a duration',
    ],
    [
      'an unknown fault',
      ['sandbox', 'serve', '--fault', 'fire=1'],
      '--fault: "fire=1" is not name=probability',
    ],
    ['a probability above 1', ['sandbox', 'serve', '--fault', '503=2'], '--fault: "503=2"'],
    [
      'a rate that is not one',
      ['sandbox', 'serve', '--rate-limit', 'fast'],
      '--rate-limit: "fast" is not a rate: use N/s, N/min, N/h, N (per minute), 0 or unlimited',
    ],
    [
      'a seed that is not a whole number',
      ['sandbox', 'serve', '--seed', '1.5'],
      '--seed: "1.5" is not a whole number',
    ],
    ['link without a token', ['sandbox', 'link', '--provider', 'x'], 'missing the token'],
    [
      'link without a provider, to connect',
      ['sandbox', 'link', '--token-stdin'],
      '--provider is required to connect (or pass --outcome error|cancelled)',
    ],
    [
      'an unknown outcome',
      ['sandbox', 'link', '--token-stdin', '--provider', 'x', '--outcome', 'maybe'],
      "argument 'maybe' is invalid",
    ],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
