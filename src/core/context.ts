// The injected context. Commands receive it instead of reaching for process.*, so tests can run
// them with their own streams, environment and clock, and so --help never loads anything heavy:
// the prompter is created on first use, by the factory the creator of the context gives.
import { visible } from './errors.js';
import { Redactor } from './util/redact.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean | undefined;
}

export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  /** Resolves once everything written so far has arrived; rejects with the first write error. */
  flush?(): Promise<void>;
}

export type ColorMode = 'auto' | 'always' | 'never';

/** The flags every command takes, as a typed value. */
export interface Globals {
  color: ColorMode;
  /** --no-input: never prompt. */
  noInput: boolean;
  /** --debug or CST_DEBUG=1: requests and responses on stderr, redacted. */
  debug: boolean;
  /** --ca-file: extra certificate authorities to trust. */
  caFile: string | undefined;
}

export const DEFAULT_GLOBALS: Globals = Object.freeze({
  color: 'auto',
  noInput: false,
  debug: false,
  caFile: undefined,
});

export interface Context {
  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Env;
  readonly version: string;
  /** The arguments cst was run with, for messages that say how to run it again. */
  readonly argv: readonly string[];
  /** The file that runs this cst (bin/cst.js), for scripts that call it back; unknown in tests. */
  readonly executable: string | undefined;
  /** --json (or -o json) on the command line: every message on stderr is a JSON line too. */
  readonly jsonMessages: boolean;
  now(): Date;
  /** Sleeps and alarms, on the context's clock: a test's fake one moves time as they fire. */
  readonly timer: Timer;
  /** The global flags, parsed once before the action runs (see `start`). */
  readonly globals: Globals;
  /**
   * Takes the global flags, once, before the action runs; from then on the context does not
   * change. A second call is a bug and throws.
   */
  start(globals: Globals): void;
  readonly redactor: Redactor;
  debug(line: string): void;
  prompter(): Promise<Prompter>;
  /** For commands that stop gracefully: resolves on the first SIGINT or SIGTERM. */
  untilSignal(): Promise<StopSignal>;
  /** `work`, or the error `interrupted` makes if a signal arrives first. */
  unlessSignalled<T>(work: Promise<T>, interrupted: (signal: StopSignal) => Error): Promise<T>;
  /** Called by main on a signal; false when no command asked to handle it. */
  deliverSignal(signal: StopSignal): boolean;
  /** The one line redrawn in place on a terminal's stderr: a wait's status, a run's progress. */
  readonly status: StatusLine;
}

/** Drawn only when stderr is a terminal; cleared before anything else is printed, errors too. */
export interface StatusLine {
  draw(text: string): void;
  clear(): void;
}

export interface Timer {
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
  /** Calls `fire` after `ms`, without keeping the process alive; the result cancels it. */
  after(ms: number, fire: () => void): () => void;
}

/** The real clock's timers. */
export const REAL_TIMER: Timer = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  after(ms, fire) {
    const timer = setTimeout(fire, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** SIGPIPE: stdout's reader went away (Node ignores the signal and reports EPIPE instead). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGPIPE';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  select<T>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T>;
  checkbox<T>(
    message: string,
    choices: Choice<T>[],
    options?: { required?: boolean },
  ): Promise<T[]>;
  input(message: string, validate?: (value: string) => string | true): Promise<string>;
  confirm(message: string): Promise<boolean>;
  password(message: string): Promise<string>;
}

export interface ContextInit {
  stdin: () => InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  env: Env;
  version: string;
  argv?: readonly string[];
  executable?: string;
  jsonMessages?: boolean;
  now?: () => Date;
  /** With `now`: a clock of the test's own. */
  timer?: Timer;
  /** Already-parsed global flags (tests); otherwise `start` gives them. */
  globals?: Globals;
  /** Makes the prompter on first use (prompter.ts loads @inquirer/prompts); none: no prompts. */
  prompter?: (ctx: Context) => Promise<Prompter>;
}

export function createContext(init: ContextInit): Context {
  let prompter: Promise<Prompter> | undefined;
  let globals: Globals | undefined = init.globals && Object.freeze({ ...init.globals });
  const waiting = new Set<(signal: StopSignal) => void>();
  let drawn = false;
  const ctx: Context = {
    get stdin() {
      return init.stdin();
    },
    stdout: init.stdout,
    stderr: init.stderr,
    env: init.env,
    version: init.version,
    argv: init.argv ?? [],
    executable: init.executable,
    jsonMessages: init.jsonMessages ?? false,
    now: init.now ?? (() => new Date()),
    timer: init.timer ?? REAL_TIMER,
    get globals() {
      return globals ?? DEFAULT_GLOBALS;
    },
    start(parsed) {
      if (globals !== undefined) throw new Error('the context was started twice');
      globals = Object.freeze({ ...parsed });
    },
    redactor: new Redactor(),
    debug(line) {
      if (ctx.globals.debug) ctx.stderr.write(`debug: ${visible(ctx.redactor.text(line))}\n`);
    },
    prompter() {
      prompter ??= init.prompter
        ? init.prompter(ctx)
        : Promise.reject(new Error('this context has no prompter'));
      return prompter;
    },
    untilSignal: () => new Promise((resolve) => waiting.add(resolve)),
    unlessSignalled(work, interrupted) {
      let listener: ((signal: StopSignal) => void) | undefined;
      const signalled = new Promise<never>((_, reject) => {
        listener = (signal) => reject(interrupted(signal));
        waiting.add(listener);
      });
      return Promise.race([work, signalled]).finally(() => waiting.delete(listener!));
    },
    deliverSignal(signal) {
      if (waiting.size === 0) return false;
      const listeners = [...waiting];
      waiting.clear();
      for (const listener of listeners) listener(signal);
      return true;
    },
    status: {
      draw(text) {
        if (!init.stderr.isTTY) return;
        init.stderr.write(`\r\u001b[2K${text}`);
        drawn = true;
      },
      clear() {
        if (drawn) init.stderr.write('\r\u001b[2K');
        drawn = false;
      },
    },
  };
  return ctx;
}

/** An environment variable counts only when it is set to something. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Prompts only on a terminal, and never when the user or CI said not to. */
export function canPrompt(ctx: Context): boolean {
  const noInputEnv = envValue(ctx.env, 'CST_NO_INPUT');
  return (
    ctx.stdin.isTTY === true &&
    ctx.stdout.isTTY === true &&
    !ctx.globals.noInput &&
    (noInputEnv === undefined || noInputEnv === '0' || noInputEnv === 'false') &&
    envValue(ctx.env, 'CI') === undefined
  );
}
