// The sandbox's connector profiles (StackOne since 2026-06): a few per project, the same on every
// machine, enabled and disabled, for the categories the sandbox's Hub offers; GET
// /connector_profiles with its filters and pages, the versions of each, and the pinned version
// (kept in the sandbox state). Each key sees only its own project's profiles.
import { HttpError, positiveParam } from './http.js';
import type { SandboxPin, SandboxProject, SandboxStore } from './state.js';

type Handler = (
  project: SandboxProject,
  query: URLSearchParams,
  body: unknown,
) => Promise<[number, unknown]>;

const SEEDED = [
  { key: 'bamboohr', label: 'BambooHR', categories: ['hris', 'hris-legacy'], active: true },
  { key: 'personio', label: 'Personio', categories: ['hris'], active: true },
  { key: 'workday', label: 'Workday', categories: ['hris', 'hris-legacy'], active: false },
  { key: 'greenhouse', label: 'Greenhouse', categories: ['ats'], active: true },
  { key: 'lever', label: 'Lever', categories: ['ats'], active: false },
];
const VERSIONS = ['1.0.0', '1.1.0', '2.0.0'];
const SEEDED_AT = '2026-06-01T00:00:00.000Z';
const MAX_PAGE_SIZE = 100;

/** A profile as GET /connector_profiles serves it, with its pin if it has one. */
function profile(project: SandboxProject, seed: (typeof SEEDED)[number], pin?: SandboxPin) {
  return {
    id: `cp_${project.id}_${seed.key}`,
    name: `${seed.label} (${project.name})`,
    connector_key: seed.key,
    connector_label: seed.label,
    categories: seed.categories,
    active: seed.active,
    default: seed.active,
    logo_url: `https://stackone-logos.com/api/${seed.key}/filled/png`,
    release_stage: 'ga',
    created_at: SEEDED_AT,
    updated_at: pin?.updated_at ?? SEEDED_AT,
    authentication_config_key: `${seed.key}_api_key`,
    authentication_config_label: 'API key',
    environment: 'production',
    connector_version: pin?.pinned_version ?? VERSIONS.at(-1)!,
    connector_pinned_version: pin?.pinned_version ?? null,
    connector_owner: 'stackone',
  };
}

/** The ids of a project's profiles. */
export function profileIds(project: SandboxProject): string[] {
  return SEEDED.map((seed) => `cp_${project.id}_${seed.key}`);
}

export function connectorProfileRoutes(store: SandboxStore, now: () => Date) {
  const pinOf = async (project: SandboxProject, id: string) =>
    ((await store.read()).pins ?? []).find(
      (pin) => pin.projectId === project.id && pin.connector_profile_id === id,
    );
  const find = (project: SandboxProject, id: string) => {
    const seed = SEEDED.find((s) => `cp_${project.id}_${s.key}` === id);
    if (!seed) throw new HttpError(404, `Connector profile ${id} not found`);
    return seed;
  };

  const list: Handler = async (project, query) => {
    const page = positiveParam(query.get('page') ?? '1', 'page');
    const pageSize = positiveParam(query.get('page_size') ?? '25', 'page_size');
    if (pageSize > MAX_PAGE_SIZE)
      throw new HttpError(400, `page_size must not be greater than ${MAX_PAGE_SIZE}`);
    const enabled = query.get('enabled');
    if (enabled !== null && enabled !== 'true' && enabled !== 'false')
      throw new HttpError(400, 'enabled must be a boolean value');
    const key = query.get('connector_key');
    const pins = (await store.read()).pins ?? [];
    const matching = SEEDED.filter(
      (seed) =>
        (key === null || seed.key === key) &&
        (enabled === null || seed.active === (enabled === 'true')),
    ).map((seed) =>
      profile(
        project,
        seed,
        pins.find(
          (pin) =>
            pin.projectId === project.id &&
            pin.connector_profile_id === `cp_${project.id}_${seed.key}`,
        ),
      ),
    );
    return [
      200,
      {
        data: matching.slice((page - 1) * pageSize, page * pageSize),
        page,
        page_size: pageSize,
        total: matching.length,
      },
    ];
  };

  const versions =
    (id: string): Handler =>
    async (project) => {
      find(project, id);
      const pin = await pinOf(project, id);
      return [
        200,
        VERSIONS.map((version) => ({
          version,
          owner: 'stackone',
          builtin: true,
          pinned: pin?.pinned_version === version,
        })),
      ];
    };

  const pinned =
    (id: string): Handler =>
    async (project) => {
      find(project, id);
      const pin = await pinOf(project, id);
      if (!pin) throw new HttpError(404, `Connector profile ${id} has no pinned version`);
      return [200, served(pin)];
    };

  const pin =
    (id: string): Handler =>
    async (project, _query, body) => {
      find(project, id);
      const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
        string,
        unknown
      >;
      if (typeof fields.pinned_version !== 'string' || fields.pinned_version === '')
        throw new HttpError(400, 'pinned_version must be a non-empty string');
      if (fields.owner !== undefined && fields.owner !== null && typeof fields.owner !== 'string')
        throw new HttpError(400, 'owner must be a string');
      if (!VERSIONS.includes(fields.pinned_version))
        throw new HttpError(
          422,
          `version ${fields.pinned_version} does not exist; versions: ${VERSIONS.join(', ')}`,
        );
      const at = now().toISOString();
      const saved = await store.update((state) => {
        state.pins ??= [];
        const existing = state.pins.find(
          (p) => p.projectId === project.id && p.connector_profile_id === id,
        );
        const next: SandboxPin = {
          projectId: project.id,
          connector_profile_id: id,
          pinned_version: fields.pinned_version as string,
          owner: typeof fields.owner === 'string' ? fields.owner : null,
          created_at: existing?.created_at ?? at,
          updated_at: at,
        };
        state.pins = [...state.pins.filter((p) => p !== existing), next];
        return next;
      });
      return [200, served(saved)];
    };

  const unpin =
    (id: string): Handler =>
    async (project) => {
      find(project, id);
      await store.update((state) => {
        state.pins = (state.pins ?? []).filter(
          (p) => !(p.projectId === project.id && p.connector_profile_id === id),
        );
      });
      return [204, undefined];
    };

  return {
    match(method: string, path: string): Handler | undefined {
      if (method === 'GET' && path === '/connector_profiles') return list;
      const match = /^\/connector_profiles\/([^/]+)\/(versions|pinned_version)$/.exec(path);
      if (!match?.[1]) return undefined;
      const id = decodeURIComponent(match[1]);
      if (match[2] === 'versions') return method === 'GET' ? versions(id) : undefined;
      return method === 'GET'
        ? pinned(id)
        : method === 'PUT'
          ? pin(id)
          : method === 'DELETE'
            ? unpin(id)
            : undefined;
    },
  };
}

function served({ projectId: _project, ...pin }: SandboxPin) {
  return pin;
}
