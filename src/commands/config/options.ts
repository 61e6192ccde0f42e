// Raw config flags → typed options, one shape per verb.
import { CONFIG_FIELDS } from '../../cmdutil/fields.js';
import * as z from 'zod/mini';
import { INSECURE_HINT, insecureBaseUrl } from '../../api/base-url.js';
import { UsageError } from '../../core/errors.js';
import { flagValue, parseFlags } from '../../options/parse.js';
import { type OutputOptions, RECORD_FORMATS } from '../../core/output/format.js';
import { type OutputFlags, parseOutputFlags } from '../../options/output.js';

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
  json?: boolean;
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
  /** Print what was saved as one JSON object on stdout. */
  json: boolean;
}

export interface ConfigListOptions {
  output: OutputOptions;
}

export interface ConfigRemoveOptions {
  org: string;
  /** Undefined: the whole organization. */
  project: string | undefined;
  yes: boolean;
  json: boolean;
}

export interface ConfigUseOptions {
  org: string;
  /** Undefined: the organization's only project. */
  project: string | undefined;
  json: boolean;
}

const matching = (pattern: RegExp, problem: string) =>
  flagValue(
    (text) => (pattern.test(text) ? text : undefined),
    (text) => `"${text}" ${problem}`,
  );

/** Names become file names (a key file): no path separators, no "..", nothing hidden. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_PROBLEM =
  "is not a valid name: up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit";

const addSchema = z.object({
  org: z.optional(matching(NAME, NAME_PROBLEM)),
  project: z.optional(matching(NAME, NAME_PROBLEM)),
  baseUrl: z.optional(
    flagValue(
      (text) => (URL.canParse(text) && /^https?:\/\//i.test(text) ? text : undefined),
      (text) => `"${text}" is not an http(s) URL`,
    ),
  ),
  keyEnv: z.optional(matching(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not an environment variable name')),
  storage: z.optional(
    flagValue(
      (text) => (text === 'keyring' || text === 'file' ? text : undefined),
      (text) => `"${text}" is not keyring or file`,
    ),
  ),
});

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
  const f = parseFlags(addSchema, flags);
  // Saved, it would make every later call fail: the rule the client applies, applied now.
  const insecure = f.baseUrl === undefined ? undefined : insecureBaseUrl(new URL(f.baseUrl));
  if (insecure !== undefined)
    throw new UsageError(`--base-url: ${insecure}`, { hint: INSECURE_HINT });
  return {
    org: f.org,
    project: f.project,
    orgId: flags.orgId,
    projectId: flags.projectId,
    baseUrl: f.baseUrl,
    key: given[0] ?? { kind: 'prompt' },
    storage: f.storage,
    makeDefault: flags.default === true,
    force: flags.force === true,
    json: flags.json === true,
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
  return { ...orgAndProject(org, project), yes: flags.yes === true, json: flags.json === true };
}

export function parseConfigUseOptions(
  org: string,
  project: string | undefined,
  flags: ConfigFlags,
): ConfigUseOptions {
  return { ...orgAndProject(org, project), json: flags.json === true };
}

/**
 * `acme prod`, or `acme/prod` as cst prints a project everywhere: names cannot hold '/', so the
 * one form reads as the other.
 */
function orgAndProject(
  org: string,
  project: string | undefined,
): { org: string; project: string | undefined } {
  const slash = org.indexOf('/');
  if (slash < 0) return { org, project };
  if (project !== undefined || org.indexOf('/', slash + 1) >= 0 || slash === 0)
    throw new UsageError(
      `"${org}${project === undefined ? '' : ` ${project}`}" is not org/project or org project`,
    );
  return { org: org.slice(0, slash), project: org.slice(slash + 1) || undefined };
}

/** A name asked for at a terminal, held to the rule the flags are. */
export function checkName(flag: string, name: string): void {
  if (!NAME.test(name)) throw new UsageError(`${flag}: "${name}" ${NAME_PROBLEM}`);
}
