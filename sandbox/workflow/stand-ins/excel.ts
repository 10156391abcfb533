/**
 * Excel Online (Business), locally: `AddRowV2` (Add a row into a table) appends to a real table of a
 * real .xlsx workbook written with exceljs, and `PatchItem` (Update a row) overwrites the cells it is
 * given in the first row whose key column holds the key. The drive, file and table a flow names bind to
 * the one local workbook when they are `PICK-IN-DESIGNER` placeholders or the workbook's own names;
 * anything else is refused, as the real connector refuses a file it cannot find.
 */
import * as path from 'path';
import ExcelJS from 'exceljs';
import { writeFileAtomically } from '../../../lib/files';
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

/** The workbook of the missed-call callbacks (flows/power-automate/missed-call-callback.json): a row per lost caller, marked when called back. */
export const MISSED_CALLS_WORKBOOK: WorkbookTemplate = {
  fileName: 'MissedCalls.xlsx',
  sheet: 'Missed calls',
  table: 'MissedCalls',
  columns: ['Key', 'Caller', 'Called Number', 'Missed At', 'Attempts', 'Status', 'Handled By', 'Handled At', 'Employee Contact ID'],
  note:
    'One row per lost caller. Missed At is the PBX\'s local time with its UTC offset, as the event carries it; Handled At is UTC (when the call back was placed). Key (caller and time) finds the row again.',
};

/** Every workbook a shipped flow writes; a flow names its file (`PICK-IN-DESIGNER: <fileName>`). */
export const WORKBOOKS: readonly WorkbookTemplate[] = [ANSWERED_CALLS_WORKBOOK, WEEKLY_CALLS_WORKBOOK, MISSED_CALLS_WORKBOOK];

/** The workbook whose file name the flow's definition mentions; the answered-calls one otherwise. */
export function workbookFor(definitionText: string): WorkbookTemplate {
  return WORKBOOKS.find((t) => t !== ANSWERED_CALLS_WORKBOOK && definitionText.includes(t.fileName)) ?? ANSWERED_CALLS_WORKBOOK;
}

const TABLE_ROW = 3;

/** Writes the workbook: the note in A1, the table from A3 (an empty data row when there are no rows, as Excel needs one). */
export async function writeWorkbook(file: string, template: WorkbookTemplate, rows: Json[][]): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.creator = 'connector sandbox';
  book.created = book.modified = new Date(Date.UTC(2026, 0, 1));
  const sheet = book.addWorksheet(template.sheet);
  sheet.getCell('A1').value = template.note;
  sheet.getCell('A1').font = { italic: true };
  sheet.addTable({
    name: template.table,
    ref: `A${TABLE_ROW}`,
    headerRow: true,
    style: { theme: 'TableStyleMedium2', showRowStripes: true },
    columns: template.columns.map((name) => ({ name, filterButton: true })),
    rows: rows.length > 0 ? rows : [template.columns.map(() => null)],
  });
  template.columns.forEach((c, i) => (sheet.getColumn(i + 1).width = Math.max(12, c.length + 4, /Started|Answered| At$/.test(c) ? 27 : 0)));
  // Renamed into place: a run stopped while writing leaves the previous workbook, never a truncated one.
  writeFileAtomically(file, new Uint8Array(await book.xlsx.writeBuffer()));
}

export function excelStandIn(file: string, template: WorkbookTemplate = ANSWERED_CALLS_WORKBOOK): StandInApi {
  const rows: Json[][] = [];
  const bind = (what: string, value: Json | undefined, own: string): void => {
    if (typeof value === 'string' && (PICK_IN_DESIGNER.test(value) || value === own)) return;
    throw new ActionFailure(404, `Excel stand-in: ${what} ${JSON.stringify(value ?? null)} is not the local workbook's; leave it PICK-IN-DESIGNER or name "${own}"`);
  };
  const cell = (v: Json | undefined): Json => (v === undefined ? null : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
  /** The row (item) of a call: bound to the workbook, an object of known columns. */
  const itemOf = (call: ApiCall): { [column: string]: Json } => {
    bind('drive', call.params.drive, 'me');
    bind('file', call.params.file, path.basename(file));
    bind('table', call.params.table, template.table);
    const item = call.body;
    if (item === null || item === undefined || typeof item !== 'object' || Array.isArray(item)) throw new ActionFailure(400, 'Excel stand-in: the row (item) must be an object of column values');
    const unknown = Object.keys(item).filter((k) => !template.columns.includes(k));
    if (unknown.length > 0) throw new ActionFailure(400, `Excel stand-in: table ${template.table} has no column ${unknown.map((k) => JSON.stringify(k)).join(', ')} (it has ${template.columns.join(', ')})`);
    return item;
  };
  const asObject = (row: Json[]): { [column: string]: Json } => Object.fromEntries(template.columns.map((c, i) => [c, row[i]]));
  const addRow = (call: ApiCall) => {
    const item = itemOf(call);
    rows.push(template.columns.map((c) => cell(item[c])));
    return ok({ ...item, ItemInternalId: String(rows.length) });
  };
  const updateRow = (call: ApiCall) => {
    const item = itemOf(call);
    const keyColumn = String(call.params.idColumn ?? '');
    const key = String(call.params.id ?? '');
    const at = template.columns.indexOf(keyColumn);
    if (at < 0) throw new ActionFailure(400, `Excel stand-in: table ${template.table} has no key column ${JSON.stringify(keyColumn)} (it has ${template.columns.join(', ')})`);
    const row = rows.find((r) => String(r[at] ?? '') === key);
    if (!row) throw new ActionFailure(404, `Excel stand-in: no row of ${template.table} has ${keyColumn} ${JSON.stringify(key)}`);
    for (const [c, v] of Object.entries(item)) row[template.columns.indexOf(c)] = cell(v);
    return ok({ ...asObject(row), ItemInternalId: String(rows.indexOf(row) + 1) });
  };
  return new StandInApi(
    'excelonlinebusiness',
    'Excel Online (Business) stand-in',
    [
      { operationId: 'AddRowV2', method: 'post', path: '/drives/{drive}/files/{file}/tables/{table}/items', query: ['source'], body: 'item', doubleEncoded: ['file'], run: addRow },
      { operationId: 'PatchItem', method: 'patch', path: '/drives/{drive}/files/{file}/tables/{table}/items/{id}', query: ['source', 'idColumn'], body: 'item', doubleEncoded: ['file'], run: updateRow },
    ],
    { produced: () => ({ label: 'rows', count: rows.length }), close: () => writeWorkbook(file, template, rows) },
  );
}
