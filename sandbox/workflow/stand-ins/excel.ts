/**
 * Excel Online (Business), locally: `AddRowV2` (Add a row into a table) appends to a real table of a
 * real .xlsx workbook written with exceljs, `PatchItem` (Update a row) overwrites the cells it is given in
 * the first row whose key column holds the key, `GetItem` (Get a row) reads that row, and `GetItems` (List
 * rows present in a table) lists the rows, those a Filter Query (`Column eq 'text'`, `startswith(Column, 'text')`) keeps. The drive, file
 * and table a flow names bind to the one local workbook (a table per workbook the flows name) when they are
 * `PICK-IN-DESIGNER` placeholders or the workbook's own names; anything else is refused, as the real
 * connector refuses a file it cannot find.
 */
import * as path from 'path';
import ExcelJS from 'exceljs';
import { writeFileAtomically } from '../../../lib/files';
import { escapeRegExp } from '../../../lib/key-pattern';
import { ActionFailure, ok, PICK_IN_DESIGNER, StandInApi, type ApiCall, type Json } from '../apis';

/** The workbook flows/README.md tells a maker to create for the answered-calls flows. */
export interface WorkbookTemplate {
  /** The file name the README suggests (the sandbox writes it where it is told). */
  fileName: string;
  sheet: string;
  table: string;
  columns: readonly string[];
  /** One line above the table: what the times in it mean. */
  note: string;
}

export const ANSWERED_CALLS_WORKBOOK: WorkbookTemplate = {
  fileName: 'AnsweredCalls.xlsx',
  sheet: 'Calls',
  table: 'Calls',
  columns: ['Call ID', 'Caller', 'Destination', 'Direction', 'Started', 'Answered', 'Employee Contact ID', 'Event'],
  note:
    'Times (Started, Answered) are the PBX\'s local time as the events carry them: ISO 8601 with the UTC offset (+02:00 in winter, +03:00 in summer).',
};

/** The workbook of the weekly report (flows/power-automate/weekly-call-report.json). */
export const WEEKLY_CALLS_WORKBOOK: WorkbookTemplate = {
  fileName: 'WeeklyCalls.xlsx',
  sheet: 'Calls',
  table: 'WeeklyCalls',
  columns: ['Call ID', 'Caller', 'Destination', 'Direction', 'Started', 'Answered', 'Talk Time (s)', 'Employee Contact ID'],
  note:
    'Answered calls of the 7 days before the report. Times (Started, Answered) are the PBX\'s local time as the list action returns them: ISO 8601 with the UTC offset (+02:00 in winter, +03:00 in summer).',
};

/**
 * The workbook of missed calls: a row per lost caller (flows/power-automate/missed-call-callback.json), marked
 * when called back, and marked reached when the PBX says the caller was reached (missed-call-reached.json).
 */
export const MISSED_CALLS_WORKBOOK: WorkbookTemplate = {
  fileName: 'MissedCalls.xlsx',
  sheet: 'Missed calls',
  table: 'MissedCalls',
  columns: ['Key', 'Caller', 'Called Number', 'Missed At', 'Attempts', 'Status', 'Handled By', 'Handled At', 'Employee Contact ID', 'Reached By', 'Reached At'],
  note:
    'One row per lost caller: Open, Called back (someone pressed Call back), Reached (the PBX no longer lists the caller as lost). Missed At is the PBX\'s local time with its UTC offset, as the event carries it; Handled At and Reached At are UTC. Key (caller and time) finds the row again.',
};

/** Every workbook a shipped flow writes; a flow names its file (`PICK-IN-DESIGNER: <fileName>`). */
export const WORKBOOKS: readonly WorkbookTemplate[] = [ANSWERED_CALLS_WORKBOOK, WEEKLY_CALLS_WORKBOOK, MISSED_CALLS_WORKBOOK];

/** The workbook whose file name the flow's definition mentions; the answered-calls one otherwise. */
export function workbookFor(definitionText: string): WorkbookTemplate {
  return WORKBOOKS.find((t) => t !== ANSWERED_CALLS_WORKBOOK && definitionText.includes(t.fileName)) ?? ANSWERED_CALLS_WORKBOOK;
}

/** The tables several flows write (each flow's workbook, once), in the order of WORKBOOKS. */
export function workbooksFor(definitionTexts: readonly string[]): WorkbookTemplate[] {
  const named = new Set(definitionTexts.map(workbookFor));
  return WORKBOOKS.filter((t) => named.has(t));
}

const TABLE_ROW = 3;

/**
 * Writes the workbook: a sheet per table (the template's sheet name, or the table's when another table has
 * it), the note in A1, the table from A3 (an empty data row when there are no rows, as Excel needs one).
 */
