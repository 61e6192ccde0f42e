// Types for the contract test that imports scripts/spec-fixture.js.
export const SPEC: string;
export const OVERLAY: string;
export const FIXTURE: string;
export function buildFixture(spec: unknown, overlay: unknown): unknown;
export const SANDBOX_SCHEMA: string;
export function sandboxSchema(fixture: unknown): unknown;
