// Connector profiles (StackOne since 2026-06): a project's configured connectors, the versions
// of each and the one pinned. Wire schemas as StackOne's 2026-06-01 SDK types them (open
// strings, fields newer than cst kept as sent), and the paged GET /connector_profiles walk.
import * as z from 'zod/mini';
import type { ApiClient } from './client.js';
import type { PageOptions } from './accounts.js';
import { InvalidResponseError } from '../core/errors.js';

const nullableString = z.nullish(z.string());

export const connectorProfileSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  connector_key: z.string(),
  connector_label: z.string(),
  categories: z.array(z.string()),
  active: z.boolean(),
  default: z.boolean(),
  logo_url: z.string(),
  release_stage: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  authentication_config_key: nullableString,
  authentication_config_label: nullableString,
  environment: nullableString,
  connector_version: nullableString,
  connector_pinned_version: nullableString,
  connector_owner: nullableString,
});
export type ConnectorProfile = z.output<typeof connectorProfileSchema>;

const profilePageSchema = z.looseObject({
  data: z.array(connectorProfileSchema),
  page: z.number(),
  page_size: z.number(),
  total: z.number(),
});

export const connectorVersionSchema = z.looseObject({
  version: z.string(),
  owner: nullableString,
  builtin: z.boolean(),
  pinned: z.boolean(),
});
export type ConnectorVersion = z.output<typeof connectorVersionSchema>;

export const pinnedVersionSchema = z.looseObject({
  connector_profile_id: z.string(),
  pinned_version: z.string(),
  owner: nullableString,
  created_at: z.string(),
  updated_at: z.string(),
});
export type PinnedVersion = z.output<typeof pinnedVersionSchema>;

interface ProfileFilters {
  connectorKey?: string | undefined;
  /** true: enabled only; false: disabled only. */
  enabled?: boolean | undefined;
}

/**
 * Walks the pages the answers' `total` promises, up to `limit` profiles. A page that brings
 * nothing new ends the walk, and `maxPages` caps it: a server whose total never comes must not
 * keep cst walking.
 */
export async function listConnectorProfiles(
  client: ApiClient,
  filters: ProfileFilters,
  paging: PageOptions,
): Promise<{ profiles: ConnectorProfile[]; total: number }> {
  const seen = new Map<string, ConnectorProfile>();
  let total = 0;
  for (let page = 1; seen.size < paging.limit; page++) {
    if (page > paging.maxPages)
      throw new InvalidResponseError(
        `GET /connector_profiles still had more after ${paging.maxPages} pages of ${paging.pageSize}; stopped`,
        {
          code: 'page_limit',
          hint: `set CST_MAX_PAGES to walk more than ${paging.maxPages} pages, or narrow the listing with --connector`,
        },
      );
    const answer = await client.request({
      method: 'GET',
      path: '/connector_profiles',
      query: {
        connector_key: filters.connectorKey,
        enabled: filters.enabled === undefined ? undefined : String(filters.enabled),
        page,
        page_size: paging.pageSize,
      },
      schema: profilePageSchema,
      retryAfterSend: true,
    });
    total = answer.total;
    const fresh = answer.data.filter((profile) => !seen.has(profile.id));
    for (const profile of fresh) if (seen.size < paging.limit) seen.set(profile.id, profile);
    if (fresh.length === 0 || page * paging.pageSize >= answer.total) break;
  }
  return { profiles: [...seen.values()], total: Math.max(total, seen.size) };
}

const profilePath = (id: string) => `/connector_profiles/${encodeURIComponent(id)}`;

export function listConnectorVersions(client: ApiClient, id: string): Promise<ConnectorVersion[]> {
  return client.request({
    method: 'GET',
    path: `${profilePath(id)}/versions`,
    schema: z.array(connectorVersionSchema),
    retryAfterSend: true,
  });
}

/** PUT pinned_version: the same body twice pins the same version, so a retry is harmless. */
export function pinConnectorVersion(
  client: ApiClient,
  id: string,
  body: { pinned_version: string; owner?: string | undefined },
): Promise<PinnedVersion> {
  return client.request({
    method: 'PUT',
    path: `${profilePath(id)}/pinned_version`,
    body,
    schema: pinnedVersionSchema,
    retryAfterSend: true,
  });
}

/** DELETE pinned_version: unpinning twice leaves it unpinned. */
export function unpinConnectorVersion(client: ApiClient, id: string): Promise<unknown> {
  return client.request({
    method: 'DELETE',
    path: `${profilePath(id)}/pinned_version`,
    schema: z.unknown(),
    retryAfterSend: true,
  });
}
