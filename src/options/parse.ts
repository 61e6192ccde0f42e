// zod pieces for turning flag strings into values, shared by every command's options schema,
// and the one conversion of a zod failure into a UsageError that names the flag.
import * as z from 'zod/mini';
import type { core } from 'zod/mini';
import { CATEGORIES, CATEGORY_ALIASES, type Category } from '../api/constants.js';
import { UsageError } from '../core/errors.js';
import { DURATION_HELP, MAX_TIMER_MS, parseDurationMs } from '../core/util/duration.js';
import { didYouMean } from '../core/util/suggest.js';

function fail(ctx: core.ParsePayload, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return z.NEVER;
}

/**
 * A flag's text read by `read`, which returns undefined for text it cannot read; `problem` says
 * why, of the text (usageFromZod puts the flag's name before it).
 */
export function flagValue<T>(
  read: (text: string) => T | undefined,
  problem: (text: string) => string,
) {
  return z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      const value = read(text);
      return value === undefined ? fail(ctx, problem(text)) : value;
    }),
  );
}

export const durationMs = flagValue(
  parseDurationMs,
  (text) => `"${text}" is not a duration: use ${DURATION_HELP}`,
);

/** A flag's text as a whole number (digits only), or undefined. */
export const wholeNumber = (text: string): number | undefined =>
  /^\d+$/.test(text) ? Number(text) : undefined;

/**
 * expires_in: from 1 second to 2^31-1 seconds (about 68 years), the range of the 32-bit integer
 * a server stores it in and far inside what cst can compute an expiry for. Checked before the
 * request is sent: a value that broke cst after the server acted would lose the session.
 */
const MAX_EXPIRES_IN_SECONDS = 2 ** 31 - 1;

export function expiresInProblem(ms: number): string | undefined {
  if (!(Number.isFinite(ms) && ms >= 1000 && ms <= MAX_EXPIRES_IN_SECONDS * 1000))
    return `must be from 1s to ${MAX_EXPIRES_IN_SECONDS}s (about 68 years)`;
  if (ms % 1000 !== 0) return 'must be whole seconds: StackOne takes expires_in in seconds';
  return undefined;
}

export const expiresInSeconds = z.pipe(
  durationMs,
  z.transform((ms: number, ctx) => {
    const problem = expiresInProblem(ms);
    return problem === undefined ? ms / 1000 : fail(ctx, problem);
  }),
);

/** Wire category values from one or more comma lists; camelCase spellings become wire values. */
export const categoryList = z.pipe(
  z.array(z.string()),
  z.transform((lists: string[], ctx) => {
    const result: Category[] = [];
    for (const raw of lists.flatMap((list) => list.split(','))) {
      const name = raw.trim();
      if (name === '') continue;
      const category = (CATEGORIES as readonly string[]).includes(name)
        ? (name as Category)
        : CATEGORY_ALIASES[name];
      if (category === undefined) {
        return fail(
          ctx,
          `unknown category "${name}"${didYouMean(name, CATEGORIES)}; valid: ${CATEGORIES.join(', ')}`,
        );
      }
      if (!result.includes(category)) result.push(category);
    }
    return result;
  }),
);

export const jsonObject = z.pipe(
  z.string(),
  z.transform((text: string, ctx): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return fail(ctx, 'not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(ctx, 'must be a JSON object');
    }
    return value as Record<string, unknown>;
  }),
);

