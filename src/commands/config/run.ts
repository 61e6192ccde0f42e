import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ConfigFile,
  loadConfig,
  type ProjectConfig,
  saveConfig,
} from '../../config/config-file.js';
import { configDir, configFile, expandPath } from '../../config/paths.js';
import { checkReadable } from '../../util/path-check.js';
import { confirmed } from '../confirm.js';
import { writeFileAtomic } from '../../util/private-files.js';
import { canPrompt, envValue, type Context } from '../../context.js';
import { MissingFlagsError, UsageError } from '../../errors.js';
import { note, warn } from '../../output/messages.js';
import { parseOutputFlags, RECORD_FORMATS } from '../../output/format.js';
import { renderRows } from '../../output/rows.js';
import { readSecretFromStdin } from '../../util/stdin.js';
import type { ConfigFlags } from './config.js';

export async function runConfig(
  verb: 'add' | 'list' | 'remove' | 'use' | 'path',
  args: string[],
  flags: ConfigFlags,
  ctx: Context,
): Promise<void> {
  const path = configFile(ctx.env);
  if (verb === 'path') {
    ctx.stdout.write(`${path}\n`);
    return;
  }
  const config = await loadConfig(path);
  switch (verb) {
    case 'add':
      return add(ctx, path, config, flags);
    case 'list':
      return list(ctx, config, flags);
    case 'use':
      return use(ctx, path, config, args);
    case 'remove':
      return remove(ctx, path, config, args, flags);
  }
}

