// Tool schemas for MCP clients, from cst's own: zod/mini schemas (which carry no JSON Schema of
// their own) given one through zod's converter, and create_connect_session's arguments made
// from the request's field table, so that a field's kind and help are written once.
import * as z from 'zod/mini';
import { toJSONSchema } from 'zod/v4/core';
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { type RequestField, REQUEST_FIELDS } from '../../api/request-fields.js';
import { categoryList, expiresInProblem } from '../../options/parse.js';

/** A zod/mini schema as the SDK takes it: Standard Schema, with its JSON Schema for tools/list. */
export function forMcp<S extends z.ZodMiniType>(
  schema: S,
): StandardSchemaWithJSON<z.input<S>, z.output<S>> {
  const standard = schema['~standard'];
  const json = (io: 'input' | 'output') => (options?: { target?: string }) =>
    toJSONSchema(schema, {
      io,
      target: options?.target === 'draft-07' ? 'draft-07' : 'draft-2020-12',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
  return {
    '~standard': {
      version: 1,
      vendor: standard.vendor,
      validate: standard.validate,
      jsonSchema: { input: json('input'), output: json('output') },
    },
  };
}

/** What an agent may set on a session it creates: the list, in wire names. */
const CREATE_FIELDS = [
  'origin_owner_id',
  'origin_owner_name',
  'categories',
  'provider',
  'connector_profile_id',
  'expires_in',
  'label',
  'metadata',
];

const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'must not be empty'));
const expiresIn = z.int('must be whole seconds').check(
  z.refine((seconds: number) => expiresInProblem(seconds * 1000) === undefined, {
    message: expiresInProblem(0),
  }),
);

function fieldSchema(field: RequestField): z.ZodMiniType {
  switch (field.kind) {
    case 'text':
      return nonEmpty;
    case 'label':
      return z.string();
    case 'categories':
      return categoryList;
    case 'seconds':
      return expiresIn;
    case 'object':
      return z.record(z.string(), z.unknown());
    case 'boolean':
      return z.boolean();
    case 'choice':
      // Open: StackOne adds values; the server is the judge.
      return nonEmpty;
  }
}

function describe(field: RequestField): string {
  const help = field.flag?.help;
  const text = typeof help === 'string' ? help : (help?.[0] ?? field.wire);
  const unit = field.kind === 'seconds' ? ' (in seconds)' : '';
  const lists = field.kind === 'categories' ? ' (e.g. ["hris", "ats"])' : '';
  return `${text.replace(/ \(required\)$/, '').replace(/, repeatable.*$/, '')}${unit}${lists}`;
}

/** create_connect_session's arguments: the chosen request fields, each by its kind. */
export const createSessionInput = z.object(
  Object.fromEntries(
    REQUEST_FIELDS.filter((field) => CREATE_FIELDS.includes(field.wire)).map((field) => {
      const schema = fieldSchema(field).check(z.describe(describe(field)));
      return [field.wire, field.required ? schema : z.optional(schema)];
    }),
  ),
);
