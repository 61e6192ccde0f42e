// What `--field` takes, per command: any field the command's --json prints. Here, not in each
// command's options, so that `cst help fields` lists them without one command importing another.
import { linkedAccountMetaSchema, linkedAccountSchema } from '../api/accounts.js';
import {
  connectorProfileSchema,
  connectorVersionSchema,
  pinnedVersionSchema,
} from '../api/connector-profiles.js';
import { SESSION_TOKEN_FIELDS } from '../api/schemas.js';

/** What a create prints: the session, its token and link, and when it expires (cst's own). */
export const CREATE_FIELDS = [...SESSION_TOKEN_FIELDS, 'expires_at'];

/** A session as authenticate returns it: no token, no auth link. */
export const SESSION_FIELDS = SESSION_TOKEN_FIELDS.filter(
  (field) => field !== 'token' && field !== 'auth_link_url',
);

/** What `--field` can pick, and what --json prints. */
export const WAIT_FIELDS = [
  'status',
  'method',
  'session_id',
  'owner_id',
  'account_id',
  'provider',
  'account_status',
] as const;

/** What `--field` can pick: the fields of the inbound schemas of an account and of its meta. */
export const ACCOUNT_FIELDS: readonly string[] = Object.keys(linkedAccountSchema.shape);

export const META_FIELDS: readonly string[] = Object.keys(linkedAccountMetaSchema.shape);

/** What `--field` can pick from a connector profile, a version, a pin. */
export const PROFILE_FIELDS: readonly string[] = Object.keys(connectorProfileSchema.shape);
export const VERSION_FIELDS: readonly string[] = Object.keys(connectorVersionSchema.shape);
export const PIN_FIELDS: readonly string[] = Object.keys(pinnedVersionSchema.shape);

/** What `--field` can pick from a configured project. */
export const CONFIG_FIELDS = [
  'organization',
  'project',
  'default',
  'organization_id',
  'project_id',
  'base_url',
  'key_source',
  'key',
] as const;

/** What `--field` can pick from a journal. */
export const JOURNAL_FIELDS = [
  'id',
  'input',
  'target',
  'org',
  'project',
  'rows',
  'states',
  'last_run',
  'path',
] as const;
