/** HTML to blocks: headings, paragraphs, list items, code and table rows, in reading order. */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { TextBuilder } from '../TextBuilder.js';

const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
]);
const CONTAINERS = new Set([
  'div',
  'section',
  'article',
  'main',
  'body',
  'ul',
  'ol',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'figure',
  'dl',
  'html',
]);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

function textOf(node: DomNode): string {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Walks an element tree; loose inline text between blocks becomes a paragraph. */
export function walkHtml(root: DomNode, out: TextBuilder, page?: number): void {
  let loose = '';
  const flush = () => {
    out.add('paragraph', loose.replace(/\s+/g, ' '), { page });
    loose = '';
  };
  for (const child of Array.from(root.childNodes)) {
    if (child.nodeType === 3) {
      loose += child.textContent ?? '';
      continue;
    }
    if (child.nodeType !== 1) continue;
    const tag = child.nodeName.toLowerCase();
    if (SKIP.has(tag)) continue;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      flush();
      out.add('heading', textOf(child), { level: Number(heading[1]), page });
    } else if (
      tag === 'p' ||
      tag === 'blockquote' ||
      tag === 'dd' ||
      tag === 'dt' ||
      tag === 'figcaption' ||
      tag === 'caption'
    ) {
      flush();
      out.add('paragraph', textOf(child), { page });
    } else if (tag === 'li') {
      flush();
      out.add('list-item', textOf(child), { page });
    } else if (tag === 'pre') {
      flush();
      out.add('code', child.textContent ?? '', { page });
    } else if (tag === 'tr') {
      flush();
      const cells = Array.from(child.childNodes)
        .filter((cell) => cell.nodeType === 1)
        .map(textOf);
      out.add('table-row', cells.join(' | '), { page });
    } else if (CONTAINERS.has(tag) || hasBlockChild(child)) {
      flush();
      walkHtml(child, out, page);
    } else {
      loose += ` ${child.textContent ?? ''} `;
    }
  }
  flush();
}

const BLOCK_TAGS = /^(p|div|h[1-6]|li|ul|ol|pre|table|tr|section|article|blockquote)$/;
function hasBlockChild(node: DomNode): boolean {
  return Array.from(node.childNodes).some(
    (c) => c.nodeType === 1 && BLOCK_TAGS.test(c.nodeName.toLowerCase()),
  );
}

/** Elements that never hold children, so they never deepen the tree. */
const VOID_TAGS = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
/** Deeper than this, the tree walks (ours and Readability's) turn quadratic: 100,000 nested divs hung. */
export const MAX_HTML_DEPTH = 2_000;

/** The deepest element nesting in `html`, by a scan of its tags (no DOM), capped at `limit + 1`. */
export function htmlDepth(html: string, limit = MAX_HTML_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, tag = '', selfClosing] = match;
    if (VOID_TAGS.has(tag.toLowerCase()) || selfClosing) continue;
    depth = closing ? Math.max(0, depth - 1) : depth + 1;
    if (depth > deepest && (deepest = depth) > limit) return deepest;
  }
  return deepest;
}

/** Text only, for markup too deeply nested to walk: tags out, entities left as written. */
function htmlAsPlainText(html: string, out: TextBuilder, page?: number): void {
  const text = html
    .replace(/<(script|style|noscript|template)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ');
  for (const paragraph of text.split(/\n\s*\n/))
    out.add('paragraph', paragraph.replace(/\s+/g, ' ').trim(), { page });
}

/** A web page's main content (Readability), falling back to its body without navigation. */
export function htmlMainContent(html: string, out: TextBuilder): void {
  if (htmlDepth(html) > MAX_HTML_DEPTH) return htmlAsPlainText(html, out);
  const { document } = parseHTML(html);
  let root: DomNode = document.body as unknown as DomNode;
  try {
    const article = new Readability(document.cloneNode(true) as unknown as Document).parse();
    if (article?.content && (article.textContent ?? '').trim().length > 0) {
      const title = article.title?.trim();
      if (title) out.add('heading', title, { level: 1 });
      root = parseHTML(`<html><body>${article.content}</body></html>`).document.body as unknown as DomNode;
    }
  } catch {
    // Readability gives up on odd markup; the whole body (minus navigation) is the fallback.
  }
  if (root) walkHtml(root, out);
}

/** A fragment we produced or trust (mammoth's DOCX output, EPUB chapters): every block, no Readability. */
export function htmlAllContent(html: string, out: TextBuilder, page?: number): void {
  if (htmlDepth(html) > MAX_HTML_DEPTH) return htmlAsPlainText(html, out, page);
  const { document } = parseHTML(html.includes('<body') ? html : `<html><body>${html}</body></html>`);
  const body = (document.body ?? document.documentElement) as unknown as DomNode | null;
  if (body) walkHtml(body, out, page);
}
