// Handing the auth link to the admin at a terminal: onto the clipboard through the terminal
// itself (OSC 52, which works over SSH and needs no clipboard program), or into a browser.
// Neither ever happens in a pipe or in CI: no escape bytes reach a file, no browser opens on a
// build machine. The link comes from the server, so only a web link is handed over: never a
// file, a script, a command line or text that would paste as more than one line.
import { spawn } from 'node:child_process';
import { type Context, envValue } from '../context.js';
import { isLoopback } from '../util/loopback.js';
import { note, warn } from './messages.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why a link is not handed over, or undefined for an https: link (or http: to this machine). */
export function refusal(link: string): string | undefined {
  if (CONTROL.test(link)) return 'a link with control characters';
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'something that is not a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return url.protocol === 'http:'
    ? 'a plain http: link to another machine'
    : `a ${url.protocol} link`;
}

const ALLOWED = 'only https: links, or http: to this machine, are handed over';

/** OSC 52 on the first terminal among stderr and stdout; a warning and nothing else otherwise. */
export function copyToClipboard(ctx: Context, text: string, what: string): void {
  const terminal = ctx.stderr.isTTY ? ctx.stderr : ctx.stdout.isTTY ? ctx.stdout : undefined;
  if (!terminal || envValue(ctx.env, 'CI') !== undefined) {
    warn(ctx, `--copy needs a terminal outside CI: nothing copied`);
    return;
  }
  const refused = refusal(text);
  if (refused !== undefined) {
    warn(ctx, `--copy: the server sent ${refused} (${ALLOWED}): nothing copied`);
    return;
  }
  terminal.write(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
  note(ctx, `${what} copied to the clipboard (through the terminal: OSC 52)`);
}

/** The system's opener, detached, never through a shell; never in CI or without a terminal. */
export function openInBrowser(ctx: Context, url: string): void {
  if (envValue(ctx.env, 'CI') !== undefined || !(ctx.stdout.isTTY || ctx.stderr.isTTY)) {
    warn(ctx, '--open needs a terminal outside CI: open the link yourself');
    return;
  }
  const refused = refusal(url);
  if (refused !== undefined) {
    warn(ctx, `--open: the server sent ${refused} (${ALLOWED}): nothing opened`);
    return;
  }
  // macOS open takes options: the link goes after `--`. Windows' start is a cmd.exe built-in:
  // the URL protocol handler is reached without a shell instead.
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', ['--', url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  ctx.debug(`running ${command} with the auth link`);
  const child = spawn(command, args, {
    detached: true,
    stdio: 'ignore',
    env: ctx.env,
    shell: false,
  });
  child.on('error', () => warn(ctx, `${command} could not be started: open the link yourself`));
  child.unref();
}
