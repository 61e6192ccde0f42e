// Level C: completion scripts in real shells, and colour decisions on a real pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_BODY, scriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { SESSION_TABLE_60 } from '../helpers/session-table.js';
import { BIN, isolatedEnv } from './cli.js';
import { terminal } from './pty.js';

let shimDir: string;
beforeAll(async () => {
  shimDir = await mkdtemp(join(tmpdir(), 'cst-shim-'));
  await writeFile(join(shimDir, 'cst'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(join(shimDir, 'cst'), 0o755);
});

function shell(name: string, script: string) {
  const result = spawnSync(name, ['-c', script], {
    env: { PATH: `${shimDir}:${process.env.PATH}`, HOME: shimDir },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('shell completion', () => {
  it('loads in bash and completes flag values', () => {
    const result = shell(
      'bash',
      'eval "$(cst completion bash)"; complete -p cst; COMP_WORDS=(cst create --type ""); COMP_CWORD=3; _cst_complete; echo "${COMPREPLY[@]}"',
    );
    expect(result).toEqual({
      code: 0,
      stdout: 'complete -o default -F _cst_complete cst\nproduction test\n',
      stderr: '',
    });
  });

  // .ci/run installs zsh; a developer machine without it skips only this case.
  it.skipIf(spawnSync('zsh', ['--version']).error !== undefined)('loads in zsh', () => {
    const result = shell(
      'zsh',
      'autoload -U compinit && compinit -u -d "$HOME/.zcompdump"; eval "$(cst completion zsh)"; print -r -- ${_comps[cst]}',
    );
    expect(result).toEqual({ code: 0, stdout: '_cst\n', stderr: '' });
  });
});

describe('colour on a terminal', () => {
  let server: ScriptedServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    // Every test of the block creates one session.
    server = await scriptedServer([{ status: 201, body: SESSION_BODY }], { repeatLast: true });
    env = {
      ...(await isolatedEnv()),
      CST_BASE_URL: server.baseUrl,
      CST_API_KEY: 'key_live_abc123',
    };
  });
  afterAll(() => server.close());

  const args = [
    'create',
    '--owner-id',
    'cus_1',
    '--owner-name',
    'Acme Ltd',
    '-c',
    'hris,ats',
    '--no-input',
  ];
  const plain = [
    ...SESSION_TABLE_60,
    'cst keeps no copy of this token: save it now if you need it.',
    '',
  ];
  const screen = async (extra: Record<string, string>) => {
    const term = terminal(args, { ...env, ...extra }, { columns: 60 });
    const { code, screen: text } = await term.exit();
    expect(code).toBe(0);
    return text.replace(/\r\n/g, '\n');
  };

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['TERM=dumb', { TERM: 'dumb' }],
  ])('%s: no escape codes at all', async (_name, extra) => {
    expect(await screen(extra)).toBe(plain.join('\n'));
  });

  it('FORCE_COLOR=1: bold labels, a dim note', async () => {
    const bold = (text: string) => `\u001b[1m${text}\u001b[22m`;
    const dim = (text: string) => `\u001b[2m${text}\u001b[22m`;
    const coloured = plain.map((line) =>
      line
        .replace(/^│ (\w+)(\s+)│/, (_m, label: string, pad: string) => `│ ${bold(label)}${pad}│`)
        .replace(/^(token|auth_link_url):$/, (label) => dim(label)),
    );
    coloured[coloured.length - 2] = dim(plain[plain.length - 2]!);
    expect(await screen({ FORCE_COLOR: '1' })).toBe(coloured.join('\n'));
  });
});
