// A context with captured streams, for running commands in-process.
import { PassThrough } from 'node:stream';
import { type Context, createContext, type Env } from '../../src/context.js';

export interface TestIo {
  ctx: Context;
  stdout: () => string;
  stderr: () => string;
}

export interface TestContextOptions {
  tty?: boolean;
  env?: Env;
  columns?: number;
  now?: () => Date;
}

export function testContext(options: TestContextOptions = {}): TestIo {
  let out = '';
  let err = '';
  const tty = options.tty ?? false;
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const ctx = createContext({
    stdin: () => stdin,
    stdout: {
      write: (chunk) => ((out += chunk), true),
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
    ...(options.now ? { now: options.now } : {}),
  });
  return { ctx, stdout: () => out, stderr: () => err };
}
