// Level B: which project, key and base URL a command uses.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTarget, type Target } from '../../src/config/target.js';
import type { TargetFlags } from '../../src/options/target.js';
import type { Env } from '../../src/core/context.js';
import { CliError } from '../../src/core/errors.js';
import { testContext } from '../helpers/context.js';

const TWO_ORGS = {
  organizations: {
    acme: {
      id: '1001',
      projects: {
        prod: { id: 'p-acme-prod', key_env: 'ACME_PROD_KEY' },
        staging: { key_file: 'keys/acme-staging', base_url: 'https://eu.example.com' },
      },
    },
    globex: { projects: { prod: { key_env: 'GLOBEX_KEY' } } },
  },
};

async function setup(config: unknown, files: Record<string, string> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'cst-target-'));
  const configDir = join(root, 'config');
  await mkdir(join(configDir, 'keys'), { recursive: true });
  if (config !== undefined)
    await writeFile(
      join(configDir, 'config.json'),
      typeof config === 'string' ? config : JSON.stringify(config),
    );
  for (const [name, text] of Object.entries(files)) await writeFile(join(configDir, name), text);
  return {
    CST_CONFIG_DIR: configDir,
    CST_STATE_DIR: join(root, 'state'),
    ACME_PROD_KEY: 'k-acme-prod',
    GLOBEX_KEY: 'k-globex',
  };
}

async function resolve(env: Env, flags: TargetFlags = {}): Promise<Omit<Target, 'close'>> {
  const { ctx } = testContext({ env });
  const { close, ...target } = await resolveTarget(ctx, flags);
  await close();
  return target;
}

async function failure(
  env: Env,
  flags: TargetFlags = {},
): Promise<[number, string, string | undefined]> {
  const error = (await resolve(env, flags).catch((e: unknown) => e)) as CliError;
  expect(error).toBeInstanceOf(CliError);
  return [error.exitCode, error.message, error.hint];
}

