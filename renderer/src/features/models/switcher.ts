/**
 * The quick switcher's filtering and keyboard selection, kept out of the component so it reads as
 * plain rules and is tested without a browser.
 */

export interface SwitcherItem {
  id: string;
  /** What the user reads and types against. */
  label: string;
  /** Extra words that also match (file name, quantization, architecture). */
  keywords?: string;
}

/**
 * Every query word must appear in the label or the keywords (case-insensitive), in any order.
 * Items whose label starts with the query come first; otherwise the given order stays.
 */
export function filterItems<T extends SwitcherItem>(items: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  const matched = items.filter((item) => {
    const haystack = `${item.label} ${item.keywords ?? ''}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  const start = query.trim().toLowerCase();
  const rank = (item: T) => (item.label.toLowerCase().startsWith(start) ? 0 : 1);
  return matched
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

/** The next highlighted index after an arrow key, wrapping at both ends; -1 when nothing is listed. */
export function moveSelection(
  current: number,
  count: number,
  key: 'ArrowDown' | 'ArrowUp' | 'Home' | 'End',
): number {
  if (count === 0) return -1;
  switch (key) {
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'ArrowDown':
      return current < 0 ? 0 : (current + 1) % count;
    case 'ArrowUp':
      return current < 0 ? count - 1 : (current - 1 + count) % count;
  }
}
