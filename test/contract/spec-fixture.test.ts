// Level A: the spec fixture is StackOne's spec plus a declared overlay, rebuilt by
// scripts/spec-fixture.js; the test fails when the fixture and the script disagree.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  buildFixture,
  FIXTURE,
  OVERLAY,
  SANDBOX_SCHEMA,
  sandboxSchema,
  SPEC,
} from '../../scripts/spec-fixture.js';

interface Overlay {
  source: unknown;
  set: { at: string[]; value: unknown; source: string }[];
}

const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
const overlay = JSON.parse(readFileSync(OVERLAY, 'utf8')) as Overlay;

describe('the spec fixture', () => {
  it('carries every overlay entry, each with where its fact comes from', () => {
    expect(overlay.set.length).toBeGreaterThan(0);
    for (const entry of overlay.set) {
      expect(entry.source, entry.at.join('.')).toMatch(/\S{12,}/);
      const found = entry.at.reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        fixture,
      );
      expect(found, entry.at.join('.')).toEqual(entry.value);
    }
  });

  it("gives the sandbox StackOne's ConnectSessionCreate, as the script makes it", () => {
    expect(JSON.parse(readFileSync(SANDBOX_SCHEMA, 'utf8'))).toEqual(sandboxSchema(fixture));
  });

  // The spec lives beside the clone (../shared), not in it: a machine without it checks the
  // overlay above only.
  it.skipIf(!existsSync(SPEC))('is exactly what the script builds from the spec', () => {
    const built = buildFixture(parse(readFileSync(SPEC, 'utf8')), overlay);
    expect(built).toEqual(fixture);
  });
});
