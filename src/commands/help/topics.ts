// Help topics: `cst help categories`, `cst help environment`, `cst help exit-codes`,
// `cst help formatting` (`cst help bulk` is made from the flags of `cst create`).
import { CATEGORIES } from '../../api/constants.js';

export const TOPICS: Record<string, string> = {
  categories: `Categories for -c/--categories, comma-separated (cst create -c hris,ats):

${CATEGORIES.map((category) => `  ${category}`).join('\n')}
`,
  environment: `Environment variables read by cst (an empty variable counts as unset):

  CST_API_KEY, CST_BASE_URL   key and base URL when no configured project is selected
  CST_ORG, CST_PROJECT        select a configured organization and project
  CST_CONFIG_DIR              config directory (default $XDG_CONFIG_HOME/cst, ~/.config/cst)
  CST_STATE_DIR               ledger, journals and sandbox state (default $XDG_STATE_HOME/cst)
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
  'exit-codes': `Exit codes:

  0    success
  1    unexpected error; output that could not be written; a journal in use
  2    usage: bad flags or arguments, a missing value that could not be prompted for
  3    configuration or credentials, including a key that belongs to another project
  4    API key rejected (HTTP 401)
  5    forbidden (HTTP 403)
  6    not found (HTTP 404); token unknown or expired
  7    still rate limited (HTTP 429) after retries
  8    server or upstream error (5xx), or request timeout (HTTP 408)
  9    a bulk run with rows failed or unknown
  10   network: connection refused, DNS, TLS, timeout, connection lost, proxy
  11   invalid response: not per StackOne's spec, over CST_MAX_RESPONSE_SIZE, or endless
  12   request rejected by the API (HTTP 400, 409, 422)
  13   cst wait: the customer's link failed or was cancelled
  14   cst wait: the link expired before an account was linked
  15   cst wait: still pending at --wait-timeout
  16   a session was created but its token could not be delivered (stdout, --results)
  17   cst's state (ledger, journal, lock) could not be written or read
  130  interrupted (Ctrl-C)
  141  a bulk run stopped because stdout was closed (| head, | grep -q)
  143  terminated (SIGTERM)

With --json or -o json, an error is one JSON line on stderr:
  {"error":{"code":"auth_rejected","message":"…","status":401,"exit":4}}
`,
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
