/** Small Markdown helpers shared by the documentation builders: one escaping rule, one table layout. */

/** A table cell: pipes escaped, line breaks flattened, so a description can never break the table. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

/** The inverse of `cell`, used by the documentation cross-checks that parse the Markdown back. */
export function uncell(text: string): string {
  return text.trim().replace(/\\([\\|])/g, '$1');
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map((row) => line(row.map(cell)))].join('\n');
}

/** Splits one table row into its cells, honouring escaped pipes. */
export function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '\\' && i + 1 < inner.length) {
      current += ch + inner[i + 1];
      i++;
    } else if (ch === '|') {
      cells.push(uncell(current));
      current = '';
    } else {
      current += ch;
    }
  }
  cells.push(uncell(current));
  return cells;
}

/** Joins blocks with one blank line between them and ends the document with a single newline. */
export function document(blocks: ReadonlyArray<string | null | undefined | false>): string {
  return blocks.filter((b): b is string => typeof b === 'string' && b.length > 0).join('\n\n') + '\n';
}

export function code(text: string): string {
  return '`' + text + '`';
}
