// The one place that talks to @inquirer/prompts. Prompts read the context's stdin and draw on
// its stderr, so stdout stays data only; Ctrl-C becomes an InterruptedError, not a stack trace.
import { checkbox, confirm, input, password, select } from '@inquirer/prompts';
import type { Context, Prompter } from './context.js';
import { InterruptedError } from './errors.js';

export function createPrompter(ctx: Context): Prompter {
  const streams = {
    input: ctx.stdin,
    output: ctx.stderr as NodeJS.WritableStream,
    clearPromptOnDone: false,
  };
  return {
    select: (message, choices, defaultValue) =>
      cancellable(
        select(
          { message, choices, ...(defaultValue === undefined ? {} : { default: defaultValue }) },
          streams,
        ),
      ),
    checkbox: (message, choices, options = {}) =>
      cancellable(checkbox({ message, choices, required: options.required ?? false }, streams)),
    password: (message) => cancellable(password({ message, mask: false }, streams)),
    confirm: (message) => cancellable(confirm({ message, default: false }, streams)),
    input: (message, validate) =>
      cancellable(input({ message, validate: validate ?? (() => true) }, streams)),
  };
}

async function cancellable<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new InterruptedError('SIGINT', 'cancelled');
    }
    throw error;
  }
}
