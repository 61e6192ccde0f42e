// Level A: "never sent" and "may have acted" travel as a typed fact (RequestFate) from the API
// client to a bulk row's outcome: every way a request can fail, and what the row becomes. (The
// client's own errors over real HTTP carry it too: test/api/client.test.ts.)
import { describe, expect, it } from 'vitest';
import { httpError, networkError, timeoutError, tooLargeError } from '../../../src/api/outcomes.js';
import { outcomeOf } from '../../../src/session/bulk/outcome.js';
import { CliError } from '../../../src/core/errors.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });
const ORIGIN = 'https://api.stackone.com';

describe('a failed request’s fate, and its bulk row', () => {
  it.each<[string, CliError, string, string]>([
    ['HTTP 400', httpError(400, 'bad', 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 401', httpError(401, undefined, 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 403', httpError(403, undefined, 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 404', httpError(404, undefined, 'POST /x', false), 'rejected', 'failed'],
    ['HTTP 409', httpError(409, undefined, 'POST /x', false), 'rejected', 'failed'],
    [
      'HTTP 429, retries used up',
      httpError(429, undefined, 'POST /x', false),
      'rejected',
      'failed',
    ],
    ['HTTP 408', httpError(408, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    ['HTTP 500', httpError(500, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    ['HTTP 503', httpError(503, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    ['a redirect', httpError(302, undefined, 'POST /x', false), 'may_have_acted', 'unknown'],
    [
      'refused',
      networkError(withCode('ECONNREFUSED'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    ['DNS', networkError(withCode('ENOTFOUND'), 'POST /x', ORIGIN, false), 'not_sent', 'failed'],
    [
      'connect timeout',
      networkError(withCode('UND_ERR_CONNECT_TIMEOUT'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    [
      'no route',
      networkError(withCode('EHOSTUNREACH'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    [
      'a TLS certificate',
      networkError(withCode('CERT_HAS_EXPIRED'), 'POST /x', ORIGIN, false),
      'not_sent',
      'failed',
    ],
    [
      'a proxy refusing',
      networkError(withCode('ECONNREFUSED'), 'POST /x', ORIGIN, false, 'http://proxy:3128'),
      'not_sent',
      'failed',
    ],
    [
      'reset after sending',
      networkError(withCode('ECONNRESET'), 'POST /x', ORIGIN, false),
      'may_have_acted',
      'unknown',
    ],
    [
      'no headers in time',
      networkError(withCode('UND_ERR_HEADERS_TIMEOUT'), 'POST /x', ORIGIN, false),
      'may_have_acted',
      'unknown',
    ],
    [
      '--timeout ran out',
      timeoutError('POST /x', ORIGIN, 1000, false),
      'may_have_acted',
      'unknown',
    ],
    [
      'a body over the cap',
      tooLargeError('POST /x', 201, 1024, false),
      'may_have_acted',
      'unknown',
    ],
  ])('%s: %s, the row %s', (_name, error, fate, status) => {
    expect(error.fate).toBe(fate);
    expect(outcomeOf(error).status).toBe(status);
  });

  it('an error that did not come from a request is unknown: cst cannot say it was not sent', () => {
    expect(outcomeOf(new Error('boom')).status).toBe('unknown');
    expect(outcomeOf(new CliError('x', 'unexpected')).status).toBe('unknown');
  });

  it('a rejected key stops the run; network failures count toward --max-network-failures', () => {
    expect(outcomeOf(httpError(401, undefined, 'POST /x', false)).stopRun).toBe(true);
    expect(outcomeOf(httpError(403, undefined, 'POST /x', false)).stopRun).toBe(true);
    expect(outcomeOf(httpError(400, undefined, 'POST /x', false)).stopRun).toBe(false);
    const refused = outcomeOf(networkError(withCode('ECONNREFUSED'), 'POST /x', ORIGIN, false));
    expect([refused.network, refused.stopRun]).toEqual([true, false]);
  });
});
