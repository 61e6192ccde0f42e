// A streaming RFC 4180 CSV reader: quoted fields may hold commas, doubled quotes and line
// breaks; LF, CRLF and CR-only line ends (old Mac exports) and a leading BOM are accepted; a
// line of nothing but spaces is blank. Each record carries the physical line it starts
// on, and a malformed record becomes an error for that line while reading goes on.

export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string };

type State = 'field' | 'quoted' | 'quote-in-quoted' | 'after-quote';

export async function* readCsv(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let state: State = 'field';
  let bad: string | undefined;
  let line = 1;
  let recordLine = 1;
  let blank = true;
  let first = true;
  /** The last character was a CR: an LF right after it ends nothing more. */
  let afterCr = false;

  function take(): CsvRecord | undefined {
    const record: CsvRecord | undefined =
      bad !== undefined
        ? { line: recordLine, error: bad }
        : blank || (fields.length === 0 && field.trim() === '' && state === 'field')
          ? undefined
          : { line: recordLine, fields: [...fields, field] };
    fields = [];
    field = '';
    state = 'field';
    bad = undefined;
    blank = true;
    return record;
  }

  for await (let chunk of chunks) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
    }
    for (const char of chunk) {
      const crlf = afterCr && char === '\n';
      afterCr = char === '\r';
      if (crlf) continue;
      if (state === 'quote-in-quoted') {
        if (char === '"') {
          field += '"';
          state = 'quoted';
          continue;
        }
        state = 'after-quote';
      }
      if (state === 'quoted') {
        if (char === '"') state = 'quote-in-quoted';
        else {
          if (char === '\n' || char === '\r') line++;
          field += char === '\r' ? '\n' : char;
        }
        continue;
      }
      if (char === ',') {
        fields.push(field);
        field = '';
        state = 'field';
        blank = false;
      } else if (char === '\n' || char === '\r') {
        const record = take();
        if (record) yield record;
        line++;
        recordLine = line;
      } else if (char === '"') {
        if (field === '' && state === 'field') state = 'quoted';
        else bad ??= 'bad quoting: a quote inside an unquoted field';
        blank = false;
      } else {
        if (state === 'after-quote') bad ??= 'bad quoting: text after a closing quote';
        field += char;
        blank = false;
      }
    }
  }
  if (state === 'quoted') bad ??= 'bad quoting: a quoted field is never closed';
  const record = take();
  if (record) yield record;
}
