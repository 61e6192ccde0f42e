import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ConfigFile,
  loadConfig,
  type ProjectConfig,
  saveConfig,
} from '../../config/config-file.js';
import { configDir, configFile, expandPath } from '../../config/paths.js';
import { checkReadable } from '../../core/util/path-check.js';
import { confirmed } from '../../cmdutil/confirm.js';
import { writeFileAtomic } from '../../core/util/private-files.js';
import { canPrompt, envValue, type Context } from '../../core/context.js';
import { MissingFlagsError, UsageError } from '../../core/errors.js';
import { changed, note, warn } from '../../core/output/messages.js';
import { renderRows } from '../../core/output/rows.js';
import { mask } from '../../core/util/mask.js';
import { readSecretFromStdin } from '../../core/util/stdin.js';
import {
  checkName,
  type ConfigAddOptions,
  type ConfigListOptions,
  type ConfigRemoveOptions,
  type ConfigUseOptions,
} from './options.js';

export function runConfigPath(_options: unknown, ctx: Context): Promise<void> {
  ctx.stdout.write(`${configFile(ctx.env)}\n`);
  return Promise.resolve();
}

/** Adds or replaces a project: names, then the key, asked for on a terminal when not given. */
export async function runConfigAdd(options: ConfigAddOptions, ctx: Context): Promise<void> {
  const path = configFile(ctx.env);
  const config = await loadConfig(path);
  const interactive = canPrompt(ctx);
  const missing = [
    options.org === undefined && '--org',
    options.project === undefined && '--project',
    options.key.kind === 'prompt' && '--api-key-stdin, --key-env or --key-file',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (missing.length > 0 && !interactive) throw new MissingFlagsError(missing);
  const ask = async (question: string) => {
    const prompter = await ctx.prompter();
    const answer = (
      await prompter.input(question, (value) => (value.trim() === '' ? 'required' : true))
    ).trim();
    return answer;
  };
  const org = options.org ?? (await ask('Organization name'));
  const projectName = options.project ?? (await ask('Project name'));
  checkName('--org', org);
  checkName('--project', projectName);
  const name = `${org}/${projectName}`;
  const replaced = config.organizations[org]?.projects[projectName];
  if (replaced && !options.force) {
    if (!interactive)
      throw new UsageError(`${name} is already configured in ${path}`, {
        hint: 'add --force to replace it (the key cst stored for it goes too)',
      });
    const prompter = await ctx.prompter();
    if (!(await prompter.confirm(`${name} exists. Replace it, and the key cst stored for it?`))) {
      note(ctx, 'nothing changed');
      return;
    }
  }

  const project: ProjectConfig = {
    ...(options.projectId === undefined ? {} : { id: options.projectId }),
    ...(options.baseUrl === undefined ? {} : { base_url: options.baseUrl }),
  };
  const { key: input } = options;
  if (input.kind === 'env') project.key_env = input.name;
  else if (input.kind === 'file') {
    // Read at run time, from this path: a typo is best found now.
    checkReadable('--key-file', expandPath(input.path, ctx.env), input.path);
    project.key_file = input.path;
  } else {
    const key =
      input.kind === 'stdin'
        ? await readSecretFromStdin(ctx, '--api-key-stdin')
        : (await (await ctx.prompter()).password('API key (hidden)')).trim();
    if (key === '') throw new UsageError('the API key is empty');
    Object.assign(project, await storeKey(ctx, name, key, options.storage));
  }
  const organization = config.organizations[org] ?? { projects: {} };
  if (options.orgId !== undefined) organization.id = options.orgId;
  organization.projects[projectName] = project;
  config.organizations[org] = organization;
  if (options.makeDefault) config.default = { org, project: projectName };
  await saveConfig(path, config);
  // The key of the project replaced, unless the new key took its very place.
  if (replaced && !sameKeyPlace(replaced, project)) await forgetKey(ctx, name, replaced, config);
  changed(
    ctx,
    options.json,
    {
      saved: { organization: org, project: projectName, key_source: keySource(project) },
      replaced: replaced !== undefined,
      default: options.makeDefault,
      config: path,
    },
    `saved ${name} in ${path}${options.makeDefault ? ' (default)' : ''}`,
  );
}

/** The keyring where one answers; otherwise, or when asked, a 0600 file beside the config. */
async function storeKey(
  ctx: Context,
  name: string,
  key: string,
  storage: 'keyring' | 'file' | undefined,
): Promise<Partial<ProjectConfig>> {
  if (storage !== 'file') {
    const { keyringSet, KeyringUnavailable, KEYRING_UNREACHABLE } =
      await import('../../config/keyring.js');
    try {
      await keyringSet(name, key);
      return { key_store: 'keyring' };
    } catch (error) {
      if (!(error instanceof KeyringUnavailable)) throw error;
      ctx.debug(`keyring: ${error.message}`);
      if (storage === 'keyring')
        throw new UsageError(`--storage keyring: ${KEYRING_UNREACHABLE}`, {
          hint: "'cst doctor --verbose' says why; --storage file keeps the key in a 0600 file",
        });
      warn(ctx, `${KEYRING_UNREACHABLE}; keys are stored in 0600 files`);
    }
  }
  const file = join(configDir(ctx.env), 'keys', keyFileName(name));
  await writeFileAtomic(file, `${key}\n`);
  return { key_file: file };
}

/** Every configured project, keys masked. */
export async function runConfigList(options: ConfigListOptions, ctx: Context): Promise<void> {
  const config = await loadConfig(configFile(ctx.env));
  const rows: Record<string, string | boolean | null>[] = [];
  for (const [org, entry] of Object.entries(config.organizations)) {
    for (const [name, project] of Object.entries(entry.projects)) {
      rows.push({
        organization: org,
        project: name,
        default: config.default?.org === org && config.default.project === name,
        organization_id: entry.id ?? null,
        project_id: project.id ?? null,
        base_url: project.base_url ?? 'https://api.stackone.com',
        key_source: keySource(project),
        key: await maskedKey(ctx, `${org}/${name}`, project),
      });
    }
  }
  const text = (field: string) => (row: (typeof rows)[number]) =>
    row[field] === null ? '' : String(row[field]);
  await renderRows(
    ctx,
    {
      columns: [
        { header: 'ORGANIZATION', human: text('organization'), machine: text('organization') },
        { header: 'PROJECT', human: text('project'), machine: text('project') },
        {
          header: 'DEFAULT',
          human: (r) => (r.default ? 'yes' : ''),
          machine: text('default'),
          drop: 1,
        },
        { header: 'BASE URL', human: text('base_url'), machine: text('base_url'), drop: 3 },
        { header: 'KEY', human: text('key'), machine: text('key') },
        {
          header: 'KEY SOURCE',
          human: text('key_source'),
          machine: text('key_source'),
          drop: 2,
          shorten: true,
        },
      ],
      rows,
      json: (row) => row,
    },
    options.output,
  );
  if (rows.length === 0 && ctx.stderr.isTTY) note(ctx, 'no projects configured: cst config add');
}

/** Where a project's key is found, never the key: `env:NAME`, `file:PATH`, `keyring`, `none`. */
function keySource(project: ProjectConfig): string {
  if (project.key_env !== undefined) return `env:${project.key_env}`;
  if (project.key_file !== undefined) return `file:${project.key_file}`;
  return project.key_store === 'keyring' ? 'keyring' : 'none';
}

async function maskedKey(
  ctx: Context,
  name: string,
  project: ProjectConfig,
): Promise<string | null> {
  try {
    if (project.key_env !== undefined) {
      const key = envValue(ctx.env, project.key_env);
      return key === undefined ? '(not set)' : mask(key);
    }
    if (project.key_file !== undefined) {
      const { readFile } = await import('node:fs/promises');
      return mask((await readFile(expandPath(project.key_file, ctx.env), 'utf8')).trim());
    }
    if (project.key_store === 'keyring') {
      const { keyringGet } = await import('../../config/keyring.js');
      const key = await keyringGet(name);
      return key === null ? '(missing)' : mask(key);
    }
  } catch {
    return '(unreadable)';
  }
  return null;
}

/** Makes a project the default. */
export async function runConfigUse(options: ConfigUseOptions, ctx: Context): Promise<void> {
  const { org, project } = options;
  const path = configFile(ctx.env);
  const config = await loadConfig(path);
  const entry = config.organizations[org];
  if (!entry) throw new UsageError(`no organization "${org}" in ${path}`);
  const names = Object.keys(entry.projects);
  const chosen = project ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined)
    throw new MissingFlagsError(['project'], { hint: `${org} has ${names.join(', ')}` });
  if (!entry.projects[chosen])
    throw new UsageError(`no project "${chosen}" in organization "${org}"`, {
      hint: `known: ${names.join(', ')}`,
    });
  const previous = config.default;
  config.default = { org, project: chosen };
  await saveConfig(path, config);
  changed(
    ctx,
    options.json,
    {
      default: { organization: org, project: chosen },
      previous: previous ? { organization: previous.org, project: previous.project } : null,
    },
    `default project: ${org}/${chosen}`,
  );
}

