// Wire schemas exactly as the spec types them (snake_case, nothing stricter), each with a
// transform to the camelCase domain type cst uses inside, and an outbound schema for requests.
// Enums are open: StackOne adds categories and types without notice.
// zod/mini: the same validation as classic zod at a fraction of the start-up cost.
import * as z from 'zod/mini';
import { REQUEST_FIELDS, type Field, type RequestField } from './request-fields.js';

const nullableString = z.nullish(z.string());

/** organization_id was a number until 2026 and is a string since; cst keeps it as a string. */
const organizationId = z.pipe(
  z.union([z.number(), z.string()]),
  z.transform((value: number | string) => String(value)),
);

/**
 * `latest_connection_attempt`: the newest attempt to link an account through this session
 * (docs.stackone.com, "Create Connect Session" and "Authenticate Connect Session"). Poll it for
 * OAuth completion: `authenticated` puts the account at `account_secure_id`. `status` is open:
 * pending, authenticated, error, cancelled, expired are known today, and nullable since 2026-06
 * (cst reads a null as pending). Fields cst does not know are kept as sent.
 */
const connectionAttemptWire = z.looseObject({
  id: z.string(),
  created_at: nullableString,
  updated_at: nullableString,
  status: nullableString,
  account_secure_id: nullableString,
  oauth_error_code: nullableString,
  oauth_error_description: nullableString,
});
export type ConnectionAttempt = z.output<typeof connectionAttemptWire>;

/** The session's own fields, which no request sets: the response adds them. */
const OWN_FIELDS = {
  id: z.number(),
  organization_id: organizationId,
  project_id: z.string(),
  created_at: z.string(),
  external_trigger_token: nullableString,
  latest_connection_attempt: z.nullish(connectionAttemptWire),
};

const categoriesWire = z.nullish(z.array(z.nullable(z.string())));
const objectWire = z.nullish(z.record(z.string(), z.unknown()));
const requiredString = z.string();

/** An echoed request field, as the response types it: open, nullable unless required. */
type EchoWire<F extends Field> = F extends { required: true }
  ? typeof requiredString
  : F['kind'] extends 'categories'
    ? typeof categoriesWire
    : F['kind'] extends 'object'
      ? typeof objectWire
      : typeof nullableString;

function echoWire(field: RequestField): z.ZodMiniType {
  if (field.required) return requiredString;
  if (field.kind === 'categories') return categoriesWire;
  if (field.kind === 'object') return objectWire;
  return nullableString;
}

type Echoed = Extract<Field, { echoed: true }>;
type SessionShape = typeof OWN_FIELDS & { [F in Echoed as F['wire']]: EchoWire<F> };

const ECHOED: readonly RequestField[] = REQUEST_FIELDS.filter((field) => field.echoed === true);

/**
 * The order cst prints a session in, the spec's: its own fields and the echoed ones among them.
 * An echoed field not named here (a field newer than this list) comes after them all.
 */
const PRINT_ORDER = [
  'id',
  'organization_id',
  'project_id',
  'categories',
  'provider',
  'origin_owner_id',
  'origin_owner_name',
  'origin_username',
  'account_id',
  'label',
  'created_at',
  'metadata',
  'external_trigger_token',
  'type',
  'integration_id',
  'connector_profile_id',
  'latest_connection_attempt',
];

const SESSION_WIRE_FIELDS: readonly string[] = [
  ...PRINT_ORDER,
  ...ECHOED.map((field) => field.wire).filter((wire) => !PRINT_ORDER.includes(wire)),
];

const connectSessionWire = z.looseObject({
  ...OWN_FIELDS,
  ...Object.fromEntries(ECHOED.map((field) => [field.wire, echoWire(field)])),
} as SessionShape);
type SessionWire = z.output<typeof connectSessionWire>;

/**
 * Top-level fields of `ConnectSessionTokenAuthLink`, in the order cst prints them: the session's,
 * then the token and its link. The one source of --field's choices and of the output.
 */
export const SESSION_TOKEN_FIELDS: readonly string[] = [
  ...SESSION_WIRE_FIELDS,
  'token',
  'auth_link_url',
];

/** `origin_owner_id` → `originOwnerId`. */
type Camel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** The domain view: camelCase, every known field present (null when the server left it out). */
type SessionView = {
  -readonly [K in Extract<keyof SessionShape, string> as Camel<K>]-?: undefined extends z.output<
    SessionShape[K]
  >
    ? Exclude<z.output<SessionShape[K]>, undefined> | null
    : z.output<SessionShape[K]>;
};

const camel = (wire: string) =>
  wire.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The domain view and, beside it, the session as printed: every known field in order (null when
 * absent), then fields newer than cst as the server sent them.
 */
function toSession(parsed: Readonly<Record<string, unknown>>): SessionView & {
  wire: Record<string, unknown>;
} {
  const wire: Record<string, unknown> = {};
  for (const field of SESSION_WIRE_FIELDS) wire[field] = parsed[field] ?? null;
  const newer = Object.entries(parsed).filter(
    ([key]) => !SESSION_WIRE_FIELDS.includes(key) && key !== 'token' && key !== 'auth_link_url',
  );
  const view = Object.fromEntries(SESSION_WIRE_FIELDS.map((field) => [camel(field), wire[field]]));
  return { ...(view as SessionView), wire: { ...wire, ...Object.fromEntries(newer) } };
}

/** `ConnectSession`: what /connect_sessions/authenticate returns. */
export const connectSessionSchema = z.pipe(
  connectSessionWire,
  z.transform((wire: SessionWire) => toSession(wire)),
);
export type ConnectSession = z.output<typeof connectSessionSchema>;

/**
 * `ConnectSessionTokenAuthLink`: what POST /connect_sessions returns. auth_link_url is optional
 * so the older `ConnectSessionToken` shape, which lacked it, still validates; it prints as null.
 */
const tokenWire = z.extend(connectSessionWire, {
  token: z.string(),
  auth_link_url: z.optional(z.string()),
});
export const connectSessionTokenSchema = z.pipe(
  tokenWire,
  z.transform((wire: z.output<typeof tokenWire>) => {
    const session = toSession(wire);
    // The token and its link print last, after fields newer than cst.
    const printed: Record<string, unknown> = {
      ...session.wire,
      token: wire.token,
      auth_link_url: wire.auth_link_url ?? null,
    };
    return {
      ...session,
      token: wire.token,
      authLinkUrl: wire.auth_link_url ?? null,
      wire: printed,
    };
  }),
);
export type ConnectSessionToken = z.output<typeof connectSessionTokenSchema>;

/** The spec's error body; every field optional here because proxies answer with anything. */
export const errorBodySchema = z.object({
  statusCode: z.optional(z.number()),
  message: z.optional(z.union([z.string(), z.array(z.string())])),
  timestamp: z.optional(z.string()),
});
