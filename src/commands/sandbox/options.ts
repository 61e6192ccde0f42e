// Raw sandbox flags → typed options for serve, link and reset.
import { parseRate } from '../../bulk/pacer.js';
import { UsageError } from '../../errors.js';
import { type SecretSource, secretSource } from '../../options/parse.js';
import { FAULTS, type Fault, type FaultOptions, parseFault } from '../../sandbox/faults.js';
import type { Outcome } from '../../sandbox/hub.js';
import { parseDurationMs } from '../../util/duration.js';

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
  provider: string;
  outcome?: string;
  tokenStdin?: boolean;
  json?: boolean;
}

export interface LinkOptions {
  token: SecretSource;
  provider: string;
  outcome: Outcome;
  json: boolean;
}

export interface ResetOptions {
  yes: boolean;
}

export function parseServeOptions(flags: ServeFlags): ServeOptions {
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65535)
    throw new UsageError(`--port: "${flags.port}" is not a port number`);
  const duration = (flag: string, text: string | undefined) => {
    if (text === undefined) return 0;
    const ms = parseDurationMs(text);
    if (ms === undefined) throw new UsageError(`${flag}: "${text}" is not a duration`);
    return ms;
  };
  const rates: Partial<Record<Fault, number>> = {};
  for (const text of flags.fault ?? []) {
    const fault = parseFault(text);
    if (!fault)
      throw new UsageError(
        `--fault: "${text}" is not name=probability with a name among ${FAULTS.join(', ')}`,
      );
    rates[fault[0]] = fault[1];
  }
  const perSecond = flags.rateLimit === undefined ? 1000 / 60 : parseRate(flags.rateLimit);
  if (perSecond === undefined)
    throw new UsageError(`--rate-limit: "${flags.rateLimit}" is not a rate`);
  if (!/^\d+$/.test(flags.seed ?? '1'))
    throw new UsageError(`--seed: "${flags.seed}" is not a whole number`);
  return {
    port,
    json: flags.json === true,
    quiet: flags.quiet === true,
    rateLimitPerMinute: perSecond === Infinity ? 0 : Math.round(perSecond * 60),
    faults: {
      latencyMs: duration('--latency', flags.latency),
      jitterMs: duration('--jitter', flags.jitter),
      rates,
      seed: Number(flags.seed ?? '1'),
    },
  };
}

export function parseLinkOptions(token: string | undefined, flags: LinkFlags): LinkOptions {
  return {
    token: secretSource(token, flags.tokenStdin, '--token-stdin', 'token'),
    provider: flags.provider,
    outcome: linkOutcome(flags.outcome),
    json: flags.json === true,
  };
}

export function parseResetOptions(flags: { yes?: boolean }): ResetOptions {
  return { yes: flags.yes === true };
}

function linkOutcome(text: string | undefined): Outcome {
  if (text === undefined) return 'authenticated';
  if (text === 'error' || text === 'cancelled') return text;
  throw new UsageError(`--outcome: "${text}" is not error or cancelled`);
}
