// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createMarkdownRenderer, renderMarkdown } from './render.js';
import { StreamingMarkdown } from './StreamingMarkdown.js';

function mount(html: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  return container;
}

function chips(root: HTMLElement): string[] {
  return [...root.querySelectorAll<HTMLElement>('button.cite')].map((chip) => chip.dataset.cite ?? '');
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('citation chips in a grounded answer', () => {
  const render = createMarkdownRenderer(new Set([1, 2, 3]));

  it('turns [n] markers that match a source into labelled buttons, in order', () => {
    const root = mount(render('The fox carried a lantern [1]. Travellers found the village [2][3].'));
    expect(chips(root)).toEqual(['1', '2', '3']);
    const first = root.querySelector('button.cite');
    expect(first?.getAttribute('aria-label')).toBe('Source 1');
    expect(root.textContent).toContain('The fox carried a lantern 1.');
  });

  it('reads a list of numbers in one marker: [1, 3]', () => {
    expect(chips(mount(render('Both say so [1, 3].')))).toEqual(['1', '3']);
  });

  it('never makes a chip for a number that matches no source: it stays plain text', () => {
    const root = mount(render('Invented [7]. Mixed [2, 9].'));
    expect(chips(root)).toEqual(['2']);
    expect(root.textContent).toContain('Invented [7].');
    expect(root.textContent).not.toContain('9');
  });

  it('leaves code, links and reference definitions alone', () => {
    const root = mount(
      render('Use `arr[1]` here.\n\n```js\nconst x = a[2];\n```\n\nSee [1](https://example.com) too.'),
    );
    expect(chips(root)).toEqual([]);
    expect(root.querySelector('p code')?.textContent).toBe('arr[1]');
    expect(root.querySelector('pre code')?.textContent).toContain('a[2]');
    expect(root.querySelector('a')?.textContent).toBe('1');
  });

  it('works inside lists, tables and emphasis', () => {
    const root = mount(render('- first point [1]\n- **second** [2]\n\n| a | b |\n|---|---|\n| x [3] | y |'));
    expect(chips(root)).toEqual(['1', '2', '3']);
  });

  it('an answer without sources renders [n] as ordinary text (no chips)', () => {
    expect(createMarkdownRenderer(null)).toBe(renderMarkdown);
    expect(createMarkdownRenderer(new Set())).toBe(renderMarkdown);
    expect(chips(mount(renderMarkdown('Nothing cited [1].')))).toEqual([]);
  });

  it('chips survive the sanitizer, and a marker cannot smuggle markup', () => {
    const root = mount(render('Fine [1]. <button onclick="x()">[2]</button>'));
    // The model's own tag is shown as text; only the app's chips are buttons.
    expect(root.textContent).toContain('<button onclick="x()">');
    expect(root.querySelectorAll('button')).toHaveLength(2);
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) expect(attribute).not.toMatch(/^on/i);
    }
  });

  it('renders chips block by block while the answer streams', () => {
    const streaming = new StreamingMarkdown(render);
    const early = streaming.update('First claim [1].\n\nSecond cl');
    const late = streaming.update('First claim [1].\n\nSecond claim [2].', true);
    expect(chips(mount(early.map((block) => block.html).join('')))).toEqual(['1']);
    document.body.innerHTML = '';
    expect(chips(mount(late.map((block) => block.html).join('')))).toEqual(['1', '2']);
  });
});
