// Level A: the field table of ConnectSessionCreate (src/api/request-fields.ts) against the spec,
// and everything derived from it against the table: flags and bulk columns read a value the
// same way, the ledger keeps what the table says, the sandbox echoes what StackOne echoes, and
// README documents every flag and column.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  REQUEST_FIELDS,
  COLUMN_FIELDS,
  connectSessionCreateToWire,
  type ConnectSessionCreate,
  FLAGGED_FIELDS,
  type RequestField,
} from '../../src/api/request-fields.js';
import { connectSessionTokenSchema, SESSION_TOKEN_FIELDS } from '../../src/api/schemas.js';
import { columnName, COLUMNS } from '../../src/session/bulk/input.js';
import { rowRequest } from '../../src/session/bulk/rows.js';
import { parseCreateOptions } from '../../src/commands/create/options.js';
import { ledgerRecord } from '../../src/ledger/record.js';
import { validateCreate } from '../../src/sandbox/validate.js';
import { SESSION_BODY } from '../helpers/scripted-server.js';

const spec = JSON.parse(
  await readFile(new URL('../fixtures/stackone-platform-spec.json', import.meta.url), 'utf8'),
) as {
  components: {
    schemas: Record<
      string,
      { properties: Record<string, { type?: string; enum?: unknown[] }>; required?: string[] }
    >;
  };
};
const create = spec.components.schemas.ConnectSessionCreate!;
const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

const SPEC_TYPE: Record<RequestField['kind'], string> = {
  text: 'string',
  label: 'string',
  categories: 'array',
  seconds: 'number',
  object: 'object',
  boolean: 'boolean',
  choice: 'string',
};

/** One value per kind: as a flag gives it, as a bulk cell gives it, and what goes on the wire. */
const SAMPLE: Record<RequestField['kind'], { flag: unknown; cell: unknown; wire: unknown }> = {
  text: { flag: 'v_1', cell: ' v_1 ', wire: 'v_1' },
  label: { flag: 'Acme HR', cell: 'Acme HR', wire: 'Acme HR' },
  categories: { flag: ['hris,ats'], cell: 'hris;ats', wire: ['hris', 'ats'] },
  seconds: { flag: '1h', cell: '3600', wire: 3600 },
  object: { flag: ['plan=pro'], cell: '{"plan":"pro"}', wire: { plan: 'pro' } },
  boolean: { flag: true, cell: 'yes', wire: true },
  choice: { flag: 'test', cell: 'test', wire: 'test' },
};

const flagKey = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('the ConnectSessionCreate field table', () => {
  it('holds every field of the spec, no other, with its type and whether it is required', () => {
    expect(REQUEST_FIELDS.map((f) => f.wire).sort()).toEqual(Object.keys(create.properties).sort());
    for (const field of REQUEST_FIELDS)
      expect(create.properties[field.wire]!.type, field.wire).toBe(SPEC_TYPE[field.kind]);
    expect(REQUEST_FIELDS.filter((f) => f.required).map((f) => f.wire)).toEqual(create.required);
    for (const field of REQUEST_FIELDS.filter((f) => f.kind === 'choice'))
      expect(create.properties[field.wire]!.enum).toEqual(
        expect.arrayContaining([...field.choices!]),
      );
  });

  it.each(FLAGGED_FIELDS.map((field) => [field.wire, field] as const))(
    '%s: its flag and its bulk column send the same value under its wire name',
    (_wire, field) => {
      const sample = SAMPLE[field.kind];
      const owner = { ownerId: 'c1', ownerName: 'C One' };
      const fromFlag = parseCreateOptions({
        timeout: '30s',
        ...owner,
        [flagKey(field.flag.name)]: sample.flag,
      });
      const flagWire = connectSessionCreateToWire(fromFlag.request as ConnectSessionCreate);
      expect(flagWire[field.wire]).toEqual(sample.wire);
      if (!field.column) return;
      const row = rowRequest(
        1,
        { owner_id: 'c1', owner_name: 'C One', [field.column.name]: sample.cell },
        {},
        {},
      );
      if (typeof row === 'string') throw new Error(row);
      expect(connectSessionCreateToWire(row.request)).toEqual(flagWire);
      // And the sandbox, standing in for StackOne, accepts it.
      expect(validateCreate(flagWire)).toEqual([]);
    },
  );

  it('bulk columns are the table’s columns and the routing ones, aliases included', () => {
    expect(COLUMNS).toEqual([
      ...COLUMN_FIELDS.map((f) => f.column.name),
      'org',
      'project',
      'row_key',
    ]);
    for (const field of COLUMN_FIELDS)
      for (const alias of [field.column.name, ...(field.column.aliases ?? [])])
        expect(columnName(alias.toUpperCase().replace(/_/g, '-'))).toBe(field.column.name);
  });

  it('a deprecated field and its replacement both set is refused, as flags and as columns', () => {
    expect(() =>
      parseCreateOptions({ timeout: '30s', integrationId: 'i', connectorProfile: 'c' }),
    ).toThrow(
      '--integration-id and --connector-profile name the same thing: use --connector-profile',
    );
    const cells = {
      owner_id: 'c1',
      owner_name: 'C',
      integration_id: 'i',
      connector_profile_id: 'c',
    };
    expect(rowRequest(1, cells, {}, {})).toBe(
      'integration_id and connector_profile_id name the same thing: keep connector_profile_id',
    );
  });

  it('the ledger keeps each field the table says, from the session StackOne returns', () => {
    const body: Record<string, unknown> = { ...SESSION_BODY };
    for (const field of REQUEST_FIELDS.filter((f) => f.ledger !== undefined))
      body[field.wire] =
        field.kind === 'categories'
          ? ['lms']
          : field.kind === 'choice'
            ? 'test'
            : `${field.wire}-value`;
    const record = ledgerRecord({
      session: connectSessionTokenSchema.parse(body),
      target: 'sandbox',
      org: null,
      project: null,
      expiresIn: undefined,
    }) as unknown as Record<string, unknown>;
    for (const field of REQUEST_FIELDS.filter((f) => f.ledger !== undefined))
      expect(record[field.ledger!], field.wire).toEqual(body[field.wire]);
  });

  it('what the table marks echoed is a field of the session StackOne returns', () => {
    for (const field of REQUEST_FIELDS.filter((f) => f.echoed))
      expect(SESSION_TOKEN_FIELDS).toContain(field.wire);
  });

  it('the output fields are the inbound schema’s, each printed once', () => {
    const { wire } = connectSessionTokenSchema.parse(SESSION_BODY);
    expect(Object.keys(wire)).toEqual(SESSION_TOKEN_FIELDS);
  });

  it('README documents every flag with its wire name, and every bulk column', () => {
    const section = readme.slice(readme.indexOf('### `cst create`'));
    const flags = section.slice(0, section.indexOf('\n###'));
    for (const field of FLAGGED_FIELDS) {
      const row = flags
        .split('\n')
        .find((line) => line.startsWith('|') && line.includes(`--${field.flag.name}`));
      expect(row, `README has no row for --${field.flag.name}`).toBeDefined();
      expect(row).toContain(`\`${field.wire}\``);
    }
    const columns = readme.slice(
      readme.indexOf('**Input.**'),
      readme.indexOf('Names are case-insensitive'),
    );
    for (const column of COLUMNS) expect(columns, column).toContain(`\`${column}\``);
  });
});
