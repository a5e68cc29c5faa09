/**
 * Streaming Markdown: a 4,000-token answer rendered token by token, the way the chat shows it.
 * Compares re-rendering the whole message per token (what the issue warns against) with
 * StreamingMarkdown, which renders finished blocks once and re-renders only the open last block.
 * It times parsing and highlighting (marked + highlight.js), the work that grows with the text; DOMPurify
 * then runs over the same HTML in the browser, so it shrinks by the same ratio.
 * Run: npm run bench -- markdownStreaming
 * Type-checked with the renderer (tsconfig.web.json): it runs the renderer's own modules.
 */
import { parseMarkdown } from '../renderer/src/features/chat/markdown/render.js';
import { StreamingMarkdown } from '../renderer/src/features/chat/markdown/StreamingMarkdown.js';

const TOKENS = 4_000;
const CHARS_PER_TOKEN = 4;

function answerText(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let section = 1; length < chars; section += 1) {
    const part = [
      `## Step ${section}`,
      'Here is what happens next, explained with **emphasis**, `inline code` and a [link](https://example.com).',
      '- first point about the design\n- second point with more detail\n- third point',
      '```ts\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n```',
      '| name | value |\n|---|---|\n| alpha | 1 |\n| beta | 2 |',
    ].join('\n\n');
    parts.push(part);
    length += part.length + 2;
  }
  return parts.join('\n\n').slice(0, chars);
}

const answer = answerText(TOKENS * CHARS_PER_TOKEN);
const prefixes = Array.from({ length: TOKENS }, (_, i) => answer.slice(0, (i + 1) * CHARS_PER_TOKEN));

// Warm up both paths.
for (let i = 0; i < 50; i += 1) parseMarkdown(prefixes[i * 10] ?? '');

let started = performance.now();
const streaming = new StreamingMarkdown(parseMarkdown);
for (const prefix of prefixes) streaming.update(prefix);
streaming.update(answer, true);
const incrementalMs = performance.now() - started;

// The whole-message way is too slow to run for every token: time every 20th and scale up.
const SAMPLE = 20;
started = performance.now();
for (let i = SAMPLE - 1; i < prefixes.length; i += SAMPLE) parseMarkdown(prefixes[i] ?? '');
const wholeMs = (performance.now() - started) * SAMPLE;

const format = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
console.log(
  `answer: ${TOKENS.toLocaleString('en-US')} tokens, ${answer.length.toLocaleString('en-US')} characters, ${streaming.finishedCount} blocks`,
);
console.log(
  `re-render the whole message per token: ${format(wholeMs)} (${(wholeMs / TOKENS).toFixed(2)} ms per token, estimated from every ${SAMPLE}th)`,
);
console.log(
  `StreamingMarkdown (finished blocks once):  ${format(incrementalMs)} (${(incrementalMs / TOKENS).toFixed(2)} ms per token)`,
);
console.log(
  `ratio: ${(wholeMs / incrementalMs).toFixed(1)}x less work; the chat also renders at most once per frame`,
);
