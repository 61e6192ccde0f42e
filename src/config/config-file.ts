// The config file: organizations, each with projects; a project says where its key comes from.
// Hand-written files must work, so every mistake is reported with its place in the file.
import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { ConfigError } from '../core/errors.js';

const projectSchema = z.strictObject({
  /** The StackOne project id the key is expected to belong to. */
  id: z.optional(z.string()),
  base_url: z.optional(z.string()),
  key_env: z.optional(z.string().check(z.minLength(1))),
  key_file: z.optional(z.string().check(z.minLength(1))),
  /** "keyring": the key is in the OS keyring, under service "cst", account "<org>/<project>". */
  key_store: z.optional(z.literal('keyring')),
});

const organizationSchema = z.strictObject({
  /** The StackOne organization id the project keys are expected to belong to. */
  id: z.optional(
    z.pipe(
      z.union([z.string(), z.number()]),
      z.transform((id: string | number) => String(id)),
    ),
  ),
  projects: z.record(z.string(), projectSchema),
});

const configSchema = z.strictObject({
  default: z.optional(z.strictObject({ org: z.string(), project: z.string() })),
  /** The shared state store: its URL (a secret, like a key) in the named environment variable. */
  state: z.optional(z.strictObject({ url_env: z.string().check(z.minLength(1)) })),
  organizations: z._default(z.record(z.string(), organizationSchema), {}),
});

export type ConfigFile = z.output<typeof configSchema>;
export type ProjectConfig = z.output<typeof projectSchema>;

/** The parsed config, or an empty one when the file does not exist. */
export async function loadConfig(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { organizations: {} };
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = configSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    const what =
      issue?.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}`
        : issue?.code === 'invalid_type'
          ? `expected ${issue.expected}`
          : 'invalid value';
    throw new ConfigError(`${path}: ${where}: ${what}`, 'config', {
      hint: 'see "Configuration" in the README',
    });
  }
  return result.data;
}

/** Written atomically, 0600 in a 0700 directory. */
export async function saveConfig(path: string, config: ConfigFile): Promise<void> {
  const { writeFileAtomic } = await import('../core/util/private-files.js');
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
}
