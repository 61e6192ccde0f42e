// One input row → one ConnectSessionCreate, by the same rules as a single create. Flags given
// on the command line are defaults for every row. API keys are never read from rows.
import { createHash } from 'node:crypto';
import { SESSION_TYPES } from '../api/constants.js';
import type { ConnectSessionCreate } from '../api/schemas.js';
import { categoryList, durationMs, expiresInProblem, jsonObject } from '../options/parse.js';
import type { Column } from './input.js';

export interface RowRequest {
  line: number;
  request: ConnectSessionCreate;
  org: string | undefined;
  project: string | undefined;
  rowKey: string | undefined;
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

export function rowRequest(
  line: number,
  values: Partial<Record<Column, unknown>>,
  defaults: Partial<ConnectSessionCreate>,
  target: { org?: string | undefined; project?: string | undefined },
): RowRequest | string {
  const text = (column: Column): string | undefined => {
    const value = values[column];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
    if (typeof value === 'number') return String(value);
    throw new RowError(`${column} must be text`);
  };
  try {
    const ownerId = text('owner_id') ?? defaults.originOwnerId;
    const ownerName = text('owner_name') ?? defaults.originOwnerName;
    const missing = [
      ownerId === undefined && 'owner_id',
      ownerName === undefined && 'owner_name',
    ].filter(Boolean);
    if (missing.length > 0) return `missing ${missing.join(' and ')}`;
    const request: ConnectSessionCreate = {
      ...defaults,
      originOwnerId: ownerId!,
      originOwnerName: ownerName!,
    };
    const categories = values.categories;
    if (categories !== undefined) {
      const lists = Array.isArray(categories)
        ? categories.map(String)
        : show(categories).split(/[;|]/);
      const parsed = categoryList.safeParse(lists);
      if (!parsed.success) return parsed.error.issues[0]?.message ?? 'invalid categories';
      request.categories = parsed.data;
    }
    for (const [column, field] of [
      ['provider', 'provider'],
      ['username', 'originUsername'],
      ['account_id', 'accountId'],
      ['label', 'label'],
      ['integration_id', 'integrationId'],
      ['connector_profile_id', 'connectorProfileId'],
    ] as const) {
      const value = text(column);
      if (value !== undefined) request[field] = value;
    }
    if (request.integrationId !== undefined && request.connectorProfileId !== undefined)
      return 'integration_id and connector_profile_id name the same thing: keep connector_profile_id';
    const expiresIn = values.expires_in;
    if (expiresIn !== undefined) {
      const parsed =
        typeof expiresIn === 'number'
          ? { success: true as const, data: expiresIn * 1000 }
          : durationMs.safeParse(show(expiresIn));
      if (!parsed.success) return `expires_in: "${show(expiresIn)}" is not a duration`;
      const problem = expiresInProblem(parsed.data);
      if (problem !== undefined) return `expires_in: "${show(expiresIn)}" ${problem}`;
      request.expiresIn = parsed.data / 1000;
    }
    const metadata = values.metadata;
    if (metadata !== undefined) {
      if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata))
        request.metadata = metadata as Record<string, unknown>;
      else {
        const parsed = jsonObject.safeParse(show(metadata));
        if (!parsed.success) return `metadata: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
        request.metadata = parsed.data;
      }
    }
    const multiple = values.multiple;
    if (multiple !== undefined) {
      const value =
        typeof multiple === 'boolean' ? multiple : BOOLEANS[show(multiple).trim().toLowerCase()];
      if (value === undefined) return `multiple: "${show(multiple)}" is not true/false/1/0/yes/no`;
      request.multiple = value;
    }
    const type = text('type');
    if (type !== undefined) {
      if (!(SESSION_TYPES as readonly string[]).includes(type))
        return `type: "${type}" is not one of ${SESSION_TYPES.join(', ')}`;
      request.type = type;
    }
    return {
      line,
      request,
      org: text('org') ?? target.org,
      project: text('project') ?? target.project,
      rowKey: text('row_key'),
    };
  } catch (error) {
    if (error instanceof RowError) return error.message;
    throw error;
  }
}

class RowError extends Error {}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A row's identity: its row_key, or what makes a session the same one (target, owner, provider,
 * categories; not expires_in). Hashed, so that the journal and memory stay small per row.
 */
export function rowIdentity(row: RowRequest, target: string): string {
  const categories = [...(row.request.categories ?? [])].sort().join(',');
  const identity =
    row.rowKey !== undefined
      ? ['key', target, row.rowKey]
      : [target, row.request.originOwnerId, row.request.provider ?? null, categories];
  return createHash('sha256').update(JSON.stringify(identity)).digest('base64url').slice(0, 22);
}