describe('resolveTarget', () => {
  it('uses the flags first', async () => {
    const env = await setup({ ...TWO_ORGS, default: { org: 'globex', project: 'prod' } });
    expect(await resolve({ ...env, CST_ORG: 'globex' }, { org: 'acme', project: 'prod' })).toEqual({
      kind: 'project',
      org: 'acme',
      project: 'prod',
      expectedOrganizationId: '1001',
      expectedProjectId: 'p-acme-prod',
      baseUrl: 'https://api.stackone.com',
      apiKey: 'k-acme-prod',
      keySource: '$ACME_PROD_KEY (key_env of project acme/prod)',
    });
  });

  it('then CST_ORG/CST_PROJECT, then the default, then the only project of an org', async () => {
    const env = await setup(
      { ...TWO_ORGS, default: { org: 'globex', project: 'prod' } },
      { 'keys/acme-staging': 'k-staging\n' },
    );
    expect((await resolve({ ...env, CST_ORG: 'acme', CST_PROJECT: 'staging' })).apiKey).toBe(
      'k-staging',
    );
    expect((await resolve({ ...env, CST_ORG: '', CST_PROJECT: '' })).org).toBe('globex');
    expect((await resolve(env, { org: 'globex' })).project).toBe('prod');
  });

  it('uses the only project configured', async () => {
    const env = await setup({
      organizations: { solo: { projects: { main: { key_env: 'ACME_PROD_KEY' } } } },
    });
    expect((await resolve(env)).org).toBe('solo');
  });

  it('without a terminal, names --org/--project when nothing decides', async () => {
    const env = await setup(TWO_ORGS);
    expect(await failure(env)).toEqual([
      2,
      'missing required flags: --org, --project',
      `${env.CST_CONFIG_DIR}/config.json has acme/prod, acme/staging, globex/prod`,
    ]);
    expect((await failure(env, { org: 'acme' }))[1]).toBe('missing required flag: --project');
  });

  it('uses CST_API_KEY and CST_BASE_URL when no project is configured or selected', async () => {
    expect(
      await resolve({
        ...(await setup(undefined)),
        CST_API_KEY: 'k-env',
        CST_BASE_URL: 'http://127.0.0.1:9',
      }),
    ).toEqual({
      kind: 'env',
      org: null,
      project: null,
      expectedOrganizationId: undefined,
      expectedProjectId: undefined,
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k-env',
      keySource: 'CST_API_KEY',
    });
    expect((await resolve({ ...(await setup(TWO_ORGS)), CST_API_KEY: 'k-env' })).kind).toBe('env');
  });

  it('refuses a CST_API_KEY that disagrees with the selected project', async () => {
    const env = await setup(TWO_ORGS);
    expect(
      (await failure({ ...env, CST_API_KEY: 'other' }, { org: 'acme', project: 'prod' })).slice(
        0,
        2,
      ),
    ).toEqual([2, 'CST_API_KEY disagrees with the key of the selected project acme/prod']);
    expect(
      (await resolve({ ...env, CST_API_KEY: 'k-acme-prod' }, { org: 'acme', project: 'prod' }))
        .apiKey,
    ).toBe('k-acme-prod');
  });

  it('exits 3 with a hint when there is no key at all', async () => {
    const env = await setup(undefined);
    expect(await failure(env)).toEqual([
      3,
      'no API key: no project is configured and CST_API_KEY is not set',
      "add a project with 'cst config add --org <org> --project <project> --api-key-stdin', or export CST_API_KEY; to try cst without a key, add --sandbox",
    ]);
    expect((await failure({ ...env, CST_API_KEY: '' }))[0]).toBe(3);
  });

  it('exits 3 when the project key cannot be found', async () => {
    const env = await setup(TWO_ORGS);
    expect(await failure({ ...env, ACME_PROD_KEY: '' }, { org: 'acme', project: 'prod' })).toEqual([
      3,
      'project acme/prod reads its key from $ACME_PROD_KEY, which is not set',
      "export ACME_PROD_KEY=<the project's API key>, or use --sandbox to try cst",
    ]);
    expect((await failure(env, { org: 'acme', project: 'staging' }))[1]).toBe(
      `cannot read the key file of project acme/staging: ${env.CST_CONFIG_DIR}/keys/acme-staging: no such file or directory`,
    );
  });

  it('names unknown organizations and projects', async () => {
    const env = await setup(TWO_ORGS);
    expect(await failure(env, { org: 'nope' })).toEqual([
      2,
      `unknown organization "nope" in ${env.CST_CONFIG_DIR}/config.json`,
      'known: acme, globex',
    ]);
    expect(await failure(env, { org: 'acme', project: 'dev' })).toEqual([
      2,
      `unknown project "dev" in organization "acme" in ${env.CST_CONFIG_DIR}/config.json`,
      'known: acme/prod, acme/staging',
    ]);
    // A likely typo is named.
    expect(await failure(env, { org: 'acmee' })).toEqual([
      2,
      `unknown organization "acmee" (did you mean "acme"?) in ${env.CST_CONFIG_DIR}/config.json`,
      'known: acme, globex',
    ]);
    expect(await failure(env, { org: 'acme', project: 'stagin' })).toEqual([
      2,
      `unknown project "stagin" in organization "acme" (did you mean "staging"?) in ${env.CST_CONFIG_DIR}/config.json`,
      'known: acme/prod, acme/staging',
    ]);
  });

  it('reports a broken config file with the place of the mistake', async () => {
    expect((await failure(await setup('{"organizations": {'))).slice(0, 1)).toEqual([3]);
    const env = await setup({ organizations: { acme: { projects: { prod: { key_evn: 'X' } } } } });
    expect((await failure(env))[1]).toBe(
      `${env.CST_CONFIG_DIR}/config.json: organizations.acme.projects.prod: unknown key "key_evn"`,
    );
    const badDefault = await setup({ ...TWO_ORGS, default: { org: 'acme', project: 'nope' } });
    expect((await failure(badDefault))[1]).toBe(
      `${badDefault.CST_CONFIG_DIR}/config.json: default names acme/nope, which is not configured`,
    );
  });

  it('with --sandbox, uses the sandbox default project, never the config or CST_API_KEY', async () => {
    const env = { ...(await setup(TWO_ORGS)), CST_API_KEY: 'k-env' };
    const target = await resolve(env, { sandbox: true });
    expect([target.kind, target.org, target.project, target.expectedProjectId]).toEqual([
      'sandbox',
      'acme',
      'production',
      'acme-production',
    ]);
    expect(target.apiKey).toMatch(/^sk_sandbox_/);
    expect(
      (await resolve(env, { sandbox: true, org: 'globex', project: 'staging' })).apiKey,
    ).toMatch(/^sk_sandbox_/);
    expect((await failure(env, { sandbox: true, org: 'globex' }))[1]).toBe(
      'missing required flag: --project',
    );
  });
});
