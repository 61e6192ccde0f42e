// Handing the auth link to the admin at a terminal: onto the clipboard through the terminal
// itself (OSC 52, which works over SSH and needs no clipboard program), or into a browser.
// Neither ever happens in a pipe or in CI: no escape bytes reach a file, no browser opens on a
// build machine.
import { spawn } from 'node:child_process';
import { type Context, envValue } from '../context.js';
import { note, warn } from './messages.js';

/** OSC 52 on the first terminal among stderr and stdout; a warning and nothing else otherwise. */
export function copyToClipboard(ctx: Context, text: string, what: string): void {
  const terminal = ctx.stderr.isTTY ? ctx.stderr : ctx.stdout.isTTY ? ctx.stdout : undefined;
  if (!terminal) {
    warn(ctx, `--copy needs a terminal: nothing copied`);
    return;
  }
  terminal.write(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
  note(ctx, `${what} copied to the clipboard (through the terminal: OSC 52)`);
}

/** The system's opener, detached; never in CI or without a terminal. */
export function openInBrowser(ctx: Context, url: string): void {
  if (envValue(ctx.env, 'CI') !== undefined || !(ctx.stdout.isTTY || ctx.stderr.isTTY)) {
    warn(ctx, '--open needs a terminal outside CI: open the link yourself');
    return;
  }
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, {
    detached: true,
    stdio: 'ignore',
    env: ctx.env,
  });
  child.on('error', () => warn(ctx, `${command} could not be started: open the link yourself`));
  child.unref();
}
