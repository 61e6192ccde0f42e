import { describe, expect, it } from 'vitest';
import { Redactor, redactUserinfo } from '../../../src/core/util/redact.js';

describe('redactUserinfo', () => {
  it.each([
    ['https://user:pw@host/x', 'https://[redacted]@host/x'],
    ['a http://u@h and ftp://x:y@z/', 'a http://[redacted]@h and ftp://[redacted]@z/'],
    ['https://host/path@not-userinfo', 'https://host/path@not-userinfo'],
    ['user:pw@host', 'user:pw@host'],
    ['://x@y', '://x@y'],
    ['http://@host', 'http://@host'],
    ['a://b://c@d', 'a://b://[redacted]@d'],
  ])('%j → %j', (text, expected) => {
    expect(redactUserinfo(text)).toBe(expected);
  });
});

describe('Redactor.body', () => {
  const redactor = new Redactor();

  it('redacts secret fields of a JSON body', () => {
    expect(redactor.body('{"token":"tok_1234567","id":3}')).toBe('{"token":"[redacted]","id":3}');
  });

  it('shows a torn body by size, type and a start with token-shaped runs cut', () => {
    const torn = '{"id":3,"token":"tok_abcdefghijklmnopqrstuvwxyz0123","auth_li';
    const line = redactor.body(torn, 'application/json');
    expect(line).toBe(
      `${torn.length} bytes of application/json, not JSON: "{\\"id\\":3,\\"token\\":\\"[redacted]\\",\\"[redacted]"`,
    );
  });

  it('cuts token fragments of any length from a torn body, keeping plain words and numbers', () => {
    const line = redactor.body('{"error":"Bad Gateway","id":42,"token":"tok_SECRET_half');
    expect(line).not.toContain('SECRET');
    expect(line).not.toContain('half');
    expect(line).toContain('Bad Gateway');
    expect(line).toContain('42');
    const long = redactor.body(`${'x '.repeat(99)}abcSECRET${'y'.repeat(500)}`);
    expect(long).not.toContain('abcSECRET');
  });

  it('summarises JSON nested deeper than it walks', () => {
    const deep = '['.repeat(1000) + ']'.repeat(1000);
    expect(redactor.body(deep)).toBe(`[${'['.repeat(63)}"[nested]"${']'.repeat(64)}`);
  });
});
