// The config file: organizations, each with projects; a project says where its key comes from.
// Hand-written files must work, so every mistake is reported with its place in the file.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

const projectSchema = z.strictObject({
  /** The StackOne project id the key is expected to belong to. */
  id: z.string().optional(),
  base_url: z.string().optional(),
  key_env: z.string().min(1).optional(),
  key_file: z.string().min(1).optional(),
});

const organizationSchema = z.strictObject({
  /** The StackOne organization id the project keys are expected to belong to. */
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  projects: z.record(z.string(), projectSchema),
});

export const configSchema = z.strictObject({
  default: z.strictObject({ org: z.string(), project: z.string() }).optional(),
  organizations: z.record(z.string(), organizationSchema).default({}),
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
          : (issue?.message ?? 'invalid');
    throw new ConfigError(`${path}: ${where}: ${what}`, 'config', {
      hint: 'see "Configuration" in the README',
    });
  }
  return result.data;
}
