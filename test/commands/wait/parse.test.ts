// Level A: cst wait command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

const base = {
  intervalMs: 3000,
  waitTimeoutMs: 900_000,
  target: {},
  timeoutMs: 30_000,
  output: { format: undefined, field: undefined },
};

describe('cst wait: parsing', () => {
  it.each<[string, string[], unknown]>([
    ['a token on stdin', ['wait', '--token-stdin'], { ...base, source: { kind: 'stdin' } }],
    [
      'a token as an argument',
      ['wait', 'tok_1'],
      { ...base, source: { kind: 'token', token: 'tok_1' } },
    ],
    [
      'a ledger session, until it expires, on the sandbox',
      ['wait', '--session', '12', '--wait-timeout', '0', '--sandbox'],
      { ...base, source: { kind: 'session', id: 12 }, waitTimeoutMs: 0, target: { sandbox: true } },
    ],
    [
      'a slower poll, one field',
      ['wait', '--token-stdin', '--interval', '10s', '--field', 'account_id'],
      {
        ...base,
        source: { kind: 'stdin' },
        intervalMs: 10_000,
        output: { format: undefined, field: 'account_id' },
      },
    ],
  ])('%s', async (_name, argv, options) => {
    expect(await parseArgv(argv)).toEqual({ command: 'wait', options });
  });

  it.each<[string, string[], string]>([
    ['nothing to wait for', ['wait'], 'give one of: a token, --token-stdin, or --session <id>'],
    ['two things to wait for', ['wait', 'tok', '--session', '1'], 'give one of'],
    [
      'a session id that is not a number',
      ['wait', '--session', 'abc'],
      '--session: "abc" is not a session id',
    ],
    // Polling faster than once a second spends the key's rate limit for nothing.
    [
      'an interval under a second',
      ['wait', '--token-stdin', '--interval', '500ms'],
      '--interval: must be at least 1s',
    ],
    // Node fires a longer timer at once: a 25-day timeout would be a 1 ms one.
    ...(['--timeout', '--interval', '--wait-timeout'] as const).map(
      (flag): [string, string[], string] => [
        `${flag} beyond a timer's reach`,
        ['wait', '--token-stdin', flag, '25d'],
        `${flag}: must be at most 24d20h31m23s (the longest timer Node can set)`,
      ],
    ),
    [
      'a field wait does not print',
      ['wait', '--token-stdin', '--field', 'token'],
      'unknown --field "token"',
    ],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
