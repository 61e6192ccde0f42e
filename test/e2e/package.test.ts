// Level C: the package users get. `npm pack` holds only what runs and the docs, and installs
// into a clean folder where cst works, first with a cold code cache and then a warm one.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'error' },
  });

describe('the npm package', () => {
  it('holds only bin/, dist/ and docs', () => {
    const [pack] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root)) as {
      files: { path: string }[];
    }[];
    const paths = pack!.files.map((f) => f.path);
    expect(
      paths.filter((p) => !/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE$)/.test(p)),
    ).toEqual([]);
    expect(paths).toContain('bin/cst.js');
    expect(paths).toContain('bin/package.json');
    expect(paths).toContain('dist/cst.cjs');
  });

  it('installs from the tarball into a clean folder and runs', { timeout: 180_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'cst-pack-'));
    const tarball = JSON.parse(
      npm(['pack', '--json', '--ignore-scripts', '--pack-destination', out], root),
    ) as { filename: string }[];
    const clean = await mkdtemp(join(tmpdir(), 'cst-install-'));
    npm(['init', '-y'], clean);
    npm(['install', '--no-audit', '--no-fund', join(out, tarball[0]!.filename)], clean);
    // The bundle carries everything but the keyring's native module: nothing else is installed.
    const installed = await readdir(join(clean, 'node_modules'));
    for (const bundled of [
      'zod',
      'undici',
      'commander',
      'chalk',
      'cli-table3',
      '@inquirer',
      '@modelcontextprotocol',
    ])
      expect(installed).not.toContain(bundled);
    expect(installed).toContain('@napi-rs');
    const version = execFileSync(join(clean, 'node_modules', '.bin', 'cst'), ['--version'], {
      encoding: 'utf8',
    });
    const pkg = JSON.parse(npm(['pkg', 'get', 'version'], root)) as string;
    expect(version).toBe(`${pkg}\n`);
    const help = execFileSync(join(clean, 'node_modules', '.bin', 'cst'), ['create', '--help'], {
      encoding: 'utf8',
    });
    expect(help).toContain('Usage: cst create [options]');

    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: clean,
      CST_CONFIG_DIR: join(clean, 'config'),
      CST_STATE_DIR: join(clean, 'state'),
      CST_CACHE_DIR: join(clean, 'cache'),
    };
    const create = (owner: string) =>
      execFileSync(
        join(clean, 'node_modules', '.bin', 'cst'),
        ['create', '--sandbox', '--owner-id', owner, '--owner-name', 'Acme', '--field', 'id'],
        { encoding: 'utf8', env },
      );
    const cached = () => readdir(join(clean, 'cache', 'code-cache'), { recursive: true });
    expect(create('cold')).toMatch(/^\d+$/);
    const made = await cached();
    expect(made.filter((f) => f.includes('/create-'))).toHaveLength(1);
    expect(create('warm')).toMatch(/^\d+$/);
    expect(await cached()).toEqual(made);

    // The MCP SDK is a bundle of its own beside cst's: the installed cst serves MCP.
    const mcp = spawn(join(clean, 'node_modules', '.bin', 'cst'), ['mcp', '--sandbox'], { env });
    const answer = new Promise<string>((resolve) =>
      mcp.stdout.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk)),
    );
    mcp.stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'package-test', version: '1' },
        },
      })}\n`,
    );
    expect(JSON.parse(await answer)).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'cst' } },
    });
    mcp.stdin.end();
    expect(await new Promise((resolve) => mcp.on('close', resolve))).toBe(0);
  });
});