export async function writeWorkbook(file: string, tables: WorkbookTemplate | readonly WorkbookTemplate[], rows: Json[][] | ReadonlyMap<string, Json[][]>): Promise<void> {
  const templates: readonly WorkbookTemplate[] = Array.isArray(tables) ? tables : [tables as WorkbookTemplate];
  const rowsOf = (t: WorkbookTemplate): Json[][] => (rows instanceof Map ? (rows.get(t.table) ?? []) : (rows as Json[][]));
  const book = new ExcelJS.Workbook();
  book.creator = 'connector sandbox';
  book.created = book.modified = new Date(Date.UTC(2026, 0, 1));
  const sheets = sheetsOf(templates);
  for (const template of templates) {
    const sheet = book.addWorksheet(sheets.get(template.table)!);
    sheet.getCell('A1').value = template.note;
    sheet.getCell('A1').font = { italic: true };
    const tableRows = rowsOf(template);
    sheet.addTable({
      name: template.table,
      ref: `A${TABLE_ROW}`,
      headerRow: true,
      style: { theme: 'TableStyleMedium2', showRowStripes: true },
      columns: template.columns.map((column) => ({ name: column, filterButton: true })),
      rows: tableRows.length > 0 ? tableRows : [template.columns.map(() => null)],
    });
    template.columns.forEach((c, i) => (sheet.getColumn(i + 1).width = Math.max(12, c.length + 4, /Started|Answered| At$/.test(c) ? 27 : 0)));
  }
  // Renamed into place: a run stopped while writing leaves the previous workbook, never a truncated one.
  writeFileAtomically(file, new Uint8Array(await book.xlsx.writeBuffer()));
}

/** The sheet each table of a workbook written by writeWorkbook is on. */
export function sheetsOf(tables: readonly WorkbookTemplate[]): Map<string, string> {
  const sheets = new Map<string, string>();
  for (const t of tables) sheets.set(t.table, [...sheets.values()].includes(t.sheet) ? t.table : t.sheet);
  return sheets;
}

/**
 * The Filter Query the stand-in takes, as Excel's documents it: one function on one column, `<Column> eq '<text>'`
 * (or `ne`), or `startswith(<Column>, '<text>')` (or `endswith`, `contains`); text compared as written.
 */
const FILTER_COMPARISON = /^\s*([A-Za-z0-9]+)\s+(eq|ne)\s+'((?:[^']|'')*)'\s*$/;
const FILTER_FUNCTION = /^\s*(startswith|endswith|contains)\(\s*([A-Za-z0-9]+)\s*,\s*'((?:[^']|'')*)'\s*\)\s*$/;

/** What a Filter Query keeps: the column it reads and the test of a cell's text; undefined when the stand-in does not take it. */
function filterQuery(filter: string): { column: string; keep: (text: string) => boolean } | undefined {
  const comparison = FILTER_COMPARISON.exec(filter);
  if (comparison) {
    const wanted = comparison[3].replace(/''/g, "'");
    return { column: comparison[1], keep: (text) => (text === wanted) === (comparison[2] === 'eq') };
  }
  const fn = FILTER_FUNCTION.exec(filter);
  if (!fn) return undefined;
  const wanted = fn[3].replace(/''/g, "'");
  const tests = { startswith: (t: string) => t.startsWith(wanted), endswith: (t: string) => t.endsWith(wanted), contains: (t: string) => t.includes(wanted) };
  return { column: fn[2], keep: tests[fn[1] as keyof typeof tests] };
}

/**
 * The stand-in over one local workbook holding the tables given (one per template; several flows on one
 * connection share it). A call names its table by the table's own name, or by a `PICK-IN-DESIGNER` value
 * that mentions it (`PICK-IN-DESIGNER: the Calls table`) or its workbook's file; with one table, any
 * `PICK-IN-DESIGNER` value binds to it.
 */
