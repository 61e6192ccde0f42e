// Level B: colour is decided per context and stream, from the context alone.
import { describe, expect, it } from 'vitest';
import { createContext, type OutputStream } from '../../../src/core/context.js';
import { colorsFor } from '../../../src/core/output/color.js';

describe('colorsFor', () => {
  it('decides per context: one stream, two contexts, two answers', () => {
    const stream: OutputStream = { write: () => true, isTTY: true };
    const context = (env: Record<string, string>) =>
      createContext({
        stdin: () => process.stdin,
        stdout: stream,
        stderr: stream,
        env,
        version: '0',
      });
    const plain = context({ NO_COLOR: '1' });
    const forced = context({ FORCE_COLOR: '3' });
    expect(colorsFor(plain, stream).level).toBe(0);
    expect(colorsFor(forced, stream).level).toBe(3);
    // And once decided, the same instance for the same context and stream.
    expect(colorsFor(plain, stream)).toBe(colorsFor(plain, stream));
  });
});
