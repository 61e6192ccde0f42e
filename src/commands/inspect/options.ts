// Raw inspect flags → typed InspectOptions.
import { SESSION_FIELDS } from '../../cmdutil/fields.js';
import * as z from 'zod/mini';
import { type OutputOptions } from '../../core/output/format.js';
import { type OutputFlags, parseOutputFlags } from '../../options/output.js';
import { UsageError } from '../../core/errors.js';
import {
  parseFlags,
  type SecretSource,
  secretSource,
  sessionId,
  timeoutMs,
} from '../../options/parse.js';
import { type TargetFlags, targetFlags } from '../../options/target.js';

export interface InspectFlags extends OutputFlags {
  tokenStdin?: boolean;
  session?: string;
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
}

export interface InspectOptions {
  /** A token (as an argument or on stdin), or a session id read back by GET. */
  source: SecretSource | { kind: 'session'; id: number };
  target: TargetFlags;
  timeoutMs: number;
  output: OutputOptions;
}

const schema = z.object({ timeout: timeoutMs, session: z.optional(sessionId) });

export function parseInspectOptions(
  token: string | undefined,
  flags: InspectFlags,
): InspectOptions {
  if (flags.session !== undefined && (token !== undefined || flags.tokenStdin))
    throw new UsageError('give one of: a token, --token-stdin, or --session <id>');
  const output = parseOutputFlags(flags, SESSION_FIELDS);
  const { timeout, session } = parseFlags(schema, flags);
  return {
    source:
      session !== undefined
        ? { kind: 'session', id: session }
        : secretSource(token, flags.tokenStdin, '--token-stdin', 'token'),
    target: targetFlags(flags),
    timeoutMs: timeout,
    output,
  };
}
