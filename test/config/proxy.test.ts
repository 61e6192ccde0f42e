import { describe, expect, it } from 'vitest';
import { effectiveProxies, proxyFor, proxySettings } from '../../src/config/proxy.js';

describe('proxySettings', () => {
  it('reads a proxy without a scheme as http://, as curl does', () => {
    expect(proxySettings({ HTTPS_PROXY: 'proxy.corp:3128' })).toEqual({
      httpProxy: undefined,
      httpsProxy: 'http://proxy.corp:3128',
      noProxy: undefined,
    });
  });

  it.each(['http://[bad', 'ftp://proxy.corp', 'http://'])(
    'refuses %j with a config error that never shows credentials',
    (value) => {
      expect(() => proxySettings({ http_proxy: value })).toThrow(
        expect.objectContaining({ exitCode: 3 }),
      );
    },
  );

  it('names the variable without echoing userinfo', () => {
    expect(() => proxySettings({ HTTP_PROXY: 'ftp://user:secret@proxy' })).toThrow(
      'HTTP_PROXY: ftp://proxy is not a proxy URL',
    );
  });
});

describe('effectiveProxies', () => {
  const remote = { httpProxy: 'http://proxy.corp:3128', httpsProxy: undefined, noProxy: undefined };

  it('sends plain http to loopback direct rather than through a remote proxy', () => {
    const url = new URL('http://127.0.0.1:4141');
    expect(proxyFor(url, effectiveProxies(url, remote))).toBeUndefined();
  });

  it('keeps a loopback proxy for a loopback target, and any proxy for https', () => {
    const local = { ...remote, httpProxy: 'http://127.0.0.1:8080' };
    const loopback = new URL('http://localhost:4141');
    expect(proxyFor(loopback, effectiveProxies(loopback, local))).toBe('http://127.0.0.1:8080');
    const api = new URL('https://api.stackone.com');
    const both = { ...remote, httpsProxy: 'http://proxy.corp:3128' };
    expect(proxyFor(api, effectiveProxies(api, both))).toBe('http://proxy.corp:3128');
  });
});