/** Removes a project, or a whole organization, and the keys cst stored for them. */
export async function runConfigRemove(options: ConfigRemoveOptions, ctx: Context): Promise<void> {
  const { org, project } = options;
  const path = configFile(ctx.env);
  const config = await loadConfig(path);
  const entry = config.organizations[org];
  if (!entry || (project !== undefined && !entry.projects[project]))
    throw new UsageError(
      `no ${project === undefined ? `organization "${org}"` : `project "${org}/${project}"`} in ${path}`,
    );
  const names = project === undefined ? Object.keys(entry.projects) : [project];
  const listed = names.map((name) => `${org}/${name}`).join(', ');
  if (
    !(await confirmed(
      ctx,
      `Remove ${listed} from ${path}, and the key${names.length === 1 ? '' : 's'} cst stored?`,
      `removing ${listed}`,
      { yes: options.yes },
    ))
  )
    return;
  for (const name of names) {
    const removed = entry.projects[name]!;
    delete entry.projects[name];
    await forgetKey(ctx, `${org}/${name}`, removed, config);
  }
  if (Object.keys(entry.projects).length === 0) delete config.organizations[org];
  const current = config.default;
  const wasDefault =
    current !== undefined &&
    current.org === org &&
    (project === undefined || current.project === project);
  if (wasDefault) delete config.default;
  await saveConfig(path, config);
  changed(
    ctx,
    options.json,
    {
      removed: names.map((name) => ({ organization: org, project: name })),
      default_cleared: wasDefault,
    },
    `removed ${listed}`,
  );
}

