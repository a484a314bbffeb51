import { parse } from 'csv-parse/sync';

/** One line of an export that could not be used, and why. */
export interface Skip {
  readonly line: number;
  readonly reason: string;
}

export interface ExportRow {
  readonly line: number;
  readonly fields: Readonly<Record<string, string | null>>;
}

export interface ParsedExport {
  readonly rows: ExportRow[];
  readonly skipped: Skip[];
  /** Data rows seen (a header row is not counted). */
  readonly rowsRead: number;
}

/**
 * Reads a table export as `mysql -B` (tab-separated, header row, NULL) or
 * `SELECT … INTO OUTFILE` (tab- or comma-separated, no header, `\N`,
 * backslash escapes) write it. A header row is recognised by its column
 * names; without one, `columns` gives the order. Bad lines are skipped
 * with a reason, never fatal.
 */
export function parseExport(
  text: string,
  columns: readonly string[],
  required: number,
): ParsedExport {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const tabbed = firstLine.includes('\t');
  const skipped: Skip[] = [];
  const records = parse(text, {
    delimiter: tabbed ? '\t' : ',',
    quote: tabbed ? false : '"',
    escape: '\\',
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = Number(
        (error as { lines?: unknown } | undefined)?.lines ?? 0,
      );
      skipped.push({ line, reason: error?.message ?? 'unreadable' });
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const unreadable = skipped.length;
  const header = headerOf(records[0]?.record, columns);
  const names = header ?? columns;
  const data = header === null ? records : records.slice(1);
  const rows: ExportRow[] = [];
  for (const { record, info } of data) {
    if (record.length < required) {
      const expected = `at least ${required} columns (${names.slice(0, required).join(', ')})`;
      skipped.push({
        line: info.lines,
        reason: `expected ${expected}, got ${record.length}`,
      });
      continue;
    }
    const fields = Object.fromEntries(
      names.map((name, i) => [name, unescape(record[i])]),
    );
    rows.push({ line: info.lines, fields });
  }

  return { rows, skipped, rowsRead: data.length + unreadable };
}

/** The column order a header row gives, or null when there is none. */
function headerOf(first: string[] | undefined, columns: readonly string[]) {
  if (first === undefined) return null;
  const lower = first.map((name) => name.trim().toLowerCase());
  const known = columns.filter((c) => lower.includes(c.toLowerCase()));
  if (known.length < 2) return null;

  return lower.map(
    (name) => columns.find((c) => c.toLowerCase() === name) ?? name,
  );
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '\\': '\\',
};

/** MySQL's export escapes; `\N` and a bare NULL are SQL NULL. */
function unescape(value: string | undefined): string | null {
  if (value === undefined || value === '\\N' || value === 'NULL') return null;

  return value.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}
