// Raw sandbox flags → typed options for serve, link and reset.
import * as z from 'zod/mini';
import { UsageError } from '../../core/errors.js';
import {
  timerMs,
  flagValue,
  parseFlags,
  rate,
  type SecretSource,
  secretSource,
  wholeNumber,
} from '../../options/parse.js';
import { FAULTS, type FaultOptions, parseFault } from '../../sandbox/faults.js';
import type { Decision, Outcome } from '../../sandbox/hub.js';

export interface ServeFlags {
  port: string;
  json?: boolean;
  quiet?: boolean;
  latency?: string;
  jitter?: string;
  rateLimit?: string;
  fault?: string[];
  seed?: string;
}

export interface ServeOptions {
  /** 0: any free port. */
  port: number;
  json: boolean;
  /** No line on stderr for each request. */
  quiet: boolean;
  /** 0: no limit. */
  rateLimitPerMinute: number;
  faults: Required<FaultOptions>;
}

export interface LinkFlags {
  provider?: string;
  outcome?: string;
  tokenStdin?: boolean;
  json?: boolean;
}

export type LinkOptions = {
  token: SecretSource;
  json: boolean;
} & Decision;

export interface ResetOptions {
  yes: boolean;
  json: boolean;
}

const serveSchema = z.object({
  port: flagValue(
    (text) => {
      const port = wholeNumber(text);
      return port !== undefined && port <= 65535 ? port : undefined;
    },
    (text) => `"${text}" is not a port number`,
  ),
  latency: z.optional(timerMs),
  jitter: z.optional(timerMs),
  rateLimit: z.optional(rate),
  fault: z.optional(
    z.array(
      flagValue(
        parseFault,
        (text) => `"${text}" is not name=probability with a name among ${FAULTS.join(', ')}`,
      ),
    ),
  ),
  seed: z.optional(flagValue(wholeNumber, (text) => `"${text}" is not a whole number`)),
});

export function parseServeOptions(flags: ServeFlags): ServeOptions {
  const f = parseFlags(serveSchema, flags);
  // StackOne's 1000/min per key unless told otherwise; Infinity (0, unlimited) is no limit.
  const perSecond = f.rateLimit ?? 1000 / 60;
  return {
    port: f.port,
    json: flags.json === true,
    quiet: flags.quiet === true,
    rateLimitPerMinute: perSecond === Infinity ? 0 : Math.round(perSecond * 60),
    faults: {
      latencyMs: f.latency ?? 0,
      jitterMs: f.jitter ?? 0,
      rates: Object.fromEntries(f.fault ?? []),
      seed: f.seed ?? 1,
    },
  };
}

export function parseLinkOptions(token: string | undefined, flags: LinkFlags): LinkOptions {
  const outcome = linkOutcome(flags.outcome);
  const { provider } = flags;
  const common = {
    token: secretSource(token, flags.tokenStdin, '--token-stdin', 'token'),
    json: flags.json === true,
  };
  if (outcome !== 'authenticated') return { ...common, outcome, provider };
  if (provider === undefined)
    throw new UsageError('--provider is required to connect (or pass --outcome error|cancelled)');
  return { ...common, outcome, provider };
}

export function parseResetOptions(flags: { yes?: boolean; json?: boolean }): ResetOptions {
  return { yes: flags.yes === true, json: flags.json === true };
}

function linkOutcome(text: string | undefined): Outcome {
  if (text === undefined) return 'authenticated';
  if (text === 'error' || text === 'cancelled') return text;
  throw new UsageError(`--outcome: "${text}" is not error or cancelled`);
}
