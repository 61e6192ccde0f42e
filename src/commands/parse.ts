// zod pieces for turning flag strings into values, shared by every command's options schema,
// and the one conversion of a zod failure into a UsageError that names the flag.
import { z } from 'zod';
import { CATEGORIES, CATEGORY_ALIASES, type Category } from '../api/constants.js';
import { UsageError } from '../errors.js';
import { DURATION_HELP, parseDurationMs } from '../util/duration.js';
import { nearest } from '../util/suggest.js';

export const durationMs = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration: use ${DURATION_HELP}` });
    return z.NEVER;
  }
  return ms;
});

/** Wire category values from one or more comma lists; camelCase spellings become wire values. */
export const categoryList = z.array(z.string()).transform((lists, ctx) => {
  const result: Category[] = [];
  for (const raw of lists.flatMap((list) => list.split(','))) {
    const name = raw.trim();
    if (name === '') continue;
    const category = (CATEGORIES as readonly string[]).includes(name)
      ? (name as Category)
      : CATEGORY_ALIASES[name];
    if (category === undefined) {
      const suggestion = nearest(name, CATEGORIES);
      ctx.addIssue({
        code: 'custom',
        message: `unknown category "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; valid: ${CATEGORIES.join(', ')}`,
      });
      return z.NEVER;
    }
    if (!result.includes(category)) result.push(category);
  }
  return result;
});

export const jsonObject = z.string().transform((text, ctx): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
    return z.NEVER;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
    return z.NEVER;
  }
  return value as Record<string, unknown>;
});

export const keyValues = z.array(z.string()).transform((pairs, ctx) => {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not key=value` });
      return z.NEVER;
    }
    result[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return result;
});

/** The first problem, as "--flag-name: message". */
export function usageFromZod(error: z.ZodError): UsageError {
  const issue = error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const flag = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  return new UsageError(`${flag}: ${issue?.message ?? 'invalid value'}`);
}
