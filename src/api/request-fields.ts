// The one declaration of `ConnectSessionCreate`: every field of the spec's request once, with
// everything cst derives from it: the request type and its wire form, the flags of `cst create`
// and their help, the bulk input columns, the response schema and the session's domain view,
// the ledger record and what --from-session carries. Adding a field is a row here (and a row in
// README's flag table, which a test holds to this one). Plain data: the help path imports it.
import { SESSION_TYPES } from './constants.js';

/** How a value is read, from a flag or from a bulk cell, and what it is on the wire. */
export type FieldKind =
  /** A non-empty string (trimmed). */
  | 'text'
  /** A string that may be empty (an empty label clears it). */
  | 'label'
  /** Comma lists of categories; camelCase spellings become wire values. */
  | 'categories'
  /** A duration in whole seconds, sent as a number. */
  | 'seconds'
  /** A JSON object: `--x key=value` (repeatable) and `--x-json '{…}'`. */
  | 'object'
  /** `--x` and `--no-x`. */
  | 'boolean'
  /** One of `choices`. */
  | 'choice';

export interface RequestField {
  /** The spec's name, on the wire. */
  readonly wire: string;
  /** The name inside cst (camelCase). */
  readonly key: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly choices?: readonly string[];
  /** The `cst create` flag: its name without `--`, the value's placeholder, one or two help lines. */
  readonly flag?: {
    readonly name: string;
    readonly value?: string;
    readonly short?: string;
    readonly help: string | readonly [string, string];
  };
  /** The bulk input column, and other spellings a header may use. */
  readonly column?: { readonly name: string; readonly aliases?: readonly string[] };
  /**
   * The ledger record's field for it, when the ledger keeps it: the record's type and schema
   * are made from these names (ledger/record.ts), so a name here is a field there.
   */
  readonly ledger?: string;
  /** --from-session carries it from the ledger to the new request. */
  readonly reissue?: boolean;
  /**
   * The session StackOne returns carries it back under the same name: the response schema
   * (api/schemas.ts) is made from these rows and the session's own fields.
   */
  readonly echoed?: boolean;
  /** Deprecated by StackOne in favour of this other field (its wire name). */
  readonly deprecatedFor?: string;
}

const TABLE = [
  {
    wire: 'origin_owner_id',
    key: 'originOwnerId',
    kind: 'text',
    required: true,
    flag: {
      name: 'owner-id',
      value: '<id>',
      help: 'your id for the customer (required)',
    },
    column: { name: 'owner_id', aliases: ['origin_owner_id'] },
    ledger: 'owner_id',
    reissue: true,
    echoed: true,
  },
  {
    wire: 'origin_owner_name',
    key: 'originOwnerName',
    kind: 'text',
    required: true,
    flag: {
      name: 'owner-name',
      value: '<name>',
      help: "the customer's name (required)",
    },
    column: { name: 'owner_name', aliases: ['origin_owner_name'] },
    ledger: 'owner_name',
    reissue: true,
    echoed: true,
  },
  {
    wire: 'categories',
    key: 'categories',
    kind: 'categories',
    flag: {
      name: 'categories',
      short: 'c',
      value: '<list>',
      help: 'comma-separated: hris,ats,… (cst help categories)',
    },
    column: { name: 'categories' },
    ledger: 'categories',
    reissue: true,
    echoed: true,
  },
  {
    wire: 'provider',
    key: 'provider',
    kind: 'text',
    flag: {
      name: 'provider',
      value: '<key>',
      help: 'open the Hub on this provider (e.g. bamboohr)',
    },
    column: { name: 'provider' },
    ledger: 'provider',
    reissue: true,
    echoed: true,
  },
  {
    wire: 'provider_version',
    key: 'providerVersion',
    kind: 'text',
    // Deprecated by StackOne: no flag and no column; --body-json can still send it.
  },
  {
    wire: 'origin_username',
    key: 'originUsername',
    kind: 'text',
    flag: {
      name: 'username',
      value: '<name>',
      help: 'who at the customer connects (origin_username)',
    },
    column: { name: 'username', aliases: ['origin_username'] },
    ledger: 'username',
    echoed: true,
  },
  {
    wire: 'account_id',
    key: 'accountId',
    kind: 'text',
    flag: {
      name: 'account-id',
      value: '<id>',
      help: 'edit this linked account instead of creating one',
    },
    column: { name: 'account_id' },
    ledger: 'account_id',
    echoed: true,
  },
  {
    wire: 'label',
    key: 'label',
    kind: 'label',
    flag: { name: 'label', value: '<text>', help: 'label applied to the linked account' },
    column: { name: 'label' },
    ledger: 'label',
    reissue: true,
    echoed: true,
  },
  {
    wire: 'expires_in',
    key: 'expiresIn',
    kind: 'seconds',
    flag: {
      name: 'expires-in',
      value: '<duration>',
      help: 'how long the token is valid: 12h (default: 30m)',
    },
    column: { name: 'expires_in' },
  },
  {
    wire: 'metadata',
    key: 'metadata',
    kind: 'object',
    flag: {
      name: 'metadata',
      value: '<key=value>',
      help: ['metadata entry, repeatable (or --metadata-json)', 'metadata as a JSON object'],
    },
    column: { name: 'metadata' },
    echoed: true,
  },
  {
    wire: 'multiple',
    key: 'multiple',
    kind: 'boolean',
    flag: {
      name: 'multiple',
      help: ['several accounts per owner and provider (or --no-…)', 'send multiple: false'],
    },
    column: { name: 'multiple' },
  },
  {
    wire: 'type',
    key: 'type',
    kind: 'choice',
    choices: SESSION_TYPES,
    flag: { name: 'type', value: '<type>', help: 'account type' },
    column: { name: 'type' },
    ledger: 'type',
    reissue: true,
    echoed: true,
  },
  {
    wire: 'connector_profile_id',
    key: 'connectorProfileId',
    kind: 'text',
    flag: {
      name: 'connector-profile',
      value: '<id>',
      help: 'use this connector profile (connector_profile_id)',
    },
    column: { name: 'connector_profile_id' },
    echoed: true,
  },
  {
    wire: 'integration_id',
    key: 'integrationId',
    kind: 'text',
    flag: {
      name: 'integration-id',
      value: '<id>',
      help: 'deprecated by StackOne: use --connector-profile',
    },
    column: { name: 'integration_id' },
    echoed: true,
    deprecatedFor: 'connector_profile_id',
  },
] as const satisfies readonly RequestField[];

