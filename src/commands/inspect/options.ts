// Raw inspect flags → typed InspectOptions.
import { SESSION_FIELDS } from '../../cmdutil/fields.js';
import * as z from 'zod/mini';
import { type OutputOptions } from '../../core/output/format.js';
import { type OutputFlags, parseOutputFlags } from '../../options/output.js';
import { parseFlags, type SecretSource, secretSource, timeoutMs } from '../../options/parse.js';
import { type TargetFlags, targetFlags } from '../../options/target.js';

export interface InspectFlags extends OutputFlags {
  tokenStdin?: boolean;
  org?: string;
  project?: string;
  sandbox?: boolean;
  timeout: string;
}

export interface InspectOptions {
  token: SecretSource;
  target: TargetFlags;
  timeoutMs: number;
  output: OutputOptions;
}

const schema = z.object({ timeout: timeoutMs });

export function parseInspectOptions(
  token: string | undefined,
  flags: InspectFlags,
): InspectOptions {
  const output = parseOutputFlags(flags, SESSION_FIELDS);
  const { timeout } = parseFlags(schema, flags);
  return {
    token: secretSource(token, flags.tokenStdin, '--token-stdin', 'token'),
    target: targetFlags(flags),
    timeoutMs: timeout,
    output,
  };
}
