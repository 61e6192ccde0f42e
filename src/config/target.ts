// Resolves which StackOne project a command talks to, and with which key and base URL.
import { readFile } from 'node:fs/promises';
import { DEFAULT_BASE_URL } from '../api/constants.js';
import { parseBaseUrl } from '../api/base-url.js';
import { envValue, type Context } from '../core/context.js';
import { ConfigError, ioReason, UsageError } from '../core/errors.js';
import type { TargetFlags } from '../options/target.js';
import { type Catalog, label, pickProject, selectProject } from './catalog.js';
import { type ConfigFile, loadConfig, type ProjectConfig } from './config-file.js';
import { configDir, configFile, expandPath, stateDir } from './paths.js';
import { warnIfShared, warnIfUnsafeDir } from './permissions.js';

export interface Target {
  kind: 'sandbox' | 'project' | 'env';
  org: string | null;
  project: string | null;
  expectedOrganizationId: string | undefined;
  expectedProjectId: string | undefined;
  baseUrl: string;
  apiKey: string;
  /** Where the key came from, for messages (never the key): "CST_API_KEY", "the OS keyring". */
  keySource: string;
  /** Stops the in-process sandbox, if one was started. */
  close: () => Promise<void>;
}

export interface ResolveOptions {
  /** false: never ask which project, even on a terminal (a check reports what would be chosen). */
  prompt?: boolean;
  /** What selected the project, for messages: `--org/--project` unless a bulk row did. */
  subject?: string;
}

const noop = () => Promise.resolve();

export async function resolveTarget(
  ctx: Context,
  flags: TargetFlags,
  options: ResolveOptions = {},
): Promise<Target> {
  warnIfUnsafeDir(ctx, configDir(ctx.env));
  warnIfUnsafeDir(ctx, stateDir(ctx.env));
  const prompt = options.prompt ?? true;
  if (flags.env) {
    const fromEnv = envTarget(ctx);
    if (!fromEnv)
      throw new ConfigError('CST_API_KEY is not set', 'no_credentials', {
        hint: 'the session was issued with CST_API_KEY and no project: export it again',
      });
    return fromEnv;
  }
  return flags.sandbox
    ? sandboxTarget(ctx, flags, prompt)
    : configuredTarget(ctx, flags, prompt, options.subject ?? '--org/--project');
}

async function configuredTarget(
  ctx: Context,
  flags: TargetFlags,
  prompt: boolean,
  subject: string,
): Promise<Target> {
  const path = configFile(ctx.env);
  const config = await loadConfig(path);
  await warnIfShared(ctx, path);
  const catalog = configCatalog(config, path);
  const envKey = envValue(ctx.env, 'CST_API_KEY');
  const envBaseUrl = envValue(ctx.env, 'CST_BASE_URL');

  let selected = catalog.projects.length > 0 ? selectProject(ctx, catalog, flags) : undefined;
  if (!selected) {
    if (flags.org !== undefined || flags.project !== undefined) {
      if (catalog.projects.length === 0) {
        throw new UsageError(`${subject}: no projects are configured in ${path}`, {
          hint: 'add the project to the config, or drop --org/--project to use CST_API_KEY',
        });
      }
    } else {
      const fromEnv = envTarget(ctx);
      if (fromEnv) return fromEnv;
    }
    if (catalog.projects.length === 0) {
      throw new ConfigError(
        'no API key: no project is configured and CST_API_KEY is not set',
        'no_credentials',
        {
          hint: "add a project with 'cst config add --org <org> --project <project> --api-key-stdin', or export CST_API_KEY; to try cst without a key, add --sandbox",
        },
      );
    }
    selected = await pickProject(ctx, catalog, flags, prompt);
  }

  const org = config.organizations[selected.org]!;
  const project = org.projects[selected.project]!;
  const { key: apiKey, source: keySource } = await projectKey(ctx, project, label(selected));
  const baseUrl = project.base_url ?? DEFAULT_BASE_URL;
  parseBaseUrl(baseUrl, `the config of project ${label(selected)}`);
  if (envKey !== undefined && envKey !== apiKey) {
    throw new UsageError(
      `CST_API_KEY disagrees with the key of the selected project ${label(selected)}`,
      {
        hint: 'unset CST_API_KEY, or select no project to use it',
      },
    );
  }
  if (envBaseUrl !== undefined && envBaseUrl !== baseUrl) {
    throw new UsageError(
      `CST_BASE_URL disagrees with the base URL of the selected project ${label(selected)}`,
      {
        hint: 'unset CST_BASE_URL, or set base_url in the config',
      },
    );
  }
  return {
    kind: 'project',
    org: selected.org,
    project: selected.project,
    expectedOrganizationId: org.id,
    expectedProjectId: project.id,
    baseUrl,
    apiKey,
    keySource,
    close: noop,
  };
}

