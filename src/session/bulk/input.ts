// Bulk input: CSV with a header row, or NDJSON, streamed. Every row comes out as plain values
// keyed by canonical column names, or as an error for the physical line it starts on.
import { createReadStream } from 'node:fs';
import { COLUMN_FIELDS } from '../../api/request-fields.js';
import type { Context } from '../../core/context.js';
import { UsageError } from '../../core/errors.js';
import { readCsv } from './csv.js';

/** Columns that are not request fields: where a row goes, and what makes it the same row. */
const ROUTING_COLUMNS = ['org', 'project', 'row_key'] as const;

/** Every column a header may name: the request fields' (see REQUEST_FIELDS), then routing. */
export const COLUMNS: readonly string[] = [
  ...COLUMN_FIELDS.map((field) => field.column.name),
  ...ROUTING_COLUMNS,
];
export type Column = string;

const ALIASES: Readonly<Record<string, Column>> = Object.fromEntries(
  COLUMN_FIELDS.flatMap((field) =>
    (field.column.aliases ?? []).map((alias) => [alias, field.column.name]),
  ),
);

export type InputRow =
  { line: number; values: Partial<Record<Column, unknown>> } | { line: number; error: string };

/** `owner-id`, `Owner_ID` and `origin_owner_id` all name the owner_id column. */
export function columnName(raw: string): Column | undefined {
  const name = raw.trim().toLowerCase().replace(/-/g, '_');
  return ALIASES[name] ?? (COLUMNS.includes(name) ? name : undefined);
}

export function openInput(ctx: Context, path: string): AsyncIterable<string> {
  const stream = path === '-' ? ctx.stdin : createReadStream(path);
  stream.setEncoding('utf8');
  return stream as AsyncIterable<string>;
}

/** NDJSON when the file says so by name, or when its first character is `{`. */
export async function* readRows(
  chunks: AsyncIterable<string>,
  path: string,
): AsyncGenerator<InputRow> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return;
  const rest: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => {
      let sentHead = false;
      return {
        next: () => (sentHead ? iterator.next() : ((sentHead = true), Promise.resolve(head))),
      };
    },
  };
  const ndjson = /\.(nd)?jsonl?$/i.test(path) || /^\uFEFF?\s*\{/.test(head.value);
  yield* ndjson ? readNdjson(rest) : readCsvRows(rest, path);
}

/**
 * A header with an unknown or repeated column would make every row wrong the same way: the run
 * fails once, before anything is sent.
 */
function checkHeader(fields: string[], source: string, line: number): Column[] {
  const columns = fields.map(columnName);
  const unknown = fields.filter((_, i) => columns[i] === undefined);
  if (unknown.length > 0)
    throw new UsageError(
      `${source} line ${line}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}; known: ${COLUMNS.join(', ')}`,
    );
  const first = new Map<Column, number>();
  columns.forEach((column, i) => {
    const earlier = first.get(column!);
    if (earlier !== undefined)
      throw new UsageError(
        `${source} line ${line}: columns ${earlier + 1} ("${fields[earlier]}") and ${i + 1} ("${fields[i]}") both name ${column}`,
      );
    first.set(column!, i);
  });
  return columns as Column[];
}

async function* readCsvRows(chunks: AsyncIterable<string>, path: string): AsyncGenerator<InputRow> {
  let header: Column[] | undefined;
  for await (const record of readCsv(chunks)) {
    if ('error' in record) {
      yield record;
      continue;
    }
    if (!header) {
      header = checkHeader(record.fields, path === '-' ? 'stdin' : path, record.line);
      continue;
    }
    if (record.fields.length !== header.length) {
      yield {
        line: record.line,
        error: `${record.fields.length} fields where the header has ${header.length}`,
      };
    } else {
      const values: Partial<Record<Column, unknown>> = {};
      header.forEach((column, i) => {
        if (record.fields[i] !== '') values[column] = record.fields[i];
      });
      yield { line: record.line, values };
    }
  }
}

/** JSON.parse reads 1e400 as Infinity, which JSON.stringify would then send as null. */
function nonFiniteKey(row: object): string | undefined {
  for (const [key, item] of Object.entries(row)) {
    const stack: unknown[] = [item];
    for (let value = stack.pop(); stack.length > 0 || value !== undefined; value = stack.pop()) {
      if (typeof value === 'number' && !Number.isFinite(value)) return key;
      if (typeof value === 'object' && value !== null)
        for (const child of Object.values(value)) stack.push(child);
    }
  }
  return undefined;
}

async function* readNdjson(chunks: AsyncIterable<string>): AsyncGenerator<InputRow> {
  let buffered = '';
  let line = 0;
  const parse = (text: string, at: number): InputRow | undefined => {
    if (text.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { line: at, error: 'invalid JSON' };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { line: at, error: 'not a JSON object' };
    const infinite = nonFiniteKey(value);
    if (infinite !== undefined)
      return { line: at, error: `"${infinite}": a number too large to represent` };
    const values: Partial<Record<Column, unknown>> = {};
    for (const [key, item] of Object.entries(value)) {
      const column = columnName(key);
      if (column === undefined) return { line: at, error: `unknown column "${key}"` };
      if (item !== null && item !== '') values[column] = item;
    }
    return { line: at, values };
  };
  for await (const chunk of chunks) {
    // Only the new chunk is searched: a line of megabytes is scanned once, not once per chunk.
    let from = buffered.length;
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n', from)) >= 0) {
      line++;
      const row = parse(buffered.slice(0, newline).replace(/^\uFEFF/, ''), line);
      buffered = buffered.slice(newline + 1);
      from = 0;
      if (row) yield row;
    }
  }
  const last = parse(buffered, line + 1);
  if (last) yield last;
}

/** Data rows in a file: its non-empty lines, less a CSV header (quoted line breaks overcount). */
export async function countRows(path: string): Promise<number> {
  let lines = 0;
  let first = '';
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    if (first === '') first = chunk.toString('utf8', 0, Math.min(chunk.length, 64));
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  if (last !== 0x0a) lines++;
  const ndjson = /\.(nd)?jsonl?$/i.test(path) || /^\uFEFF?\s*\{/.test(first);
  return Math.max(0, ndjson ? lines : lines - 1);
}
