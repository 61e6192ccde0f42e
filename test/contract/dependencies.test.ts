// Level A: what cst takes from its dependencies below their public surface, checked so that an
// upgrade that moves it fails here with a clear message, not at a user's first request.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('dependencies cst reaches into', () => {
  it.each([
    ['undici/lib/dispatcher/agent.js', 'function'],
    ['undici/lib/api/api-request.js', 'function'],
    ['undici/lib/dispatcher/env-http-proxy-agent.js', 'function'],
  ])('%s still exports a %s (src/api/undici.ts imports it directly)', (path, type) => {
    let exported: unknown;
    try {
      exported = require(path);
    } catch (error) {
      throw new Error(
        `${path} is gone: undici moved it; update src/api/undici.ts (${String(error)})`,
      );
    }
    expect(typeof exported, `${path} no longer exports a ${type}`).toBe(type);
  });

  it("undici's WebAssembly parsers are where the build copies them from", () => {
    for (const name of ['llhttp-wasm', 'llhttp_simd-wasm']) {
      const wasm = require(`undici/lib/llhttp/${name}.js`) as unknown;
      expect(Buffer.isBuffer(wasm), `undici/lib/llhttp/${name}.js is no longer a Buffer`).toBe(
        true,
      );
    }
  });

  it('this Node takes --liftoff-only at run time and still compiles WebAssembly', () => {
    // What src/api/undici.ts does before the first request, in a process of its own.
    const script = `
      require('node:v8').setFlagsFromString('--liftoff-only');
      const bytes = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0]);
      new WebAssembly.Module(bytes);
      process.stdout.write('ok');
    `;
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toBe('ok');
  });
});
