// Output that cannot be written (a full disk, a reader that is gone) is a failure cst reports in
// one line, exit 1 output_failed, for --version and --help as for every command.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, finish, isolatedEnv } from './cli.js';

describe.concurrent('stdout that cannot be written', () => {
  it.each([[['--version']], [['--help']], [['config', '--help']]])(
    'cst %j > /dev/full: one line, exit 1',
    async (args) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: await isolatedEnv(),
        stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
      });
      const result = await finish(child);
      expect([result.code, result.stderr]).toEqual([
        1,
        'error: cannot write to stdout: no space left on device\n',
      ]);
    },
  );

  it('cst --version to a closed pipe: one line, exit 1', async () => {
    const child = spawn(process.execPath, [BIN, '--version'], {
      env: await isolatedEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader is gone long before node has started.
    child.stdout.destroy();
    const result = await finish(child);
    expect([result.code, result.stderr]).toEqual([
      1,
      'error: cannot write to stdout: broken pipe\n',
    ]);
  });

  it.each([[[]], [['--json']]])(
    'cst sandbox serve %j > /dev/full: stops serving, one line, exit 1',
    async (extra) => {
      const env = await isolatedEnv();
      const child = spawn(process.execPath, [BIN, 'sandbox', 'serve', '--port', '0', ...extra], {
        env,
        stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
      });
      const result = await finish(child);
      expect([result.code, result.stderr]).toEqual([
        1,
        extra.length === 0
          ? 'error: cannot write to stdout: no space left on device\n'
          : '{"error":{"code":"output_failed","message":"cannot write to stdout: no space left on device","exit":1}}\n',
      ]);
    },
  );
});
