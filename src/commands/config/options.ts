// Raw config flags → typed options, one shape per verb.
import { UsageError } from '../../errors.js';
import {
  type OutputFlags,
  type OutputOptions,
  parseOutputFlags,
  RECORD_FORMATS,
} from '../../output/format.js';

export interface ConfigFlags extends OutputFlags {
  org?: string;
  orgId?: string;
  project?: string;
  projectId?: string;
  baseUrl?: string;
  apiKeyStdin?: boolean;
  keyEnv?: string;
  keyFile?: string;
  storage?: string;
  default?: boolean;
  yes?: boolean;
  force?: boolean;
}

/** Where `config add` finds the key; `prompt` asks for it, hidden (terminal only). */
export type KeyInput =
  | { kind: 'stdin' }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string }
  | { kind: 'prompt' };

export interface ConfigAddOptions {
  /** Asked for on a terminal when absent. */
  org: string | undefined;
  project: string | undefined;
  orgId: string | undefined;
  projectId: string | undefined;
  baseUrl: string | undefined;
  key: KeyInput;
  /** Where a key read now is kept; undefined: the keyring, else a file. */
  storage: 'keyring' | 'file' | undefined;
  makeDefault: boolean;
  force: boolean;
}

export interface ConfigListOptions {
  output: OutputOptions;
}

export interface ConfigRemoveOptions {
  org: string;
  /** Undefined: the whole organization. */
  project: string | undefined;
  yes: boolean;
}

export interface ConfigUseOptions {
  org: string;
  /** Undefined: the organization's only project. */
  project: string | undefined;
}

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

export function parseConfigAddOptions(flags: ConfigFlags): ConfigAddOptions {
  const given: KeyInput[] = [
    ...(flags.apiKeyStdin ? [{ kind: 'stdin' as const }] : []),
    ...(flags.keyEnv === undefined ? [] : [{ kind: 'env' as const, name: flags.keyEnv }]),
    ...(flags.keyFile === undefined ? [] : [{ kind: 'file' as const, path: flags.keyFile }]),
  ];
  if (given.length > 1) {
    const names = { stdin: '--api-key-stdin', env: '--key-env', file: '--key-file' } as const;
    throw new UsageError(
      `give the key one way: ${given.map((k) => names[k.kind as keyof typeof names]).join(', ')} are exclusive`,
    );
  }
  if (flags.org !== undefined) checkName('--org', flags.org);
  if (flags.project !== undefined) checkName('--project', flags.project);
  if (flags.baseUrl !== undefined && !/^https?:\/\//.test(flags.baseUrl))
    throw new UsageError(`--base-url: "${flags.baseUrl}" is not an http(s) URL`);
  if (flags.keyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(flags.keyEnv))
    throw new UsageError(`--key-env: "${flags.keyEnv}" is not an environment variable name`);
  const storage = flags.storage;
  if (storage !== undefined && storage !== 'keyring' && storage !== 'file')
    throw new UsageError(`--storage: "${storage}" is not keyring or file`);
  return {
    org: flags.org,
    project: flags.project,
    orgId: flags.orgId,
    projectId: flags.projectId,
    baseUrl: flags.baseUrl,
    key: given[0] ?? { kind: 'prompt' },
    storage,
    makeDefault: flags.default === true,
    force: flags.force === true,
  };
}

export function parseConfigListOptions(flags: ConfigFlags): ConfigListOptions {
  return {
    output: parseOutputFlags(flags, CONFIG_FIELDS, RECORD_FORMATS, 'one value per project'),
  };
}

export function parseConfigRemoveOptions(
  org: string,
  project: string | undefined,
  flags: ConfigFlags,
): ConfigRemoveOptions {
  return { org, project, yes: flags.yes === true };
}

export function parseConfigUseOptions(org: string, project: string | undefined): ConfigUseOptions {
  return { org, project };
}

/** Names become file names (a key file): no path separators, no "..", nothing hidden. */
export function checkName(flag: string, name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    throw new UsageError(
      `${flag}: "${name}" is not a valid name: up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit`,
    );
}
