// Level A: cst inspect command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

const output = { format: undefined, field: undefined };

describe('cst inspect: parsing', () => {
  it.each<[string, string[], unknown]>([
    [
      'a token on stdin',
      ['inspect', '--token-stdin'],
      { source: { kind: 'stdin' }, target: {}, timeoutMs: 30_000, output },
    ],
    [
      'a token as an argument, on the sandbox, as JSON',
      ['inspect', 'tok_1', '--sandbox', '--json'],
      {
        source: { kind: 'argument', value: 'tok_1' },
        target: { sandbox: true },
        timeoutMs: 30_000,
        output: { format: 'json', field: undefined },
      },
    ],
    [
      'a project, a timeout, one field',
      [
        'inspect',
        '--token-stdin',
        '--org',
        'acme',
        '--project',
        'prod',
        '--timeout',
        '1m',
        '--field',
        'origin_owner_id',
      ],
      {
        source: { kind: 'stdin' },
        target: { org: 'acme', project: 'prod' },
        timeoutMs: 60_000,
        output: { format: undefined, field: 'origin_owner_id' },
      },
    ],
    [
      'a session by its id',
      ['inspect', '--session', '7'],
      { source: { kind: 'session', id: 7 }, target: {}, timeoutMs: 30_000, output },
    ],
  ])('%s', async (_name, argv, options) => {
    expect(await parseArgv(argv)).toEqual({ command: 'inspect', options });
  });

  it.each<[string, string[], string]>([
    ['no token', ['inspect'], 'missing the token: pipe it in with --token-stdin'],
    [
      'a token both ways',
      ['inspect', 'tok_1', '--token-stdin'],
      'give the token as an argument or with --token-stdin, not both',
    ],
    // authenticate returns no token: asking for it is a mistake worth naming.
    [
      'the token as a field',
      ['inspect', '--token-stdin', '--field', 'token'],
      'unknown --field "token"',
    ],
    ['a bad timeout', ['inspect', '--token-stdin', '--timeout', '-1s'], '--timeout:'],
    [
      'a session and a token',
      ['inspect', 'tok_1', '--session', '7'],
      'give one of: a token, --token-stdin, or --session <id>',
    ],
    [
      'a session id that is not a number',
      ['inspect', '--session', 'x7'],
      '"x7" is not a session id',
    ],
    [
      'an output format inspect does not print',
      ['inspect', '--token-stdin', '-o', 'csv'],
      "argument 'csv' is invalid",
    ],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