export type Field = (typeof TABLE)[number];

interface KindValue {
  text: string;
  label: string;
  categories: string[];
  seconds: number;
  object: Record<string, unknown>;
  boolean: boolean;
  choice: string;
}

/** `ConnectSessionCreate`, as cst holds it before sending: camelCase, only what was set. */
export type ConnectSessionCreate = {
  [F in Field as F extends { required: true } ? F['key'] : never]: KindValue[F['kind']];
} & {
  [F in Field as F extends { required: true } ? never : F['key']]?: KindValue[F['kind']];
};

/** Outbound: only the fields that were set, in snake_case, in the table's order. */
export function connectSessionCreateToWire(create: ConnectSessionCreate): Record<string, unknown> {
  const values = create as Readonly<Record<string, unknown>>;
  const wire: Record<string, unknown> = {};
  for (const field of TABLE)
    if (values[field.key] !== undefined) wire[field.wire] = values[field.key];
  return wire;
}

/** The table as its general shape, for code that walks every field; `Field` is its literal row type. */
export const REQUEST_FIELDS: readonly RequestField[] = TABLE;

export type FlaggedField = RequestField & { readonly flag: NonNullable<RequestField['flag']> };
export type ColumnField = RequestField & { readonly column: NonNullable<RequestField['column']> };

/** The fields `cst create` has flags for, in the order its help lists them. */
export const FLAGGED_FIELDS: readonly FlaggedField[] = REQUEST_FIELDS.filter(
  (field: RequestField): field is FlaggedField => field.flag !== undefined,
);

/** The fields a bulk input row may set, in the order the column list names them. */
export const COLUMN_FIELDS: readonly ColumnField[] = REQUEST_FIELDS.filter(
  (field: RequestField): field is ColumnField => field.column !== undefined,
);

/** A deprecated field set together with the field it stands in for: they name one thing. */
export function setTwice(
  request: Readonly<Record<string, unknown>>,
): { deprecated: RequestField; replacement: RequestField } | undefined {
  for (const deprecated of REQUEST_FIELDS) {
    const replacement = REQUEST_FIELDS.find((field) => field.wire === deprecated.deprecatedFor);
    if (
      replacement &&
      request[deprecated.key] !== undefined &&
      request[replacement.key] !== undefined
    )
      return { deprecated, replacement };
  }
  return undefined;
}
