// Help topics: `cst help categories`, `cst help environment`, `cst help exit-codes`,
// `cst help formatting` (`cst help bulk` is made from the flags of `cst create`).
import { CATEGORIES } from '../../api/constants.js';
import { ERROR_CODES, EXIT_MEANINGS } from '../../core/errors.js';

export const TOPICS: Record<string, string> = {
  categories: `Categories for -c/--categories, comma-separated (cst create -c hris,ats):

${CATEGORIES.map((category) => `  ${category}`).join('\n')}
`,
  environment: `Environment variables read by cst (an empty variable counts as unset):

  CST_API_KEY, CST_BASE_URL   key and base URL when no configured project is selected
  CST_ORG, CST_PROJECT        select a configured organization and project
  CST_CONFIG_DIR              config directory (default $XDG_CONFIG_HOME/cst, ~/.config/cst)
  CST_STATE_DIR               ledger, journals and sandbox state (default $XDG_STATE_HOME/cst)
  CST_STATE_URL               postgres://… : the ledger and outcomes in PostgreSQL, shared
                              by every runner (the sandbox's stay local)
  CST_CACHE_DIR               cst's code cache (default $XDG_CACHE_HOME/cst, ~/.cache/cst)
  CST_NO_CACHE=1              no code cache: neither read nor written
  CST_NO_INPUT=1, CI          never prompt; fail at once on anything missing
  CST_DEBUG=1                 like --debug: requests and responses on stderr, secrets redacted
  CST_MAX_RESPONSE_SIZE       largest response body cst reads, e.g. 64MiB (default 16MiB)
  CST_MAX_PAGES               most pages of GET /accounts a listing walks (default 1000)
  HTTPS_PROXY, HTTP_PROXY,    proxies (lower-case forms too); http targets are forwarded,
  NO_PROXY                    https targets tunnel through CONNECT
  NODE_EXTRA_CA_CERTS         extra certificate authorities, PEM
  NO_COLOR, FORCE_COLOR,      colour, see 'cst help formatting'
  CLICOLOR, CLICOLOR_FORCE,
  TERM
`,
  'exit-codes': exitCodes(),
  formatting: `Output formatting:

  On a terminal, results are tables; piped, they are machine formats with no colour and
  RFC 3339 times: field<TAB>value lines for one object, tab-separated rows without a header
  for a list, NDJSON for a bulk run.

  --json, -o json      one JSON object (or one array for lists), the API's snake_case fields
  -o yaml              the same as YAML
  -o tsv               the piped format, also on a terminal
  -o csv               lists and bulk results, with a header
  -o ndjson            bulk results (the default)
  --field NAME         one field's value alone; a trailing newline only on a terminal

  stdout carries data only; prompts, progress, warnings and errors go to stderr.

  Colour, first match wins: --no-color or --color=never|always, NO_COLOR (non-empty),
  FORCE_COLOR (0 off, 1-3 levels), CLICOLOR_FORCE, CLICOLOR=0, TERM=dumb, then whether the
  stream is a terminal. Decided once per stream.
`,
};

/** Made from the registry: each exit code, what it means, and the error codes JSON mode names. */
function exitCodes(): string {
  const codes = Object.entries(ERROR_CODES) as [string, { exit: readonly number[] }][];
  const lines = Object.entries(EXIT_MEANINGS).flatMap(([exit, meaning]) => {
    const named = codes.filter(([, entry]) => entry.exit.includes(Number(exit))).map(([c]) => c);
    const text = meaning.replace(/`/g, '') + (named.length === 0 ? '' : ` (${named.join(', ')})`);
    return wrap(text, 72).map((line, i) => `  ${(i === 0 ? exit : '').padEnd(4)} ${line}`);
  });
  return `Exit codes, and the error codes that --json reports with them:\n\n${lines.join('\n')}\n`;
}

/** Words into lines of at most `width` (a longer word has a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.at(-1)!;
    if (last !== '' && last.length + 1 + word.length > width) lines.push(word);
    else lines[lines.length - 1] = last === '' ? word : `${last} ${word}`;
  }
  return lines;
}
