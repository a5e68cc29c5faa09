/**
 * One block of Markdown to safe HTML: marked (GitHub-flavoured) with raw HTML shown as text,
 * images shown as links (a remote image would be a request the user never asked for), code blocks
 * highlighted with a Copy button, and DOMPurify over the result as the last word on what may run.
 */
import DOMPurify from 'dompurify';
import { Marked, Renderer, type MarkedExtension, type Tokens } from 'marked';
import { citationExtension } from './citations.js';
import { escapeHtml } from './escape.js';
import { highlightCode } from './highlight.js';

export { escapeHtml };

/** Links may only lead to the web or to mail; everything else (javascript:, data:, file:) is dropped. */
export const SAFE_URL = /^(?:https?:|mailto:)/i;

function safeHref(href: string): string | null {
  const trimmed = href.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

const baseOptions: MarkedExtension = {
  gfm: true,
  breaks: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').split(/\s/)[0] ?? '';
      const highlighted = highlightCode(text, language);
      const body = highlighted ?? escapeHtml(text);
      const label = language ? escapeHtml(language) : 'text';
      return (
        `<div class="code-block"><div class="code-head"><span class="code-lang">${label}</span>` +
        `<button type="button" class="copy-code" data-copy-code aria-label="Copy code">Copy</button></div>` +
        `<pre tabindex="0"><code class="hljs">${body}</code></pre></div>`
      );
    },
    link({ href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      const url = safeHref(href);
      if (!url) return `<span class="unsafe-link">${text}</span>`;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(url)}"${titleAttr} data-external-link>${text}</a>`;
    },
    image({ href, text }: Tokens.Image) {
      const url = safeHref(href);
      const label = escapeHtml(text || 'image');
      if (!url) return `<span class="unsafe-link">${label}</span>`;
      return `<a href="${escapeHtml(url)}" data-external-link>🖼 ${label}</a>`;
    },
    table(token: Tokens.Table) {
      // The default table, wrapped so a wide one scrolls instead of widening the conversation.
      const html = Renderer.prototype.table.call(this.parser.renderer, token);
      return `<div class="table-wrap">${html}</div>`;
    },
  },
};

const marked = new Marked(baseOptions);

const purifyConfig = {
  ALLOWED_URI_REGEXP: SAFE_URL,
  FORBID_TAGS: [
    'style',
    'form',
    'input',
    'textarea',
    'select',
    'iframe',
    'object',
    'embed',
    'img',
    'svg',
    'math',
  ],
  FORBID_ATTR: ['style', 'id', 'name'],
  ALLOW_DATA_ATTR: true,
};

/** Markdown to HTML, not yet sanitized (the part whose cost grows with the text; for the benchmark). */
export function parseMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}

/** Renders one block (or a whole message) of Markdown to sanitized HTML. */
export function renderMarkdown(source: string): string {
  return DOMPurify.sanitize(parseMarkdown(source), purifyConfig);
}

/**
 * A renderer for a grounded answer: like renderMarkdown, with the [n] markers of `sources` (the
 * numbers of the answer's sources) as citation chips. Without sources it is renderMarkdown itself.
 */
export function createMarkdownRenderer(
  sources: ReadonlySet<number> | null = null,
): (source: string) => string {
  if (!sources || sources.size === 0) return renderMarkdown;
  const cited = new Marked(baseOptions, citationExtension(sources));
  return (source) => DOMPurify.sanitize(cited.parse(source, { async: false }), purifyConfig);
}
