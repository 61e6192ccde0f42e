// Level A: the one declaration of error codes (src/core/errors.ts) against what users read: the exit
// code table in README.md and `cst help exit-codes`. A code added in one place only fails here.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  CliError,
  ERROR_CODES,
  EXIT,
  EXIT_MEANINGS,
  InterruptedError,
} from '../../src/core/errors.js';
import { TOPICS } from '../../src/commands/help/topics.js';

const declared = new Map<number, string[]>();
for (const [code, { exit }] of Object.entries(ERROR_CODES))
  for (const value of exit) declared.set(value, [...(declared.get(value) ?? []), code].sort());

describe('error codes', () => {
  it("README's exit-code table lists exactly the declared codes for each exit code", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('## Exit codes');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documented = new Map<number, string[]>();
    const meanings: Record<string, string> = {};
    for (const line of section.split('\n')) {
      const match = /^\| (\d+) +\| (.*?) +\|([^|]*)\|$/.exec(line);
      if (!match) continue;
      meanings[match[1]!] = match[2]!;
      const codes = [...match[3]!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).sort();
      if (codes.length > 0) documented.set(Number(match[1]), codes);
    }
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(declared));
    // The prose too: README says what the registry says.
    expect(meanings).toEqual(
      Object.fromEntries(
        Object.entries(EXIT_MEANINGS).map(([k, v]) => [k, v.replace(/\|/g, '\\|')]),
      ),
    );
  });

  it('cst help exit-codes names every exit code cst uses', () => {
    const listed = TOPICS['exit-codes']!.split('\n')
      .map((line) => /^ {2}(\d+) /.exec(line)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    expect(listed.sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });

  it('the registry decides the exit: a code and an exit that are not paired cannot be thrown', () => {
    expect(new CliError('x', 'usage').exitCode).toBe(EXIT.usage);
    expect(new CliError('x', 'tls').exitCode).toBe(EXIT.network);
    expect(() => new CliError('x', 'usage', { exit: EXIT.network })).toThrow(
      'error code usage does not exit 10',
    );
    expect(new InterruptedError('SIGTERM').exitCode).toBe(EXIT.terminated);
    expect(new InterruptedError('SIGINT').exitCode).toBe(EXIT.interrupted);
  });
});
