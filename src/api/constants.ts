// Plain constants, shared by help text, option parsing, the wire schemas and the sandbox.
// No zod here: the help path imports this file.

/** Category values as StackOne sends and accepts them on the wire. */
export const CATEGORIES = [
  'ats',
  'hris',
  'hris-legacy',
  'crm',
  'iam',
  'marketing',
  'lms',
  'stackone',
  'documents',
  'ticketing',
  'screening',
  'messaging',
  'accounting',
  'scheduling',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** The spec's examples spell some values in camelCase; StackOne itself never sends them. */
export const CATEGORY_ALIASES: Readonly<Record<string, Category>> = {
  hrisLegacy: 'hris-legacy',
  stackOne: 'stackone',
};

/** Request values; responses may also say unmapped_value, and are read as open strings. */
export const SESSION_TYPES = ['production', 'test'] as const;

export const DEFAULT_EXPIRES_IN_SECONDS = 1800;

export const DEFAULT_BASE_URL = 'https://api.stackone.com';
