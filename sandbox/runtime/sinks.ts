/**
 * Where a flow's runs put their result: a JSON-lines file, an Excel workbook with a real table
 * (headers, one row per run; written with exceljs), or memory (tests). Files are overwritten when
 * the sink opens and complete once `close()` resolves.
 */
import * as fs from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';

export type Item = Record<string, unknown>;

export interface Column {
  header: string;
  /** Dotted path into the run's trigger output, e.g. `data.callID` (webhook) or `callID` (polling item). */
  path: string;
  /** `date`: an ISO 8601 text shown as the local date and time it states. Default: the value as is. */
  type?: 'date' | 'value';
}

export type SinkSpec =
  | { kind: 'memory' }
  | { kind: 'jsonl'; file: string }
  | { kind: 'excel'; file: string; sheet: string; table: string; columns: Column[] };

export interface Sink {
  write(item: Item): void;
  close(): Promise<void>;
  readonly count: number;
}

export function valueAt(item: unknown, dotted: string): unknown {
  let node: unknown = item;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export class MemorySink implements Sink {
  readonly items: Item[] = [];
  write(item: Item): void {
    this.items.push(item);
  }
  get count(): number {
    return this.items.length;
  }
  async close(): Promise<void> {}
}

export class JsonLinesSink implements Sink {
  private buffer: string[] = [];
  private written = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
  }

  write(item: Item): void {
    this.buffer.push(JSON.stringify(item));
    this.written++;
    if (this.buffer.length >= 1000) this.flush();
  }

  get count(): number {
    return this.written;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    fs.appendFileSync(this.file, this.buffer.join('\n') + '\n');
    this.buffer = [];
  }

  async close(): Promise<void> {
    this.flush();
  }
}

/** `2026-11-02T09:15:00+02:00` → a Date whose UTC fields are the stated local time (Excel has no zones). */
export function localDateTime(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)));
}

export class ExcelSink implements Sink {
  private readonly rows: unknown[][] = [];

  constructor(private readonly spec: Extract<SinkSpec, { kind: 'excel' }>) {
    if (spec.columns.length === 0) throw new Error('ExcelSink: at least one column is needed');
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(spec.table)) throw new Error(`ExcelSink: "${spec.table}" is not a valid Excel table name`);
  }

  write(item: Item): void {
    this.rows.push(
      this.spec.columns.map((c) => {
        const v = valueAt(item, c.path);
        if (c.type === 'date' && typeof v === 'string') return localDateTime(v) ?? v;
        return v === undefined ? null : v;
      }),
    );
  }

  get count(): number {
    return this.rows.length;
  }

  async close(): Promise<void> {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'connector sandbox';
    const sheet = workbook.addWorksheet(this.spec.sheet);
    const { columns } = this.spec;
    if (this.rows.length > 0) {
      sheet.addTable({
        name: this.spec.table,
        ref: 'A1',
        headerRow: true,
        style: { theme: 'TableStyleMedium2', showRowStripes: true },
        columns: columns.map((c) => ({ name: c.header, filterButton: true })),
        rows: this.rows,
      });
    } else {
      // Excel cannot hold a table without data rows: write the headers alone.
      sheet.addRow(columns.map((c) => c.header));
    }
    columns.forEach((c, i) => {
      const col = sheet.getColumn(i + 1);
      col.width = Math.max(12, c.header.length + 4, c.type === 'date' ? 20 : 0);
      if (c.type === 'date') col.numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    fs.mkdirSync(path.dirname(this.spec.file), { recursive: true });
    await workbook.xlsx.writeFile(this.spec.file);
  }
}

export function openSink(spec: SinkSpec): Sink {
  switch (spec.kind) {
    case 'memory':
      return new MemorySink();
    case 'jsonl':
      return new JsonLinesSink(spec.file);
    case 'excel':
      return new ExcelSink(spec);
  }
}
