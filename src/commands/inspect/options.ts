// Raw inspect flags → typed InspectOptions.
import * as z from 'zod/mini';
import { SESSION_TOKEN_FIELDS } from '../../api/schemas.js';
import { type OutputFlags, type OutputOptions, parseOutputFlags } from '../../output/format.js';
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

/** A session as authenticate returns it: no token, no auth link. */
export const SESSION_FIELDS = SESSION_TOKEN_FIELDS.filter(
  (field) => field !== 'token' && field !== 'auth_link_url',
);

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
