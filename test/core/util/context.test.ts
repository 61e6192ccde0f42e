// Level A: the context takes the global flags once, before the action, and never changes after.
import { describe, expect, it } from 'vitest';
import { canPrompt, DEFAULT_GLOBALS } from '../../../src/core/context.js';
import { buildProgram } from '../../../src/program.js';
import { testContext } from '../../helpers/context.js';

describe('the context', () => {
  it('takes the global flags from the command line once, as a frozen value', async () => {
    const { ctx } = testContext({ tty: true });
    expect(ctx.globals).toEqual(DEFAULT_GLOBALS);
    expect(canPrompt(ctx)).toBe(true);
    const program = buildProgram(ctx, () => Promise.resolve());
    await program.parseAsync(
      ['--no-input', '--color', 'never', '--ca-file', '/etc/ca.pem', 'config', 'path'],
      { from: 'user' },
    );
    expect(ctx.globals).toEqual({
      noInput: true,
      color: 'never',
      debug: false,
      caFile: '/etc/ca.pem',
    });
    expect(canPrompt(ctx)).toBe(false);
    expect(Object.isFrozen(ctx.globals)).toBe(true);
    expect(() => ctx.start(DEFAULT_GLOBALS)).toThrow('the context was started twice');
  });

  it('CST_DEBUG turns debug on like --debug; a test can start it with its own globals', () => {
    const fromEnv = testContext({ env: { CST_DEBUG: '1' } });
    const program = buildProgram(fromEnv.ctx, () => Promise.resolve());
    return program.parseAsync(['config', 'path'], { from: 'user' }).then(() => {
      expect(fromEnv.ctx.globals.debug).toBe(true);
      const given = testContext({ globals: { noInput: true } });
      expect([given.ctx.globals.noInput, given.ctx.globals.color]).toEqual([true, 'auto']);
    });
  });
});
