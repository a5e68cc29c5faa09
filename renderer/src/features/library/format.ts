/** Words and numbers for the library views. */
import type { IngestOverall, IngestState, Passage } from '../../../../electron/common/api/contract.js';

export const stateLabels: Record<IngestState, string> = {
  queued: 'Queued',
  reading: 'Reading',
  indexing: 'Indexing',
  ready: 'Ready',
  skipped: 'Skipped',
  failed: 'Failed',
};

/** "about 2 min left", "12 s left"; null when there is nothing to estimate from yet. */
export function formatEta(seconds: number | undefined): string | null {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return `about ${hours} h ${minutes} min left`;
}

/** "3 of 10 files", "1 skipped", "2 failed" joined for the progress line. */
export function formatCounts(overall: IngestOverall): string {
  const done = overall.ready + overall.skipped + overall.failed;
  const parts = [`${done} of ${overall.total} ${overall.total === 1 ? 'file' : 'files'}`];
  if (overall.skipped > 0) parts.push(`${overall.skipped} skipped`);
  if (overall.failed > 0) parts.push(`${overall.failed} failed`);
  return parts.join(' · ');
}

export function formatPercent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/** "just now", "5 min ago", "3 h ago", else the date. */
export function formatIndexedAt(iso: string, now = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = Math.max(0, (now - time) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(time).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Where in its document a passage is: "p. 4 · Setup › Install", or the heading path alone. */
export function passageLocation(passage: Pick<Passage, 'page' | 'headingPath'>): string {
  const parts: string[] = [];
  if (passage.page !== undefined) parts.push(`p. ${passage.page}`);
  if (passage.headingPath.length > 0) parts.push(passage.headingPath.join(' › '));
  return parts.join(' · ');
}

/** Scores differ by mode (RRF, similarity, BM25): shown with enough digits to compare within a list. */
export function formatScore(score: number): string {
  if (score === 0) return '0';
  const magnitude = Math.abs(score);
  return magnitude >= 10 ? score.toFixed(1) : magnitude >= 0.1 ? score.toFixed(2) : score.toPrecision(2);
}

const kindLabels: Record<string, string> = {
  markdown: 'MD',
  text: 'TXT',
  code: 'CODE',
  html: 'HTML',
  json: 'JSON',
  csv: 'CSV',
  epub: 'EPUB',
};

/** A short badge for a document's kind: "PDF", "DOCX", "MD". */
export function kindLabel(kind: string): string {
  return kindLabels[kind] ?? kind.slice(0, 4).toUpperCase();
}

export function chunkCountText(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'passage' : 'passages'}`;
}
