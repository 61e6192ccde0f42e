// Request validation for the sandbox, by the spec's ConnectSessionCreate: the messages name the
// field, as StackOne's class-validator messages do.
import { CATEGORIES, SESSION_TYPES } from '../api/constants.js';

type Check = (value: unknown) => string | undefined;

const optionalString: Check = (value) =>
  value === null || typeof value === 'string' ? undefined : 'must be a string';
const requiredString: Check = (value) =>
  typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty string';

const CREATE_FIELDS: Record<string, Check> = {
  origin_owner_id: requiredString,
  origin_owner_name: requiredString,
  categories: (value) => {
    if (value === null) return undefined;
    if (!Array.isArray(value)) return 'must be an array';
    const unknown = (value as unknown[]).find(
      (item) => item !== null && !(CATEGORIES as readonly unknown[]).includes(item),
    );
    return unknown === undefined ? undefined : `must contain only ${CATEGORIES.join(', ')}`;
  },
  provider: optionalString,
  provider_version: optionalString,
  origin_username: optionalString,
  account_id: optionalString,
  label: optionalString,
  integration_id: optionalString,
  connector_profile_id: optionalString,
  expires_in: (value) =>
    value === null || (typeof value === 'number' && Number.isFinite(value) && value > 0)
      ? undefined
      : 'must be a positive number',
  metadata: (value) =>
    value === null || (typeof value === 'object' && !Array.isArray(value))
      ? undefined
      : 'must be an object',
  multiple: (value) =>
    value === null || typeof value === 'boolean' ? undefined : 'must be a boolean',
  type: (value) =>
    value === null || (SESSION_TYPES as readonly unknown[]).includes(value)
      ? undefined
      : `must be one of ${SESSION_TYPES.join(', ')}`,
};

/** Problems with a create body, one message per field; unknown fields are ignored. */
export function validateCreate(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return ['body must be a JSON object'];
  const record = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, check] of Object.entries(CREATE_FIELDS)) {
    const required = field === 'origin_owner_id' || field === 'origin_owner_name';
    if (!(field in record) && !required) continue;
    const problem = check(record[field]);
    if (problem) problems.push(`${field} ${problem}`);
  }
  return problems;
}
