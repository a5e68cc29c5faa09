// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openExternalLink } from './links.js';
import { renderMarkdown } from './render.js';
import { StreamingMarkdown } from './StreamingMarkdown.js';

/** Puts rendered HTML into the live document, as the app does, and returns its container. */
function mount(html: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  return container;
}

afterEach(() => {
  document.body.innerHTML = '';
  delete (window as unknown as { pwned?: boolean }).pwned;
});

describe('renderMarkdown: what a model writes is shown, never run', () => {
  it('renders headings, lists, tables, emphasis and code', () => {
    const html = renderMarkdown(
      '# Title\n\n- one\n- **two**\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSome `code`.',
    );
    const root = mount(html);
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelectorAll('ul li')).toHaveLength(2);
    expect(root.querySelector('strong')?.textContent).toBe('two');
    expect(root.querySelectorAll('ol li')).toHaveLength(2);
    expect(root.querySelector('.table-wrap table td')?.textContent).toBe('1');
    expect(root.querySelector('p code')?.textContent).toBe('code');
  });

  it('shows script tags as text and never runs them', () => {
    const root = mount(renderMarkdown('Hello <script>window.pwned = true</script> there'));
    expect(root.querySelector('script')).toBeNull();
    expect(root.textContent).toContain('<script>window.pwned = true</script>');
    expect((window as unknown as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('drops event-handler attributes and the elements that carry them', () => {
    const payloads = [
      '<img src=x onerror="window.pwned = true">',
      '<svg onload="window.pwned = true"></svg>',
      '<a href="https://example.com" onclick="window.pwned = true">x</a>',
      '<div onmouseover="window.pwned=true">hover</div>',
      '<iframe srcdoc="<script>parent.pwned=true</script>"></iframe>',
    ];
    for (const payload of payloads) {
      const root = mount(renderMarkdown(`before\n\n${payload}\n\nafter`));
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.getAttributeNames()) expect(attribute).not.toMatch(/^on/i);
      }
      expect(root.querySelector('img, svg, iframe, script')).toBeNull();
    }
  });

  it('turns javascript:, data: and vbscript: links into inert text', () => {
    const sources = [
      '[click](javascript:window.pwned=true)',
      '[click](JaVaScRiPt:alert(1))',
      '[click](  javascript:alert(1))',
      '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[click](vbscript:msgbox(1))',
      '<javascript:alert(1)>',
      '![x](javascript:alert(1))',
    ];
    for (const source of sources) {
      const root = mount(renderMarkdown(source));
      const hrefs = [...root.querySelectorAll('[href]')].map((element) => element.getAttribute('href'));
      expect(hrefs.filter((href) => !/^(https?:|mailto:)/i.test(href ?? ''))).toEqual([]);
    }
  });

  it('keeps web links, marked for confirmation, and shows images as links instead of loading them', () => {
    const root = mount(
      renderMarkdown('[docs](https://example.com/a?b=1) and ![cat](https://example.com/cat.png)'),
    );
    const links = root.querySelectorAll('a');
    expect(links).toHaveLength(2);
    expect(links[0]?.getAttribute('href')).toBe('https://example.com/a?b=1');
    expect(links[0]?.hasAttribute('data-external-link')).toBe(true);
    expect(links[0]?.hasAttribute('target')).toBe(false);
    expect(root.querySelector('img')).toBeNull();
    expect(links[1]?.textContent).toContain('cat');
  });

  it('renders a huge table in a scrolling box, with the markup in its cells stripped', () => {
    const columns = 20;
    const rows = 200;
    const header = `| ${Array.from({ length: columns }, (_, i) => `c${i}`).join(' | ')} |`;
    const rule = `|${'---|'.repeat(columns)}`;
    const row = `| ${Array.from({ length: columns }, () => '<b onclick=x>v</b>').join(' | ')} |`;
    const source = [header, rule, ...Array.from({ length: rows }, () => row)].join('\n');
    const root = mount(renderMarkdown(source));
    expect(root.querySelectorAll('.table-wrap tbody tr')).toHaveLength(rows);
    expect(root.querySelector('b')).toBeNull();
  });

  it('renders an unterminated code fence as code, with what follows kept inside it', () => {
    const root = mount(
      renderMarkdown('Look:\n\n```html\n<script>window.pwned = true</script>\n<img src=x onerror=alert(1)>'),
    );
    const code = root.querySelector('.code-block code');
    expect(code?.textContent).toContain('<script>window.pwned = true</script>');
    expect(root.querySelector('script, img')).toBeNull();
    expect(root.querySelector('.code-lang')?.textContent).toBe('html');
    expect(root.querySelector('[data-copy-code]')?.getAttribute('aria-label')).toBe('Copy code');
  });

  it('highlights known languages and leaves unknown ones as plain escaped text', () => {
    const known = mount(renderMarkdown('```ts\nconst x: number = 1;\n```'));
    expect(known.querySelector('.hljs-keyword')?.textContent).toBe('const');
    const unknown = mount(renderMarkdown('```klingon\n<b>qapla</b>\n```'));
    expect(unknown.querySelector('code')?.textContent).toBe('<b>qapla</b>');
    expect(unknown.querySelector('code b')).toBeNull();
  });
});

describe('openExternalLink', () => {
  it('opens a web link only after the user confirms, with no opener', () => {
    const open = vi.fn();
    expect(openExternalLink('https://example.com', { confirm: () => false, open })).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(openExternalLink('https://example.com', { confirm: () => true, open })).toBe(true);
    expect(open).toHaveBeenCalledWith('https://example.com', '_blank', 'noopener,noreferrer');
  });

  it('never opens javascript: or other schemes, even when confirmed', () => {
    const open = vi.fn();
    const confirm = vi.fn(() => true);
    for (const href of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
    ]) {
      expect(openExternalLink(href, { confirm, open })).toBe(false);
    }
    expect(confirm).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
  });
});