/** CST_API_KEY and CST_BASE_URL, for scripts and CI with no project selected. */
function envTarget(ctx: Context): Target | undefined {
  const apiKey = envValue(ctx.env, 'CST_API_KEY');
  if (apiKey === undefined) return undefined;
  const baseUrl = envValue(ctx.env, 'CST_BASE_URL') ?? DEFAULT_BASE_URL;
  parseBaseUrl(baseUrl, 'CST_BASE_URL');
  return {
    kind: 'env',
    org: null,
    project: null,
    expectedOrganizationId: undefined,
    expectedProjectId: undefined,
    baseUrl,
    apiKey,
    keySource: 'CST_API_KEY',
    close: noop,
  };
}

function configCatalog(config: ConfigFile, path: string): Catalog {
  const projects = Object.entries(config.organizations).flatMap(([org, entry]) =>
    Object.keys(entry.projects).map((project) => ({ org, project })),
  );
  if (
    config.default &&
    !projects.some((p) => p.org === config.default?.org && p.project === config.default.project)
  ) {
    throw new ConfigError(
      `${path}: default names ${config.default.org}/${config.default.project}, which is not configured`,
    );
  }
  return { projects, default: config.default, source: path };
}

async function projectKey(
  ctx: Context,
  project: ProjectConfig,
  name: string,
): Promise<{ key: string; source: string }> {
  const hint =
    'set key_env or key_file for the project (see "Configuration" in the README), or use --sandbox';
  if (project.key_env !== undefined) {
    const key = envValue(ctx.env, project.key_env);
    if (key === undefined)
      throw new ConfigError(
        `project ${name} reads its key from $${project.key_env}, which is not set`,
        'no_credentials',
        { hint: `export ${project.key_env}=<the project's API key>, or use --sandbox to try cst` },
      );
    return { key, source: `$${project.key_env} (key_env of project ${name})` };
  }
  if (project.key_store === 'keyring') {
    const { keyringGet } = await import('./keyring.js');
    let key: string | null;
    try {
      key = await keyringGet(name);
    } catch (error) {
      ctx.debug(`keyring: ${(error as Error).message}`);
      throw new ConfigError(
        `the key of project ${name} is in the OS keyring, which is not reachable`,
        'no_credentials',
        {
          hint: `add the project again with --storage file, or export CST_API_KEY ('cst doctor --verbose' says why)`,
        },
      );
    }
    if (key === null)
      throw new ConfigError(`the OS keyring holds no key for project ${name}`, 'no_credentials', {
        hint: `cst config add --org ${name.split('/')[0]} --project ${name.split('/')[1]} --api-key-stdin`,
      });
    return { key, source: `the OS keyring (project ${name})` };
  }
  if (project.key_file !== undefined) {
    const path = expandPath(project.key_file, ctx.env);
    await warnIfShared(ctx, path);
    let key: string;
    try {
      key = (await readFile(path, 'utf8')).trim();
    } catch (error) {
      throw new ConfigError(
        `cannot read the key file of project ${name}: ${path}: ${ioReason(error)}`,
        'no_credentials',
        { hint },
      );
    }
    if (key === '')
      throw new ConfigError(`the key file of project ${name} is empty: ${path}`, 'no_credentials', {
        hint,
      });
    return { key, source: `the key file ${path} (project ${name})` };
  }
  throw new ConfigError(`project ${name} has no key`, 'no_credentials', { hint });
}

async function sandboxTarget(ctx: Context, flags: TargetFlags, prompt: boolean): Promise<Target> {
  const { startSandbox } = await import('../sandbox/server.js');
  const sandbox = await startSandbox({ stateDir: stateDir(ctx.env), now: () => ctx.now() });
  try {
    const state = await sandbox.store.read();
    const projects = state.organizations.flatMap((org) =>
      org.projects.map((p) => ({ org: org.name, project: p.name })),
    );
    const defaultOrg = state.organizations.find((org) => org.projects.some((p) => p.default));
    const defaultProject = defaultOrg?.projects.find((p) => p.default);
    const catalog: Catalog = {
      projects,
      default:
        defaultOrg && defaultProject
          ? { org: defaultOrg.name, project: defaultProject.name }
          : undefined,
      source: 'the sandbox',
    };
    const selected = await pickProject(ctx, catalog, flags, prompt);
    const org = state.organizations.find((o) => o.name === selected.org)!;
    const project = org.projects.find((p) => p.name === selected.project)!;
    return {
      kind: 'sandbox',
      org: org.name,
      project: project.name,
      expectedOrganizationId: org.id,
      expectedProjectId: project.id,
      baseUrl: sandbox.baseUrl,
      apiKey: project.apiKey,
      keySource: `the sandbox's project ${org.name}/${project.name}`,
      close: () => sandbox.close(),
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
