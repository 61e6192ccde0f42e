import { describe, expect, it } from 'vitest';
import { type CsvRecord, readCsv } from '../../../src/session/bulk/csv.js';

async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield await Promise.resolve(text.slice(i, i + size));
}

async function parse(text: string, size: number): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of readCsv(chunks(text, size))) records.push(record);
  return records;
}

const TEXT =
  '\uFEFFowner_id,owner_name,categories\r\n' +
  'c1,"Acme, Ltd",hris;ats\r\n' +
  'c2,"He said ""hi""\nsecond line",ats\n' +
  'c3,bad"quote,x\n' +
  '\n' +
  'c4,"x"y,z\n' +
  'c5,,\n' +
  'c6,"unterminated\n';

describe('readCsv', () => {
  it.each([1, 2, 3, 7, 1000])(
    'reads RFC 4180 with physical line numbers, in chunks of %i',
    async (size) => {
      expect(await parse(TEXT, size)).toEqual([
        { line: 1, fields: ['owner_id', 'owner_name', 'categories'] },
        { line: 2, fields: ['c1', 'Acme, Ltd', 'hris;ats'] },
        { line: 3, fields: ['c2', 'He said "hi"\nsecond line', 'ats'] },
        { line: 5, error: 'bad quoting: a quote inside an unquoted field' },
        { line: 7, error: 'bad quoting: text after a closing quote' },
        { line: 8, fields: ['c5', '', ''] },
        { line: 9, error: 'bad quoting: a quoted field is never closed' },
      ]);
    },
  );

  it('reads a last record without a newline', async () => {
    expect(await parse('a,b\n1,2', 3)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it.each([1, 2, 5, 1000])('reads CR-only line ends, in chunks of %i', async (size) => {
    expect(await parse('a,b\r1,"x\ry"\r2,3\r', size)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'x\ny'] },
      { line: 4, fields: ['2', '3'] },
    ]);
  });

  it('CRLF split across chunks ends one line, not two', async () => {
    expect(await parse('a,b\r\n1,2\r\n', 4)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('skips leading blank and whitespace-only lines', async () => {
    expect(await parse('\n  \r\na,b\n \n1,2\n', 3)).toEqual([
      { line: 3, fields: ['a', 'b'] },
      { line: 5, fields: ['1', '2'] },
    ]);
  });
});
