import { describe, expect, it } from 'vitest';
import { htmlDepth, MAX_HTML_DEPTH } from './html.js';

describe('htmlDepth', () => {
  it('counts element nesting, not void or self-closed elements', () => {
    expect(htmlDepth('<html><body><p>a<br>b<img src="x"/></p></body></html>')).toBe(3);
    expect(htmlDepth('<div><div><div></div></div></div><div></div>')).toBe(3);
    expect(htmlDepth('plain text')).toBe(0);
  });

  it('stops counting just past the limit, so a hostile page costs one scan', () => {
    const deep = `${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}`;
    expect(htmlDepth(deep)).toBe(MAX_HTML_DEPTH + 1);
  });
});