export function excelStandIn(file: string, tables: WorkbookTemplate | readonly WorkbookTemplate[] = ANSWERED_CALLS_WORKBOOK): StandInApi {
  const templates: readonly WorkbookTemplate[] = Array.isArray(tables) ? tables : [tables as WorkbookTemplate];
  const rowsByTable = new Map<string, Json[][]>(templates.map((t) => [t.table, []]));
  const bind = (what: string, value: Json | undefined, own: string): void => {
    if (typeof value === 'string' && (PICK_IN_DESIGNER.test(value) || value === own)) return;
    throw new ActionFailure(404, `Excel stand-in: ${what} ${JSON.stringify(value ?? null)} is not the local workbook's; leave it PICK-IN-DESIGNER or name "${own}"`);
  };
  const cell = (v: Json | undefined): Json => (v === undefined ? null : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
  const word = (name: string) => new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(name)}($|[^A-Za-z0-9])`);
  /** The table a call names (the drive and file bound to the local workbook). */
  const tableOf = (call: ApiCall): { template: WorkbookTemplate; rows: Json[][] } => {
    bind('drive', call.params.drive, 'me');
    bind('file', call.params.file, path.basename(file));
    const table = call.params.table;
    const fileName = typeof call.params.file === 'string' ? call.params.file : '';
    const picked = typeof table === 'string' && PICK_IN_DESIGNER.test(table);
    const template =
      templates.find((t) => t.table === table) ??
      (picked ? (templates.find((t) => word(t.table).test(table as string)) ?? templates.find((t) => fileName.includes(t.fileName)) ?? (templates.length === 1 ? templates[0] : undefined)) : undefined);
    if (!template) throw new ActionFailure(404, `Excel stand-in: table ${JSON.stringify(table ?? null)} is not one of the local workbook's (${templates.map((t) => t.table).join(', ')}); leave it PICK-IN-DESIGNER naming the table, or name it`);
    return { template, rows: rowsByTable.get(template.table)! };
  };
  /** The row (item) of a call: an object of known columns of its table. */
  const itemOf = (call: ApiCall, template: WorkbookTemplate): { [column: string]: Json } => {
    const item = call.body;
    if (item === null || item === undefined || typeof item !== 'object' || Array.isArray(item)) throw new ActionFailure(400, 'Excel stand-in: the row (item) must be an object of column values');
    const unknown = Object.keys(item).filter((k) => !template.columns.includes(k));
    if (unknown.length > 0) throw new ActionFailure(400, `Excel stand-in: table ${template.table} has no column ${unknown.map((k) => JSON.stringify(k)).join(', ')} (it has ${template.columns.join(', ')})`);
    return item;
  };
  const asObject = (template: WorkbookTemplate, rows: Json[][], row: Json[]): { [column: string]: Json } => ({
    ...Object.fromEntries(template.columns.map((c, i) => [c, row[i]])),
    ItemInternalId: String(rows.indexOf(row) + 1),
  });
  /** The first row whose key column holds the key (Get a row, Update a row). */
  const keyed = (call: ApiCall, template: WorkbookTemplate, rows: Json[][]): Json[] => {
    const keyColumn = String(call.params.idColumn ?? '');
    const key = String(call.params.id ?? '');
    const at = template.columns.indexOf(keyColumn);
    if (at < 0) throw new ActionFailure(400, `Excel stand-in: table ${template.table} has no key column ${JSON.stringify(keyColumn)} (it has ${template.columns.join(', ')})`);
    const row = rows.find((r) => String(r[at] ?? '') === key);
    if (!row) throw new ActionFailure(404, `Excel stand-in: no row of ${template.table} has ${keyColumn} ${JSON.stringify(key)}`);
    return row;
  };
  const addRow = (call: ApiCall) => {
    const { template, rows } = tableOf(call);
    const item = itemOf(call, template);
    rows.push(template.columns.map((c) => cell(item[c])));
    return ok({ ...item, ItemInternalId: String(rows.length) });
  };
  const updateRow = (call: ApiCall) => {
    const { template, rows } = tableOf(call);
    const item = itemOf(call, template);
    const row = keyed(call, template, rows);
    for (const [c, v] of Object.entries(item)) row[template.columns.indexOf(c)] = cell(v);
    return ok(asObject(template, rows, row));
  };
  const getRow = (call: ApiCall) => {
    const { template, rows } = tableOf(call);
    return ok(asObject(template, rows, keyed(call, template, rows)));
  };
  /** List rows present in a table: every row, or those a Filter Query keeps, in table order. */
  const listRows = (call: ApiCall) => {
    const { template, rows } = tableOf(call);
    const filter = call.params.$filter;
    let keep: (row: Json[]) => boolean = () => true;
    if (typeof filter === 'string' && filter.trim() !== '') {
      const query = filterQuery(filter);
      if (!query) throw new ActionFailure(400, `Excel stand-in: the Filter Query ${JSON.stringify(filter)} is not one the stand-in takes: <column> eq '<text>' (or ne), or startswith(<column>, '<text>') (or endswith, contains); one function on one column, as Excel's allows`);
      const at = template.columns.indexOf(query.column);
      if (at < 0) throw new ActionFailure(400, `Excel stand-in: the Filter Query names ${JSON.stringify(query.column)}, not a column of ${template.table} (it has ${template.columns.join(', ')}; only alphanumeric names can be filtered)`);
      keep = (row) => query.keep(String(row[at] ?? ''));
    }
    return ok({ value: rows.filter(keep).map((row) => asObject(template, rows, row)) });
  };
  const rowsPath = '/drives/{drive}/files/{file}/tables/{table}/items';
  return new StandInApi(
    'excelonlinebusiness',
    'Excel Online (Business) stand-in',
    [
      { operationId: 'AddRowV2', method: 'post', path: rowsPath, query: ['source'], body: 'item', doubleEncoded: ['file'], run: addRow },
      { operationId: 'PatchItem', method: 'patch', path: `${rowsPath}/{id}`, query: ['source', 'idColumn'], body: 'item', doubleEncoded: ['file'], run: updateRow },
      { operationId: 'GetItem', method: 'get', path: `${rowsPath}/{id}`, query: ['source', 'idColumn'], doubleEncoded: ['file'], run: getRow },
      { operationId: 'GetItems', method: 'get', path: rowsPath, query: ['source', '$filter'], doubleEncoded: ['file'], run: listRows },
    ],
    {
      produced: () => ({ label: 'rows', count: [...rowsByTable.values()].reduce((n, rows) => n + rows.length, 0) }),
      close: () => writeWorkbook(file, templates, rowsByTable),
    },
  );
}