async function add(
  ctx: Context,
  path: string,
  config: ConfigFile,
  flags: ConfigFlags,
): Promise<void> {
  const sources = [
    flags.apiKeyStdin && '--api-key-stdin',
    flags.keyEnv !== undefined && '--key-env',
    flags.keyFile !== undefined && '--key-file',
  ].filter(Boolean);
  if (sources.length > 1)
    throw new UsageError(`give the key one way: ${sources.join(', ')} are exclusive`);
  const interactive = canPrompt(ctx);
  const missing = [
    flags.org === undefined && '--org',
    flags.project === undefined && '--project',
    sources.length === 0 && !interactive && '--api-key-stdin, --key-env or --key-file',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (missing.length > 0 && !interactive) throw new MissingFlagsError(missing);
  const prompter = interactive ? await ctx.prompter() : undefined;
  const required = (value: string) => (value.trim() === '' ? 'required' : true);
  const org = flags.org ?? (await prompter!.input('Organization name', required)).trim();
  const projectName = flags.project ?? (await prompter!.input('Project name', required)).trim();
  checkName('--org', org);
  checkName('--project', projectName);
  const name = `${org}/${projectName}`;
  if (flags.baseUrl !== undefined && !/^https?:\/\//.test(flags.baseUrl))
    throw new UsageError(`--base-url: "${flags.baseUrl}" is not an http(s) URL`);
  const replaced = config.organizations[org]?.projects[projectName];
  if (replaced && !flags.force) {
    if (!interactive)
      throw new UsageError(`${name} is already configured in ${path}`, {
        hint: 'add --force to replace it (the key cst stored for it goes too)',
      });
    if (!(await prompter!.confirm(`${name} exists. Replace it, and the key cst stored for it?`))) {
      note(ctx, 'nothing changed');
      return;
    }
  }

  const project: ProjectConfig = {
    ...(flags.projectId === undefined ? {} : { id: flags.projectId }),
    ...(flags.baseUrl === undefined ? {} : { base_url: flags.baseUrl }),
  };
  if (flags.keyEnv !== undefined) project.key_env = flags.keyEnv;
  else if (flags.keyFile !== undefined) {
    // Read at run time, from this path: a typo is best found now.
    checkReadable('--key-file', expandPath(flags.keyFile, ctx.env), flags.keyFile);
    project.key_file = flags.keyFile;
  } else {
    const key = flags.apiKeyStdin
      ? await readSecretFromStdin(ctx, '--api-key-stdin')
      : (await prompter!.password('API key (hidden)')).trim();
    if (key === '') throw new UsageError('the API key is empty');
    Object.assign(project, await storeKey(ctx, name, key, flags.storage));
  }
  const organization = config.organizations[org] ?? { projects: {} };
  if (flags.orgId !== undefined) organization.id = flags.orgId;
  organization.projects[projectName] = project;
  config.organizations[org] = organization;
  if (flags.default) config.default = { org, project: projectName };
  await saveConfig(path, config);
  // The key of the project replaced, unless the new key took its very place.
  if (replaced && !sameKeyPlace(replaced, project)) await forgetKey(ctx, name, replaced);
  note(ctx, `saved ${name} in ${path}${flags.default ? ' (default)' : ''}`);
}

/** The keyring where one answers; otherwise, or when asked, a 0600 file beside the config. */
async function storeKey(
  ctx: Context,
  name: string,
  key: string,
  storage: 'keyring' | 'file' | undefined,
): Promise<Partial<ProjectConfig>> {
  if (storage !== 'file') {
    const { keyringSet, KeyringUnavailable } = await import('../../config/keyring.js');
    try {
      await keyringSet(name, key);
      return { key_store: 'keyring' };
    } catch (error) {
      if (!(error instanceof KeyringUnavailable)) throw error;
      if (storage === 'keyring') throw new UsageError(`--storage keyring: ${error.message}`);
      warn(
        ctx,
        `no OS keyring is reachable (${error.message}); the key goes to a 0600 file instead`,
      );
    }
  }
  const file = join(configDir(ctx.env), 'keys', `${name.replace('/', '__')}.key`);
  await writeFileAtomic(file, `${key}\n`);
  return { key_file: file };
}

const LIST_FIELDS = [
  'organization',
  'project',
  'default',
  'organization_id',
  'project_id',
  'base_url',
  'key_source',
  'key',
];

async function list(ctx: Context, config: ConfigFile, flags: ConfigFlags): Promise<void> {
  const output = parseOutputFlags(flags, LIST_FIELDS, RECORD_FORMATS, 'one value per project');
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
        key_source:
          project.key_env !== undefined
            ? `env:${project.key_env}`
            : project.key_file !== undefined
              ? `file:${project.key_file}`
              : project.key_store === 'keyring'
                ? 'keyring'
                : 'none',
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
    output,
  );
  if (rows.length === 0 && ctx.stderr.isTTY) note(ctx, 'no projects configured: cst config add');
}

/** First 6 and last 4 characters: enough to tell keys apart, never enough to use one. */
export function mask(key: string): string {
  return key.length <= 12 ? '*'.repeat(key.length) : `${key.slice(0, 6)}…${key.slice(-4)}`;
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

async function use(
  ctx: Context,
  path: string,
  config: ConfigFile,
  [org, project]: string[],
): Promise<void> {
  const entry = config.organizations[org!];
  if (!entry) throw new UsageError(`no organization "${org}" in ${path}`);
  const names = Object.keys(entry.projects);
  const chosen = project ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined)
    throw new MissingFlagsError(['project'], { hint: `${org} has ${names.join(', ')}` });
  if (!entry.projects[chosen])
    throw new UsageError(`no project "${chosen}" in organization "${org}"`, {
      hint: `known: ${names.join(', ')}`,
    });
  config.default = { org: org!, project: chosen };
  await saveConfig(path, config);
  note(ctx, `default project: ${org}/${chosen}`);
}

async function remove(
  ctx: Context,
  path: string,
  config: ConfigFile,
  [org, project]: string[],
  flags: ConfigFlags,
): Promise<void> {
  const entry = config.organizations[org!];
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
      { yes: flags.yes },
    ))
  )
    return;
  for (const name of names) {
    await forgetKey(ctx, `${org}/${name}`, entry.projects[name]!);
    delete entry.projects[name];
  }
  if (Object.keys(entry.projects).length === 0) delete config.organizations[org!];
  const current = config.default;
  if (current && current.org === org && (project === undefined || current.project === project)) {
    delete config.default;
  }
  await saveConfig(path, config);
  note(ctx, `removed ${listed}`);
}

function sameKeyPlace(a: ProjectConfig, b: ProjectConfig): boolean {
  return (
    (a.key_store === 'keyring' && b.key_store === 'keyring') ||
    (a.key_file !== undefined && a.key_file === b.key_file)
  );
}

/** Keys cst stored itself (keyring, or its keys/ folder) go with the project; others stay. */
async function forgetKey(ctx: Context, name: string, project: ProjectConfig): Promise<void> {
  if (project.key_store === 'keyring') {
    const { keyringDelete } = await import('../../config/keyring.js');
    await keyringDelete(name).catch((error: unknown) =>
      warn(ctx, `the keyring entry for ${name} stays: ${(error as Error).message}`),
    );
  } else if (project.key_file?.startsWith(join(configDir(ctx.env), 'keys'))) {
    await rm(project.key_file, { force: true });
  }
}

/** Names become file names (a key file): no path separators, no "..", nothing hidden. */
function checkName(flag: string, name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    throw new UsageError(
      `${flag}: "${name}" is not a valid name: up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit`,
    );
}
