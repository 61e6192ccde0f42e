// Level A: cst doctor command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

describe('cst doctor: parsing', () => {
  it.each<[string, string[], unknown]>([
    ['defaults', ['doctor'], { selection: {}, timeoutMs: 5000, json: false, verbose: false }],
    [
      'a project, a timeout, JSON, the raw reasons',
      ['doctor', '--org', 'acme', '--project', 'prod', '--timeout', '2s', '--json', '--verbose'],
      {
        selection: { org: 'acme', project: 'prod' },
        timeoutMs: 2000,
        json: true,
        verbose: true,
      },
    ],
    [
      'an organization alone',
      ['doctor', '--org', 'acme'],
      { selection: { org: 'acme' }, timeoutMs: 5000, json: false, verbose: false },
    ],
  ])('%s', async (_name, argv, options) => {
    expect(await parseArgv(argv)).toEqual({ command: 'doctor', options });
  });

  it.each<[string, string[], string]>([
    // It used to fall back to 5s without a word.
    [
      'a timeout that is not a duration',
      ['doctor', '--timeout', 'fast'],
      '--timeout: "fast" is not a duration',
    ],
    ['a zero timeout', ['doctor', '--timeout', '0s'], '--timeout: must be more than 0'],
    [
      '--sandbox (doctor checks the real setup)',
      ['doctor', '--sandbox'],
      "unknown option '--sandbox'",
    ],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
