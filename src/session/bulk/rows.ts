// One input row → one ConnectSessionCreate, by the same rules as a single create. Flags given
// on the command line are defaults for every row. API keys are never read from rows.
import { createHash } from 'node:crypto';
import {
  COLUMN_FIELDS,
  type ColumnField,
  type ConnectSessionCreate,
  setTwice,
} from '../../api/request-fields.js';
import { categoryList, durationMs, expiresInProblem, jsonObject } from '../../options/parse.js';
import type { Column } from './input.js';

export interface RowRequest {
  line: number;
  request: ConnectSessionCreate;
  org: string | undefined;
  project: string | undefined;
  rowKey: string | undefined;
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

export function rowRequest(
  line: number,
  values: Readonly<Record<Column, unknown>>,
  defaults: Partial<ConnectSessionCreate>,
  target: { org?: string | undefined; project?: string | undefined },
): RowRequest | string {
  try {
    const request: Record<string, unknown> = { ...defaults };
    const read = (field: ColumnField) => {
      const raw = values[field.column.name];
      const value = raw === undefined ? undefined : cellValue(field, raw);
      if (value !== undefined) request[field.key] = value;
    };
    // What every row needs comes first: a row without it says so, whatever else is wrong.
    const required = COLUMN_FIELDS.filter((field) => field.required === true);
    required.forEach(read);
    const missing = required.filter((field) => request[field.key] === undefined);
    if (missing.length > 0)
      return `missing ${missing.map((field) => field.column.name).join(' and ')}`;
    COLUMN_FIELDS.filter((field) => field.required !== true).forEach(read);
    const twice = setTwice(request);
    if (twice) {
      const [old, now] = [twice.deprecated, twice.replacement].map((f) => f.column?.name);
      return `${old} and ${now} name the same thing: keep ${now}`;
    }
    return {
      line,
      request: request as ConnectSessionCreate,
      org: text('org', values.org) ?? target.org,
      project: text('project', values.project) ?? target.project,
      rowKey: text('row_key', values.row_key),
    };
  } catch (error) {
    if (error instanceof RowError) return error.message;
    throw error;
  }
}

/** A cell as text: trimmed, empty meaning absent; numbers as written. */
function text(column: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number') return String(value);
  throw new RowError(`${column} must be text`);
}

/** How each kind of request field reads from a cell (CSV text, or an NDJSON value). */
function cellValue(field: ColumnField, raw: unknown): unknown {
  const column = field.column.name;
  switch (field.kind) {
    case 'text':
    case 'label':
      return text(column, raw);
    case 'categories': {
      const lists = Array.isArray(raw) ? raw.map(String) : show(raw).split(/[;|]/);
      const parsed = categoryList.safeParse(lists);
      if (!parsed.success)
        throw new RowError(parsed.error.issues[0]?.message ?? 'invalid categories');
      return parsed.data;
    }
    case 'seconds': {
      const parsed =
        typeof raw === 'number'
          ? { success: true as const, data: raw * 1000 }
          : durationMs.safeParse(show(raw));
      if (!parsed.success) throw new RowError(`${column}: "${show(raw)}" is not a duration`);
      const problem = expiresInProblem(parsed.data);
      if (problem !== undefined) throw new RowError(`${column}: "${show(raw)}" ${problem}`);
      return parsed.data / 1000;
    }
    case 'object': {
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw;
      const parsed = jsonObject.safeParse(show(raw));
      if (!parsed.success)
        throw new RowError(`${column}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    }
    case 'boolean': {
      const value = typeof raw === 'boolean' ? raw : BOOLEANS[show(raw).trim().toLowerCase()];
      if (value === undefined)
        throw new RowError(`${column}: "${show(raw)}" is not true/false/1/0/yes/no`);
      return value;
    }
    case 'choice': {
      const value = text(column, raw);
      const choices = field.choices ?? [];
      if (value !== undefined && !choices.includes(value))
        throw new RowError(`${column}: "${value}" is not one of ${choices.join(', ')}`);
      return value;
    }
  }
}

class RowError extends Error {}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A row's identity: its row_key, or what makes a session the same one (target, owner, provider,
 * categories; not expires_in). Hashed, so that the journal and memory stay small per row.
 */
export function rowIdentity(row: RowRequest, target: string): string {
  const categories = [...(row.request.categories ?? [])].sort().join(',');
  const identity =
    row.rowKey !== undefined
      ? ['key', target, row.rowKey]
      : [target, row.request.originOwnerId, row.request.provider ?? null, categories];
  return createHash('sha256').update(JSON.stringify(identity)).digest('base64url').slice(0, 22);
}
