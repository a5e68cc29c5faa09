/** A conversation title from the user's first message: its first line, cleaned, cut at a word. */
const MAX_TITLE_CHARS = 60;

export function titleFromMessage(text: string): string {
  const firstLine =
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? '';
  const clean = firstLine
    // Markdown decoration that says nothing in a title.
    .replace(/^#{1,6}\s+|^[-*>]\s+|[`*_~]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= MAX_TITLE_CHARS) return clean || 'New chat';
  const cut = clean.slice(0, MAX_TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}
