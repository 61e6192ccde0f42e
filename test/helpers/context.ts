// A context with captured streams, for running commands in-process. With `api`, every
// connection a command asks for goes to that base URL (a scripted server) with a test key,
// whatever the flags say; the flags it asked with are kept in `connects`.
import { PassThrough } from 'node:stream';
import type { Target } from '../../src/config/target.js';
import type { TargetFlags } from '../../src/options/target.js';
import {
  type CommandContext,
  connect,
  type ConnectOptions,
  openConnection,
} from '../../src/connection/connection.js';
import { createContext, type Env, type Globals, type Timer } from '../../src/core/context.js';

export interface TestIo {
  ctx: CommandContext;
  stdout: () => string;
  stderr: () => string;
  /** The target flags and options of every ctx.connect call, in order. */
  connects: { flags: TargetFlags; options: ConnectOptions }[];
}

/** A target for a test server: what CST_API_KEY and CST_BASE_URL would make, without the env. */
export function testTarget(baseUrl: string, apiKey = 'key_test_123'): Target {
  return {
    kind: 'env',
    org: null,
    project: null,
    expectedOrganizationId: undefined,
    expectedProjectId: undefined,
    baseUrl,
    apiKey,
    keySource: 'the test',
    close: () => Promise.resolve(),
  };
}

export interface TestContextOptions {
  tty?: boolean;
  env?: Env;
  columns?: number;
  now?: () => Date;
  /** With `now`: sleeps and alarms on the test's clock. */
  timer?: Timer;
  globals?: Partial<Globals>;
  /** Every connection goes here instead of the target the flags select. */
  api?: { baseUrl: string; apiKey?: string };
  /** Hears stdout as it is written (a protocol's reader), besides the capture. */
  onStdout?: (chunk: string) => void;
}

export function testContext(options: TestContextOptions = {}): TestIo {
  let out = '';
  let err = '';
  const tty = options.tty ?? false;
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const base = createContext({
    stdin: () => stdin,
    stdout: {
      write: (chunk) => ((out += chunk), options.onStdout?.(chunk), true),
      isTTY: tty,
      columns: options.columns ?? 100,
    },
    stderr: {
      write: (chunk) => ((err += chunk), true),
      isTTY: tty,
      columns: options.columns ?? 100,
    },
    env: { HOME: '/nonexistent', ...options.env },
    version: '0.0.0-test',
    prompter: (ctx) => import('../../src/core/prompter.js').then((m) => m.createPrompter(ctx)),
    ...(options.now ? { now: options.now } : {}),
    ...(options.timer ? { timer: options.timer } : {}),
    ...(options.globals
      ? {
          globals: {
            color: 'auto' as const,
            noInput: false,
            debug: false,
            caFile: undefined,
            ...options.globals,
          },
        }
      : {}),
  });
  const connects: TestIo['connects'] = [];
  const api = options.api;
  const ctx: CommandContext = Object.assign(base, {
    connect: (flags: TargetFlags, connectOptions: ConnectOptions) => {
      connects.push({ flags, options: connectOptions });
      return api
        ? openConnection(ctx, testTarget(api.baseUrl, api.apiKey), connectOptions)
        : connect(ctx, flags, connectOptions);
    },
  });
  return { ctx, stdout: () => out, stderr: () => err, connects };
}
