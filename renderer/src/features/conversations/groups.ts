/**
 * The sidebar's rows: pinned conversations first, then the rest newest first under day headings
 * (Today, Yesterday, Previous 7 days, Previous 30 days, then by month). Flat rows of one height, so a
 * list of 10,000 can be windowed by arithmetic.
 */
import type { ConversationSummary } from '../../../../electron/common/api/contract.js';

export type SidebarRow =
  | { kind: 'heading'; key: string; label: string }
  | { kind: 'conversation'; key: string; conversation: ConversationSummary };

const dayMs = 24 * 60 * 60 * 1000;

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

export function dayGroup(updatedAt: number, now: number): string {
  const today = startOfDay(now);
  if (updatedAt >= today) return 'Today';
  if (updatedAt >= today - dayMs) return 'Yesterday';
  if (updatedAt >= today - 7 * dayMs) return 'Previous 7 days';
  if (updatedAt >= today - 30 * dayMs) return 'Previous 30 days';
  return new Date(updatedAt).toLocaleDateString('en-US', { month: 'long', year: 'numeric' });
}

export function sidebarRows(conversations: readonly ConversationSummary[], now: number): SidebarRow[] {
  const rows: SidebarRow[] = [];
  const pinned = conversations.filter((conversation) => conversation.pinned);
  const rest = conversations
    .filter((conversation) => !conversation.pinned)
    .sort((a, b) => b.updatedAt - a.updatedAt);
  if (pinned.length > 0) {
    rows.push({ kind: 'heading', key: 'h:pinned', label: 'Pinned' });
    for (const conversation of pinned)
      rows.push({ kind: 'conversation', key: conversation.id, conversation });
  }
  let current: string | null = null;
  for (const conversation of rest) {
    const label = dayGroup(conversation.updatedAt, now);
    if (label !== current) {
      rows.push({ kind: 'heading', key: `h:${label}`, label });
      current = label;
    }
    rows.push({ kind: 'conversation', key: conversation.id, conversation });
  }
  return rows;
}

/** The slice of rows to render for a scroll position: those in view plus a few either side. */
export function visibleRange(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  const count = Math.ceil(viewportHeight / rowHeight);
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(rowCount, first + count + overscan),
  };
}

/** A search snippet cut into plain and matched parts, for <mark>. Ranges out of order or bounds are ignored. */
export function snippetParts(
  snippet: string,
  highlights: readonly (readonly [number, number])[],
): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end <= start || end > snippet.length) continue;
    if (start > at) parts.push({ text: snippet.slice(at, start), match: false });
    parts.push({ text: snippet.slice(start, end), match: true });
    at = end;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), match: false });
  return parts;
}
