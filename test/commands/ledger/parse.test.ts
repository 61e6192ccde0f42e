// Level A: cst ledger command lines → typed options, or the usage error.
import { describe, expect, it } from 'vitest';
import { parseArgv, usageError } from '../../helpers/parse.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const now = () => new Date(NOW);
const prune = { sandbox: false, json: false, yes: false, dryRun: false };

describe('cst ledger: parsing', () => {
  it.each<[string, string[], string, unknown]>([
    ['path', ['ledger', 'path'], 'ledger path', { sandbox: false }],
    [
      'path of the sandbox ledger',
      ['ledger', 'path', '--sandbox'],
      'ledger path',
      { sandbox: true },
    ],
    [
      'prune before a duration: an instant, fixed when the line is read',
      ['ledger', 'prune', '--before', '90d'],
      'ledger prune',
      { ...prune, before: NOW - 90 * 86_400_000 },
    ],
    [
      'prune before a date, dry run, JSON',
      ['ledger', 'prune', '--before', '2026-01-01', '--dry-run', '--json'],
      'ledger prune',
      { ...prune, before: Date.parse('2026-01-01'), dryRun: true, json: true },
    ],
    [
      'prune the sandbox ledger, confirmed',
      ['ledger', 'prune', '--before', '1h', '--sandbox', '--yes'],
      'ledger prune',
      { ...prune, before: NOW - 3_600_000, sandbox: true, yes: true },
    ],
  ])('%s', async (_name, argv, command, options) => {
    expect(await parseArgv(argv, { now })).toEqual({ command, options });
  });

  it.each<[string, string[], string]>([
    [
      'prune without --before',
      ['ledger', 'prune'],
      "required option '--before <when>' not specified",
    ],
    [
      'a --before that is neither',
      ['ledger', 'prune', '--before', 'last week'],
      '--before: "last week" is neither a date (2026-01-01) nor a duration (90d)',
    ],
  ])('%s', async (_name, argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });
});
