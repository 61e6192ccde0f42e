// Level A: a command line in, the typed options its action hands to the runner out (nothing
// runs), or the usage error it stops with.
import { buildProgram } from '../../src/program.js';
import { CliError } from '../../src/core/errors.js';
import { testContext, type TestContextOptions } from './context.js';

export interface Parsed {
  command: string;
  options: unknown;
}

export async function parseArgv(argv: string[], options: TestContextOptions = {}): Promise<Parsed> {
  const { ctx } = testContext(options);
  let parsed: Parsed | undefined;
  const program = buildProgram(ctx, (command, opts) => {
    parsed = { command, options: opts };
    return Promise.resolve();
  });
  await program.parseAsync(argv, { from: 'user' });
  if (!parsed) throw new Error(`no runner was called for: ${argv.join(' ')}`);
  return parsed;
}

/** The one-line message a bad command line stops with: a usage error, or commander's own. */
export async function usageError(argv: string[]): Promise<string> {
  try {
    await parseArgv(argv);
  } catch (error) {
    if (error instanceof CliError) {
      if (error.code !== 'usage') throw new Error(`not a usage error: ${error.code}`);
      return error.message;
    }
    const code = (error as { code?: string }).code;
    if (code?.startsWith('commander.')) return (error as Error).message;
    throw error;
  }
  throw new Error(`parsed without error: ${argv.join(' ')}`);
}
