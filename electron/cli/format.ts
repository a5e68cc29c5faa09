/** Text for people: sizes, counts and the models table. */
import type { ModelEntry } from '../common/api/contract.js';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 260000 -> 260K, 7241732096 -> 7.2B. */
export function formatCount(count: number): string {
  const steps: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of steps) {
    if (count >= size) {
      const value = count / size;
      return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)}${suffix}`;
    }
  }
  return String(count);
}

const columns = ['ID', 'NAME', 'SIZE', 'ARCH', 'PARAMS', 'QUANT', 'CTX'] as const;

function row(model: ModelEntry): string[] {
  const size = formatBytes(model.sizeBytes);
  // The reason runs on from the ARCH column: it is the last cell of its row, so it widens nothing.
  if (!model.usable)
    return [model.id, model.name ?? '-', size, `unusable: ${model.problem ?? 'unknown problem'}`];
  return [
    model.id,
    model.name ?? '-',
    size,
    model.architecture ?? '-',
    model.parameterCount === undefined ? '-' : formatCount(model.parameterCount),
    model.quantization ?? '-',
    model.contextLength === undefined ? '-' : String(model.contextLength),
  ];
}

/** An aligned table; an unusable file's reason takes the place of its metadata. */
export function formatModelTable(models: readonly ModelEntry[]): string {
  const rows = [[...columns], ...models.map(row)];
  // A row's last cell runs on, so only the cells before it set a column's width.
  const widths = columns.map((_, column) =>
    Math.max(...rows.map((cells) => (column < cells.length - 1 ? (cells[column]?.length ?? 0) : 0))),
  );
  return rows
    .map((cells) =>
      cells
        .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n');
}
