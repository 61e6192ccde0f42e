// Request validation for the sandbox, by the spec's ConnectSessionCreate (never by cst's own
// field table, so that a mistake in the client's table is not made again by the server that
// tests it): the messages name the field, as StackOne's class-validator messages do.
import schema from './create-schema.json' with { type: 'json' };

/**
 * A property of the spec's ConnectSessionCreate, as src/sandbox/create-schema.json keeps it
 * (made from the spec fixture by scripts/spec-fixture.js).
 */
interface Property {
  type: string;
  nullable?: boolean;
  enum?: readonly (string | null)[];
  items?: Property;
}

const SCHEMA = schema as {
  required: readonly string[];
  echoed: readonly string[];
  properties: Record<string, Property>;
};

/** The request fields a session carries back as sent, by the spec's ConnectSession. */
export const ECHOED_FIELDS: readonly string[] = SCHEMA.echoed;

type Check = (value: unknown) => string | undefined;

/** What StackOne itself adds to the schema: a required text is not empty, an expiry is ahead. */
const BEYOND: Record<string, Check> = {
  expires_in: (value) =>
    typeof value === 'number' && !(Number.isFinite(value) && value > 0)
      ? 'must be a positive number'
      : undefined,
};

const TYPE_OK: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  array: (value) => Array.isArray(value),
};

const TYPE_PROBLEM: Record<string, string> = {
  string: 'must be a string',
  number: 'must be a positive number',
  boolean: 'must be a boolean',
  object: 'must be an object',
  array: 'must be an array',
};

/** One property against its schema: StackOne's class-validator messages, naming no value. */
function check(name: string, property: Property, required: boolean): Check {
  return (value) => {
    if (required) {
      return typeof value === 'string' && value.length > 0
        ? undefined
        : 'must be a non-empty string';
    }
    if (value === null) return undefined;
    if (!TYPE_OK[property.type]?.(value)) return TYPE_PROBLEM[property.type];
    if (property.enum && !property.enum.includes(value as string))
      return `must be one of ${property.enum.filter((v) => v !== null).join(', ')}`;
    const items = property.items?.enum;
    if (items) {
      const unknown = (value as unknown[]).find(
        (item) => item !== null && !items.includes(item as string),
      );
      if (unknown !== undefined)
        return `must contain only ${items.filter((v) => v !== null).join(', ')}`;
    }
    return BEYOND[name]?.(value);
  };
}

/** Problems with a create body, one message per field; unknown fields are ignored. */
export function validateCreate(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return ['body must be a JSON object'];
  const record = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const [name, property] of Object.entries(SCHEMA.properties)) {
    const required = SCHEMA.required.includes(name);
    if (!(name in record) && !required) continue;
    const problem = check(name, property, required)(record[name]);
    if (problem) problems.push(`${name} ${problem}`);
  }
  return problems;
}
