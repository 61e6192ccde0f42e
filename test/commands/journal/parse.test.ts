// Level A: cst journal command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

describe('cst journal: parsing', () => {
  it.each<[string, string[], string, unknown]>([
    [
      'list',
      ['journal', 'list'],
      'journal list',
      { output: { format: undefined, field: undefined } },
    ],
    [
      'list as CSV',
      ['journal', 'list', '-o', 'csv'],
      'journal list',
      { output: { format: 'csv', field: undefined } },
    ],
    [
      'list, the ids alone',
      ['journal', 'list', '--field', 'id'],
      'journal list',
      { output: { format: undefined, field: 'id' } },
    ],
    [
      'reset',
      ['journal', 'reset', '3f2a9c0d1e4b5a67'],
      'journal reset',
      { id: '3f2a9c0d1e4b5a67', yes: false, json: false },
    ],
    [
      'reset, confirmed',
      ['journal', 'reset', '3f2a9c0d1e4b5a67', '-y', '--json'],
      'journal reset',
      { id: '3f2a9c0d1e4b5a67', yes: true, json: true },
    ],
  ])('%s', async (_name, argv, command, options) => {
    expect(await parseArgv(argv)).toEqual({ command, options });
  });

  it.each<[string, string[], string]>([
    // An id names a file in the state directory: a path never does.
    [
      'a path as the id',
      ['journal', 'reset', '../../etc/passwd'],
      '"../../etc/passwd" is not a journal id',
    ],
    ['a short id', ['journal', 'reset', '3f2a'], '"3f2a" is not a journal id'],
    [
      'a field journals do not have',
      ['journal', 'list', '--field', 'token'],
      'unknown --field "token"',
    ],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
