// Linked accounts: wire schemas as the spec types them (open enums, nothing stricter, fields
// newer than cst kept as sent), and the paged GET /accounts walk that every command listing
// accounts shares.
import * as z from 'zod/mini';
import type { ApiClient } from './client.js';
import { InvalidResponseError } from '../core/errors.js';

const nullableString = z.nullish(z.string());

export const linkedAccountSchema = z.looseObject({
  id: z.string(),
  provider: z.string(),
  provider_name: nullableString,
  status: z.string(),
  status_reasons: z.nullish(
    z.array(z.object({ code: nullableString, description: nullableString, timestamp: z.string() })),
  ),
  origin_owner_id: z.string(),
  origin_owner_name: z.string(),
  origin_username: nullableString,
  credentials: z.nullish(z.record(z.string(), z.unknown())),
  setup_information: z.nullish(z.record(z.string(), z.unknown())),
  label: nullableString,
  created_at: z.string(),
  updated_at: z.string(),
  type: nullableString,
  shared: z.optional(z.nullable(z.boolean())),
  categories: z.nullish(z.array(z.string())),
  connector_profile_id: nullableString,
});
export type LinkedAccount = z.output<typeof linkedAccountSchema>;

/** The spec says a bare array; StackOne's docs also show a `{data: [...]}` envelope. */
const accountPageSchema = z.union([
  z.array(linkedAccountSchema),
  z.pipe(
    z.object({ data: z.array(linkedAccountSchema) }),
    z.transform((page: { data: LinkedAccount[] }) => page.data),
  ),
]);

export const linkedAccountMetaSchema = z.looseObject({
  provider: z.string(),
  category: z.string(),
  models: z.record(z.string(), z.unknown()),
});

export interface AccountFilters {
  providers?: string[] | undefined;
  originOwnerIds?: string[] | undefined;
  accountIds?: string[] | undefined;
  status?: string[] | undefined;
}

export interface PageOptions {
  pageSize: number;
  /** Stop after this many accounts. */
  limit: number;
  /** A server that keeps inventing new ids must not keep cst walking forever (CST_MAX_PAGES). */
  maxPages: number;
}

export const DEFAULT_MAX_PAGES = 1000;

/**
 * Walks 1-based pages until a short or empty page. Ids are de-duplicated, and a page that brings
 * nothing new ends the walk: a server that ignores `page` must not loop forever.
 */
export async function listAccounts(
  client: ApiClient,
  filters: AccountFilters,
  paging: PageOptions,
): Promise<LinkedAccount[]> {
  const seen = new Map<string, LinkedAccount>();
  for (let page = 1; seen.size < paging.limit; page++) {
    if (page > paging.maxPages) {
      throw new InvalidResponseError(
        `GET /accounts still had more after ${paging.maxPages} pages of ${paging.pageSize}; stopped`,
        {
          code: 'page_limit',
          hint: `set CST_MAX_PAGES to walk more than ${paging.maxPages} pages, or narrow the listing with filters`,
        },
      );
    }
    const accounts = await client.request({
      method: 'GET',
      path: '/accounts',
      query: {
        providers: filters.providers,
        origin_owner_ids: filters.originOwnerIds,
        account_ids: filters.accountIds,
        status: filters.status,
        page,
        page_size: paging.pageSize,
      },
      schema: accountPageSchema,
      retryAfterSend: true,
    });
    const fresh = accounts.filter((account) => !seen.has(account.id));
    for (const account of fresh) if (seen.size < paging.limit) seen.set(account.id, account);
    if (fresh.length === 0 || accounts.length < paging.pageSize) break;
  }
  return [...seen.values()];
}

const accountPath = (id: string) => `/accounts/${encodeURIComponent(id)}`;

export function getAccount(client: ApiClient, id: string): Promise<LinkedAccount> {
  return client.request({
    method: 'GET',
    path: accountPath(id),
    schema: linkedAccountSchema,
    retryAfterSend: true,
  });
}

export function getAccountMeta(
  client: ApiClient,
  id: string,
): Promise<z.output<typeof linkedAccountMetaSchema>> {
  return client.request({
    method: 'GET',
    path: `${accountPath(id)}/meta`,
    schema: linkedAccountMetaSchema,
    retryAfterSend: true,
  });
}

export function updateAccount(
  client: ApiClient,
  id: string,
  body: Record<string, unknown>,
): Promise<LinkedAccount> {
  return client.request({
    method: 'PATCH',
    path: accountPath(id),
    body,
    schema: linkedAccountSchema,
    retryAfterSend: true,
  });
}

export function deleteAccount(client: ApiClient, id: string): Promise<LinkedAccount> {
  return client.request({
    method: 'DELETE',
    path: accountPath(id),
    schema: linkedAccountSchema,
    retryAfterSend: false,
  });
}

/** credentials and setup_information can hold the provider's secrets. */
export function redactAccount(account: LinkedAccount, showCredentials: boolean): LinkedAccount {
  if (showCredentials) return account;
  const redact = (value: Record<string, unknown> | null | undefined) =>
    value === null || value === undefined
      ? value
      : Object.fromEntries(Object.keys(value).map((key) => [key, '[redacted]']));
  return {
    ...account,
    credentials: redact(account.credentials),
    setup_information: redact(account.setup_information),
  };
}
