/** Plain-text formats to blocks: prose paragraphs, Markdown structure, code, CSV rows, JSON leaves. */
import type { TextBuilder } from '../TextBuilder.js';

export function plainText(text: string, out: TextBuilder): void {
  for (const paragraph of text.split(/\n\s*\n/)) out.add('paragraph', paragraph);
}

/** Markdown by lines: ATX headings, fenced code, list items, table rows, paragraphs. */
export function markdown(text: string, out: TextBuilder): void {
  const lines = text.split(/\r?\n/);
  let paragraph: string[] = [];
  const flush = () => {
    out.add('paragraph', paragraph.join('\n'));
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [line];
      while (++i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) code.push(lines[i]!);
      if (i < lines.length) code.push(lines[i]!);
      out.add('code', code.join('\n'));
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      out.add('heading', heading[2]!, { level: heading[1]!.length });
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      flush();
      // A list item runs on over indented continuation lines.
      const item = [line];
      while (
        i + 1 < lines.length &&
        /^\s{2,}\S/.test(lines[i + 1]!) &&
        !/^\s*([-*+]|\d+[.)])\s+/.test(lines[i + 1]!)
      )
        item.push(lines[++i]!);
      out.add('list-item', item.join('\n'));
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      flush();
      if (!/^\s*\|[\s:|-]+\|\s*$/.test(line)) out.add('table-row', line);
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
}

/** Source code: blank-line-separated stretches stay whole (functions, classes). */
export function code(text: string, out: TextBuilder): void {
  for (const part of text.split(/\n\s*\n/)) out.add('code', part);
}

/** CSV/TSV: one block per row, each prefixed by the header so a row reads on its own. */
export function csv(text: string, out: TextBuilder, separator: string): void {
  const rows = text.split(/\r?\n/).filter((row) => row.trim() !== '');
  const header = rows[0];
  if (header === undefined) return;
  out.add('table-row', header);
  const names = splitRow(header, separator);
  for (const row of rows.slice(1)) {
    const cells = splitRow(row, separator);
    const labelled = names.length === cells.length ? cells.map((cell, i) => `${names[i]}: ${cell}`) : cells;
    out.add('table-row', labelled.join(separator === '\t' ? '\t' : ', '));
  }
}

function splitRow(row: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (ch === '"') {
      if (quoted && row[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === separator && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** JSON: each leaf as `path: value`, so keys stay with their values; lines of JSONL one by one. */
export function json(text: string, out: TextBuilder): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    for (const line of lines) out.add('code', line);
    return;
  }
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (node !== null && typeof node === 'object')
      for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key);
    else out.add('table-row', `${path || '(value)'}: ${String(node)}`);
  };
  visit(value, '');
}
