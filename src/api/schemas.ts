// Wire schemas exactly as the spec types them (snake_case, nothing stricter), each with a
// transform to the camelCase domain type cst uses inside, and an outbound schema for requests.
// Enums are open: StackOne adds categories and types without notice.
// zod/mini: the same validation as classic zod at a fraction of the start-up cost.
import * as z from 'zod/mini';

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
 * pending, authenticated, error, cancelled, expired are known today. Fields cst does not know are
 * kept as sent.
 */
const connectionAttemptWire = z.looseObject({
  id: z.string(),
  created_at: nullableString,
  updated_at: nullableString,
  status: z.string(),
  account_secure_id: nullableString,
  oauth_error_code: nullableString,
  oauth_error_description: nullableString,
});
export type ConnectionAttempt = z.output<typeof connectionAttemptWire>;

const connectSessionWire = z.looseObject({
  id: z.number(),
  organization_id: organizationId,
  project_id: z.string(),
  categories: z.nullish(z.array(z.nullable(z.string()))),
  provider: nullableString,
  origin_owner_id: z.string(),
  origin_owner_name: z.string(),
  origin_username: nullableString,
  account_id: nullableString,
  label: nullableString,
  created_at: z.string(),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
  external_trigger_token: nullableString,
  type: nullableString,
  integration_id: nullableString,
  connector_profile_id: nullableString,
  latest_connection_attempt: z.nullish(connectionAttemptWire),
});

/**
 * Top-level fields of `ConnectSessionTokenAuthLink`, in the order cst prints them: the inbound
 * schema's, then the token and its link. The one source of --field's choices and of the output.
 */
export const SESSION_TOKEN_FIELDS: readonly string[] = [
  ...Object.keys(connectSessionWire.shape),
  'token',
  'auth_link_url',
];

/** Fields a session may carry that no spec in cst names: passed through to --json and -o yaml. */
const KNOWN_SESSION_FIELDS = new Set<string>(SESSION_TOKEN_FIELDS);

function toSession(wire: z.output<typeof connectSessionWire>) {
  return {
    id: wire.id,
    organizationId: wire.organization_id,
    projectId: wire.project_id,
    categories: wire.categories ?? null,
    provider: wire.provider ?? null,
    originOwnerId: wire.origin_owner_id,
    originOwnerName: wire.origin_owner_name,
    originUsername: wire.origin_username ?? null,
    accountId: wire.account_id ?? null,
    label: wire.label ?? null,
    createdAt: wire.created_at,
    metadata: wire.metadata ?? null,
    externalTriggerToken: wire.external_trigger_token ?? null,
    type: wire.type ?? null,
    integrationId: wire.integration_id ?? null,
    connectorProfileId: wire.connector_profile_id ?? null,
    latestConnectionAttempt: wire.latest_connection_attempt ?? null,
    /** Fields newer than cst, as the server sent them. */
    unknownFields: Object.fromEntries(
      Object.entries(wire).filter(([key]) => !KNOWN_SESSION_FIELDS.has(key)),
    ),
  };
}

/** `ConnectSession`: what /connect_sessions/authenticate returns. */
export const connectSessionSchema = z.pipe(connectSessionWire, z.transform(toSession));
export type ConnectSession = z.output<typeof connectSessionSchema>;

/**
 * `ConnectSessionTokenAuthLink`: what POST /connect_sessions returns. auth_link_url is optional
 * so the older `ConnectSessionToken` shape, which lacked it, still validates.
 */
export const connectSessionTokenSchema = z.pipe(
  z.extend(connectSessionWire, { token: z.string(), auth_link_url: z.optional(z.string()) }),
  z.transform(
    (
      wire: z.output<typeof connectSessionWire> & {
        token: string;
        auth_link_url?: string | undefined;
      },
    ) => ({
      ...toSession(wire),
      token: wire.token,
      authLinkUrl: wire.auth_link_url ?? null,
    }),
  ),
);
export type ConnectSessionToken = z.output<typeof connectSessionTokenSchema>;

/** A session back in the API's own snake_case field names, for --json and --field. */
export function sessionToWire(
  session: ConnectSession | ConnectSessionToken,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: session.id,
    organization_id: session.organizationId,
    project_id: session.projectId,
    categories: session.categories,
    provider: session.provider,
    origin_owner_id: session.originOwnerId,
    origin_owner_name: session.originOwnerName,
    origin_username: session.originUsername,
    account_id: session.accountId,
    label: session.label,
    created_at: session.createdAt,
    metadata: session.metadata,
    external_trigger_token: session.externalTriggerToken,
    type: session.type,
    integration_id: session.integrationId,
    connector_profile_id: session.connectorProfileId,
    latest_connection_attempt: session.latestConnectionAttempt,
    ...session.unknownFields,
  };
  if ('token' in session) {
    wire.token = session.token;
    wire.auth_link_url = session.authLinkUrl;
  }
  return wire;
}

/** The spec's error body; every field optional here because proxies answer with anything. */
export const errorBodySchema = z.object({
  statusCode: z.optional(z.number()),
  message: z.optional(z.union([z.string(), z.array(z.string())])),
  timestamp: z.optional(z.string()),
});