function sameKeyPlace(a: ProjectConfig, b: ProjectConfig): boolean {
  return (
    (a.key_store === 'keyring' && b.key_store === 'keyring') ||
    (a.key_file !== undefined && a.key_file === b.key_file)
  );
}

/**
 * A key file's name under keys/, one per project: the pair spelled out, and a hash of it so that
 * names differing only in case stay apart on case-insensitive disks. Names cannot hold '+', so
 * no two pairs share a name (the old `org__project.key` let `a__b/c` and `a/b__c` collide).
 */
export function keyFileName(name: string): string {
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${name.replace('/', '+')}.${hash}.key`;
}

/**
 * Keys cst stored itself (keyring, or its keys/ folder) go with the project; others stay. So
 * does a key file another project still names, as two could under the old file names.
 */
async function forgetKey(
  ctx: Context,
  name: string,
  project: ProjectConfig,
  config: ConfigFile,
): Promise<void> {
  if (project.key_store === 'keyring') {
    const { keyringDelete } = await import('../../config/keyring.js');
    await keyringDelete(name).catch((error: unknown) =>
      warn(ctx, `the keyring entry for ${name} stays: ${(error as Error).message}`),
    );
    return;
  }
  const file = project.key_file;
  if (!file?.startsWith(join(configDir(ctx.env), 'keys'))) return;
  const sharer = Object.entries(config.organizations)
    .flatMap(([org, entry]) =>
      Object.entries(entry.projects).map(([p, v]) => [`${org}/${p}`, v] as const),
    )
    .find(([other, entry]) => other !== name && entry.key_file === file);
  if (sharer) note(ctx, `the key file ${file} stays: ${sharer[0]} uses it too`);
  else await rm(file, { force: true });
}
