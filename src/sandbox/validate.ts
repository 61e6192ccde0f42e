// Request validation for the sandbox, by the spec's ConnectSessionCreate: the messages name the
// field, as StackOne's class-validator messages do.
import { CATEGORIES } from '../api/constants.js';
import { ALL_FIELDS, type RequestField } from '../api/request-fields.js';

type Check = (value: unknown) => string | undefined;

const optionalString: Check = (value) =>
  value === null || typeof value === 'string' ? undefined : 'must be a string';
const requiredString: Check = (value) =>
  typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty string';

/** What StackOne accepts for each kind of field (see REQUEST_FIELDS). */
function check(field: RequestField): Check {
  if (field.required) return requiredString;
  switch (field.kind) {
    case 'text':
    case 'label':
      return optionalString;
    case 'categories':
      return (value) => {
        if (value === null) return undefined;
        if (!Array.isArray(value)) return 'must be an array';
        const unknown = (value as unknown[]).find(
          (item) => item !== null && !(CATEGORIES as readonly unknown[]).includes(item),
        );
        return unknown === undefined ? undefined : `must contain only ${CATEGORIES.join(', ')}`;
      };
    case 'seconds':
      return (value) =>
        value === null || (typeof value === 'number' && Number.isFinite(value) && value > 0)
          ? undefined
          : 'must be a positive number';
    case 'object':
      return (value) =>
        value === null || (typeof value === 'object' && !Array.isArray(value))
          ? undefined
          : 'must be an object';
    case 'boolean':
      return (value) =>
        value === null || typeof value === 'boolean' ? undefined : 'must be a boolean';
    case 'choice': {
      const choices: readonly unknown[] = field.choices ?? [];
      return (value) =>
        value === null || choices.includes(value)
          ? undefined
          : `must be one of ${choices.join(', ')}`;
    }
  }
}

/** Problems with a create body, one message per field; unknown fields are ignored. */
export function validateCreate(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return ['body must be a JSON object'];
  const record = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of ALL_FIELDS) {
    if (!(field.wire in record) && !field.required) continue;
    const problem = check(field)(record[field.wire]);
    if (problem) problems.push(`${field.wire} ${problem}`);
  }
  return problems;
}