export const keyValues = z.pipe(
  z.array(z.string()),
  z.transform((pairs: string[], ctx) => {
    const result: Record<string, string> = {};
    for (const pair of pairs) {
      const at = pair.indexOf('=');
      if (at <= 0) return fail(ctx, `"${pair}" is not key=value`);
      result[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return result;
  }),
);

export const sessionId = flagValue(
  sessionIdFrom,
  (text) => `"${text}" is not a session id (a number)`,
);

/**
 * A session id as typed. The spec types ids as numbers, not whole ones, and cst records what the
 * server sent: every id in the ledger is accepted here as cst prints it (`12`, `1.5`, `1e+21`),
 * and digits with leading zeros, but nothing that would name a different number than it reads.
 */
export function sessionIdFrom(text: string): number | undefined {
  const id = Number(text);
  const printed = text.replace(/^0+(?=\d)/, '');
  return text !== '' && Number.isFinite(id) && String(id) === printed ? id : undefined;
}

/** The first problem, as "--flag-name: message". */
function usageFromZod(error: core.$ZodError): UsageError {
  const issue = error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const flag = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  return new UsageError(`${flag}: ${issue?.message ?? 'invalid value'}`);
}

/** A whole number of at least `min`, from a flag's text; `problem` words a refusal. */
export const wholeNumberFrom = (
  min: number,
  problem = (text: string) => `"${text}" is not a whole number of ${min} or more`,
) =>
  flagValue((text) => {
    const n = wholeNumber(text);
    return n !== undefined && n >= min ? n : undefined;
  }, problem);

/** A whole number of at least 1, from a flag's text. */
export const positiveInt = wholeNumberFrom(1, (text) => `"${text}" is not a positive whole number`);

/** `N/s`, `N/min`, `N/h`, a bare N per minute; `0` or `unlimited` for none. Per second. */
function parseRate(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '0' || trimmed === 'unlimited') return Infinity;
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|sec|m|min|h|hour))?$/.exec(trimmed);
  if (!match?.[1]) return undefined;
  const count = Number(match[1]);
  if (count <= 0) return undefined;
  const per = match[2] ?? 'min';
  return count / (per.startsWith('s') ? 1 : per.startsWith('h') ? 3600 : 60);
}

/** A rate flag, per second. */
export const rate = flagValue(
  parseRate,
  (text) => `"${text}" is not a rate: use N/s, N/min, N/h, N (per minute), 0 or unlimited`,
);

/** A comma list of names, each one of `known`; none given is an error, not an empty list. */
export const nameList = <N extends string>(known: readonly N[]) =>
  z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      const names = text
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
      return unknown.length > 0 || names.length === 0
        ? fail(
            ctx,
            `unknown ${unknown.join(', ') || '(none given)'}; use any of ${known.join(', ')}`,
          )
        : (names as N[]);
    }),
  );

/** A duration that becomes a timer: one beyond a timer's reach is refused, not cut to 1 ms. */
export const timerMs = durationMs.check(
  z.refine(
    (ms: number) => ms <= MAX_TIMER_MS,
    'must be at most 24d20h31m23s (the longest timer Node can set)',
  ),
);

/** --timeout: a duration above zero. */
export const timeoutMs = timerMs.check(z.refine((ms: number) => ms > 0, 'must be more than 0'));

/** --interval: a poll's pause, at least a second. */
export const intervalMs = timerMs.check(
  z.refine((ms: number) => ms >= 1000, 'must be at least 1s'),
);

/** Parses `flags` with `schema`, or throws the UsageError that names the first bad flag. */
export function parseFlags<S extends z.ZodMiniType>(schema: S, flags: unknown): z.output<S> {
  const parsed = schema.safeParse(flags);
  if (!parsed.success) throw usageFromZod(parsed.error);
  return parsed.data;
}

/** A secret given as an argument or on stdin (never both, never neither). */
export type SecretSource = { kind: 'argument'; value: string } | { kind: 'stdin' };

export function secretSource(
  argument: string | undefined,
  stdin: boolean | undefined,
  flag: string,
  what: string,
): SecretSource {
  if (argument !== undefined && stdin)
    throw new UsageError(`give the ${what} as an argument or with ${flag}, not both`);
  if (argument === undefined && !stdin)
    throw new UsageError(`missing the ${what}: pipe it in with ${flag}`);
  return argument === undefined ? { kind: 'stdin' } : { kind: 'argument', value: argument };
}
