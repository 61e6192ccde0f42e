// Raw wait flags → typed WaitOptions. Every problem is a UsageError naming the flag.
import { WAIT_FIELDS } from '../../cmdutil/fields.js';
import * as z from 'zod/mini';
import { type TargetFlags, targetFlags } from '../../options/target.js';
import { UsageError } from '../../core/errors.js';
import { type OutputOptions } from '../../core/output/format.js';
import { type OutputFlags, parseOutputFlags } from '../../options/output.js';
import { intervalMs, parseFlags, sessionId, timeoutMs, timerMs } from '../../options/parse.js';

export interface WaitFlags extends OutputFlags {
  tokenStdin?: boolean;
  session?: string;
  interval: string;
  waitTimeout: string;
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
}

export type WaitSource =
  { kind: 'token'; token: string } | { kind: 'stdin' } | { kind: 'session'; id: number };

export interface WaitOptions {
  source: WaitSource;
  intervalMs: number;
  waitTimeoutMs: number;
  target: TargetFlags;
  timeoutMs: number;
  output: OutputOptions;
}

const waitFlagsSchema = z.object({
  session: z.optional(sessionId),
  interval: intervalMs,
  waitTimeout: timerMs,
  timeout: timeoutMs,
});

export function parseWaitOptions(token: string | undefined, flags: WaitFlags): WaitOptions {
  const given = [token !== undefined, flags.tokenStdin === true, flags.session !== undefined];
  if (given.filter(Boolean).length !== 1)
    throw new UsageError('give one of: a token, --token-stdin, or --session <id>');
  const output = parseOutputFlags(flags, WAIT_FIELDS);
  const f = parseFlags(waitFlagsSchema, flags);
  const source: WaitSource =
    f.session !== undefined
      ? { kind: 'session', id: f.session }
      : token !== undefined
        ? { kind: 'token', token }
        : { kind: 'stdin' };
  return {
    source,
    intervalMs: f.interval,
    waitTimeoutMs: f.waitTimeout,
    target: targetFlags(flags),
    timeoutMs: f.timeout,
    output,
  };
}
