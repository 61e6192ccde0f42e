// The sandbox's linked accounts: GET /accounts with the spec's filters and 1-based paging,
// GET, PATCH and DELETE /accounts/{id}, GET /accounts/{id}/meta. Each key sees only the
// accounts of its own project.
import { randomBytes } from 'node:crypto';
import { profileIds } from './connector-profiles.js';
import { HttpError, positiveParam } from './http.js';
import type {
  SandboxAccount,
  SandboxProject,
  SandboxSession,
  SandboxState,
  SandboxStore,
} from './state.js';

type Handler = (
  project: SandboxProject,
  query: URLSearchParams,
  body: unknown,
) => Promise<[number, unknown]>;

const PATCHABLE = [
  'provider',
  'origin_owner_id',
  'origin_owner_name',
  'origin_username',
  'label',
  'type',
  'integration_id',
  'connector_profile_id',
  'shared',
];

export function accountRoutes(store: SandboxStore, now: () => Date) {
  const list: Handler = async (project, query) => {
    const page = positiveParam(query.get('page') ?? '1', 'page');
    const pageSize = positiveParam(query.get('page_size') ?? '25', 'page_size');
    const wanted = (single: string, many: string) => [
      ...query.getAll(single),
      ...query.getAll(many),
    ];
    const providers = wanted('provider', 'providers');
    const owners = wanted('origin_owner_id', 'origin_owner_ids');
    const ids = query.getAll('account_ids');
    const statuses = query.getAll('status');
    const matching = (await store.read()).accounts
      .filter((a) => a.projectId === project.id)
      .map((a) => a.account)
      .filter(
        (a) =>
          (providers.length === 0 || providers.includes(a.provider)) &&
          (owners.length === 0 || owners.includes(a.origin_owner_id)) &&
          (ids.length === 0 || ids.includes(a.id)) &&
          (statuses.length === 0 || statuses.includes(a.status)),
      );
    return [200, matching.slice((page - 1) * pageSize, page * pageSize)];
  };

  const find = async (project: SandboxProject, id: string) => {
    const found = (await store.read()).accounts.find(
      (a) => a.projectId === project.id && a.account.id === id,
    );
    if (!found) throw new HttpError(404, `Account ${id} not found`);
    return found;
  };

  const get =
    (id: string): Handler =>
    async (project) => [200, (await find(project, id)).account];

  const meta =
    (id: string): Handler =>
    async (project) => {
      const { account, category } = await find(project, id);
      return [200, { provider: account.provider, category, models: {} }];
    };

  const patch =
    (id: string): Handler =>
    async (project, _query, body) => {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new HttpError(400, 'body must be a JSON object');
      const changes = Object.entries(body as Record<string, unknown>).filter(([key]) =>
        PATCHABLE.includes(key),
      );
      const wrong = changes.find(
        ([key, value]) =>
          value !== null && typeof value !== (key === 'shared' ? 'boolean' : 'string'),
      );
      if (wrong)
        throw new HttpError(
          400,
          `${wrong[0]} must be a ${wrong[0] === 'shared' ? 'boolean' : 'string'}`,
        );
      const profile = changes.find(([key]) => key === 'connector_profile_id')?.[1];
      if (typeof profile === 'string' && !profileIds(project).includes(profile))
        throw new HttpError(
          400,
          `connector_profile_id ${profile} is not a connector profile of this project`,
        );
      await find(project, id);
      const updated = await store.update((state) => {
        const entry = state.accounts.find(
          (a) => a.projectId === project.id && a.account.id === id,
        )!;
        entry.account = {
          ...entry.account,
          ...Object.fromEntries(changes),
          updated_at: now().toISOString(),
        };
        return entry.account;
      });
      return [200, updated];
    };

  const remove =
    (id: string): Handler =>
    async (project) => {
      await find(project, id);
      const removed = await store.update((state) => {
        const index = state.accounts.findIndex(
          (a) => a.projectId === project.id && a.account.id === id,
        );
        return state.accounts.splice(index, 1)[0]!.account;
      });
      return [200, removed];
    };

  return {
    match(method: string, path: string): Handler | undefined {
      if (method === 'GET' && path === '/accounts') return list;
      const match = /^\/accounts\/([^/]+)(\/meta)?$/.exec(path);
      if (!match?.[1]) return undefined;
      const id = decodeURIComponent(match[1]);
      if (match[2]) return method === 'GET' ? meta(id) : undefined;
      return method === 'GET'
        ? get(id)
        : method === 'PATCH'
          ? patch(id)
          : method === 'DELETE'
            ? remove(id)
            : undefined;
    },
  };
}

/** The customer finishing the Hub: the session's owner and label become a linked account. */
export function linkAccount(
  state: SandboxState,
  session: SandboxSession,
  provider: string,
  now: Date,
): SandboxAccount['account'] {
  const fields = session.fields as {
    origin_owner_id: string;
    origin_owner_name: string;
    origin_username?: string;
    label?: string;
    type?: string;
    categories?: string[];
    connector_profile_id?: string;
  };
  const at = now.toISOString();
  const account: SandboxAccount['account'] = {
    id: `acc_${randomBytes(8).toString('hex')}`,
    provider,
    provider_name: provider,
    status: 'active',
    status_reasons: [],
    origin_owner_id: fields.origin_owner_id,
    origin_owner_name: fields.origin_owner_name,
    origin_username: fields.origin_username ?? null,
    // Stand-ins for the provider secrets a real account holds, so redaction is exercised.
    credentials: { api_key: `sandbox_provider_secret_${randomBytes(8).toString('hex')}` },
    setup_information: { subdomain: fields.origin_owner_id },
    label: fields.label ?? null,
    categories: fields.categories ?? ['hris'],
    shared: false,
    connector_profile_id: fields.connector_profile_id ?? null,
    created_at: at,
    updated_at: at,
    type: fields.type ?? 'production',
  };
  state.accounts.push({
    projectId: session.projectId,
    category: fields.categories?.[0] ?? 'hris',
    account,
  });
  return account;
}
