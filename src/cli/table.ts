// Aligned plain-text tables for people; scripts use --json instead. Numbers align right.
export interface Column {
  title: string;
  align?: 'left' | 'right';
}

export type Cell = string | number | bigint | null | undefined;

function text(cell: Cell): string {
  if (cell === null || cell === undefined) return '-';
  return String(cell);
}

/** The rows under a header line, columns two spaces apart, trailing spaces trimmed. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((row) => columns.map((_, i) => text(row[i])));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.title)), ...cells.map(line)].join('\n')}\n`;
}
