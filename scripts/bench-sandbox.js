// `cst sandbox serve` for the benchmarks: started on a free port, stopped with SIGTERM.
import { spawn } from 'node:child_process';

/** Resolves with the sandbox's base URL and project keys, and a way to stop it. */
export async function startSandbox(bin, env, args = []) {
  const child = spawn(
    process.execPath,
    [bin, 'sandbox', 'serve', '--port', '0', '--json', '--quiet', ...args],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.on('exit', () => reject(new Error('sandbox exited')));
  });
  return { ...JSON.parse(line), stop: () => child.kill('SIGTERM') };
}