describe('StreamingMarkdown', () => {
  it('renders each finished block once while the answer streams', () => {
    const markdown = new StreamingMarkdown();
    const answer =
      '# Plan\n\nFirst paragraph here.\n\n- a\n- b\n\n```js\nlet x = 1;\n\nlet y = 2;\n```\n\nDone.';
    const seen: string[][] = [];
    for (let end = 1; end <= answer.length; end += 1) {
      seen.push(markdown.update(answer.slice(0, end)).map((block) => block.key));
    }
    const final = markdown.update(answer, true);
    // Heading, paragraph, list and code block are finished; "Done." is the open tail.
    expect(markdown.finishedCount).toBe(4);
    expect(final.map((block) => block.key)).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4:open']);
    const root = mount(final.map((block) => block.html).join(''));
    // The blank line inside the fence did not split the code block.
    expect(root.querySelectorAll('.code-block')).toHaveLength(1);
    expect(root.querySelector('code')?.textContent).toBe('let x = 1;\n\nlet y = 2;');
    // Keys only ever grow: a finished block is never rendered again under a new key.
    const keys = new Set(seen.flat().filter((key) => !key.endsWith(':open')));
    expect([...keys]).toEqual(['0:0', '0:1', '0:2', '0:3']);
  });

  it('starts over when the text is rewritten rather than extended', () => {
    const markdown = new StreamingMarkdown();
    markdown.update('One.\n\nTwo.\n\nThree');
    const rewritten = markdown.update('Uno.\n\nDos.\n\nThree', true);
    expect(rewritten.map((block) => block.html).join('')).toContain('Uno.');
    expect(rewritten.map((block) => block.html).join('')).not.toContain('One.');
  });

  it('parses work proportional to the new text, not to the whole message, per update', () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4);
    const answer = Array.from({ length: 120 }, (_, i) => `Point ${i}: ${paragraph}`).join('\n\n');
    let parsedChars = 0;
    const markdown = new StreamingMarkdown((source) => {
      parsedChars += source.length;
      return source;
    });
    const step = 5; // about one token
    for (let end = step; end < answer.length; end += step) markdown.update(answer.slice(0, end));
    markdown.update(answer, true);
    expect(markdown.finishedCount).toBe(119);
    // Re-parsing everything per token would parse about answer.length² / (2 * step) characters
    // (over 80 million here); re-parsing only the open block stays within a small multiple of the answer.
    expect(parsedChars).toBeLessThan(answer.length * 40);
  });
});
