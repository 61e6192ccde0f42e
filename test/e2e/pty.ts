// A real pseudo-terminal, through util-linux `script`: the child sees a terminal on stdin,
// stdout and stderr, and the test types keystrokes and waits for what appears on screen.
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface Terminal {
  /** Waits until `text` has appeared after what earlier waits consumed. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  type(keys: string): void;
  exit(timeoutMs?: number): Promise<{ code: number | null; screen: string }>;
  screen(): string;
}

export const KEY = { enter: '\r', down: '\u001b[B', space: ' ', ctrlC: '\u0003' };

export interface TerminalOptions {
  columns?: number;
  /** Variables set for the child after the harness removed CI and CST_NO_INPUT. */
  keep?: Record<string, string>;
}

export function terminal(
  args: string[],
  env: Record<string, string>,
  options: TerminalOptions = {},
): Terminal {
  const columns = options.columns ?? 100;
  const command = `stty cols ${columns} rows 40; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  // The harness, not the child, decides: no CI, no CST_NO_INPUT, a known TERM.
  const { CI: _ci, CST_NO_INPUT: _noInput, ...rest } = env;
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { TERM: 'xterm-256color', ...rest, ...options.keep },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let consumed = 0;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );

  return {
    async waitFor(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const at = plain(output).indexOf(text, consumed);
        if (at >= 0) {
          consumed = at + text.length;
          return;
        }
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(
            `timed out waiting for ${JSON.stringify(text)}; screen:\n${plain(output)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    type(keys) {
      child.stdin?.write(keys);
    },
    async exit(timeoutMs = 10_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, screen: output };
    },
    screen: () => output,
  };
}

/** The screen text without escape sequences. */
export function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
