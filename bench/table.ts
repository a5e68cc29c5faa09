/** The Markdown table printed on stdout: one row per figure. */
import type { Figure } from './types.js';

/** Three significant digits, without exponent notation for everyday magnitudes. */
export function formatNumber(value: number | null): string {
  if (value === null) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

export function formatSpread(spread: number): string {
  return `±${(spread * 100).toFixed(1)}%`;
}

function metMark(met: boolean | null): string {
  return met === null ? '' : met ? ' ✓' : ' ✗';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'unit', 'target', 'runs', 'spread'];
  const rows = figures.map((f) => [
    f.name,
    formatNumber(f.value),
    formatNumber(f.baseline),
    formatNumber(f.ratio),
    f.unit,
    `${f.target}${metMark(f.met)}`,
    String(f.runs),
    formatSpread(f.spread),
  ]);
  const lines = [header, header.map(() => '---'), ...rows].map(
    (cells) => `| ${cells.map(escapeCell).join(' | ')} |`,
  );
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.name}: ${f.note}`);
  return [...lines, ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}
