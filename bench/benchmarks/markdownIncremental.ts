/**
 * render.markdown.incremental: a 4,000-token Markdown answer rendered token by token the way the
 * chat shows it, with StreamingMarkdown (finished blocks rendered once, only the open last block
 * again) against re-parsing the whole message per token, which grows quadratically. It times
 * parsing and highlighting (marked + highlight.js), the work that grows with the text; DOMPurify
 * then runs over the same HTML in the browser, so it shrinks by the same ratio.
 */
import { parseMarkdown } from '../../renderer/src/features/chat/markdown/render.js';
import { StreamingMarkdown } from '../../renderer/src/features/chat/markdown/StreamingMarkdown.js';
import { figure } from '../stats.js';
import type { Benchmark } from '../types.js';

const TOKENS = 4_000;
const CHARS_PER_TOKEN = 4;
/** The whole-message way is too slow to run for every token: every SAMPLE-th is timed and scaled up. */
const SAMPLE = 20;
/** Unmeasured streamed passes first: the first one or two run several times slower until the JIT settles. */
const WARM_UP_PASSES = 3;

/** A long answer with what chat answers hold: headings, emphasis, lists, code blocks and tables. */
export function answerText(chars: number): string {
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

export const markdownIncremental: Benchmark = {
  name: 'render.markdown',
  figures: ['render.markdown.incremental'],
  description:
    'A 4,000-token Markdown answer rendered per token: block-incremental vs re-parsing the whole message.',
  async run(context) {
    const answer = answerText(TOKENS * CHARS_PER_TOKEN);
    const prefixes = Array.from({ length: TOKENS }, (_, i) => answer.slice(0, (i + 1) * CHARS_PER_TOKEN));
    // Warm-up, unmeasured: marked's and highlight.js's first calls compile their grammars.
    for (let i = 0; i < 50; i += 1) parseMarkdown(prefixes[i * 10] ?? '');
    for (let pass = 0; pass < WARM_UP_PASSES; pass++) {
      const warmUp = new StreamingMarkdown(parseMarkdown);
      for (const prefix of prefixes) warmUp.update(prefix);
    }

    const incremental: number[] = [];
    const whole: number[] = [];
    let blocks = 0;
    for (let run = 0; run < context.repetitions; run++) {
      context.signal.throwIfAborted();
      let started = performance.now();
      const streaming = new StreamingMarkdown(parseMarkdown);
      for (const prefix of prefixes) streaming.update(prefix);
      streaming.update(answer, true);
      incremental.push((performance.now() - started) / TOKENS);
      blocks = streaming.finishedCount;

      started = performance.now();
      for (let i = SAMPLE - 1; i < prefixes.length; i += SAMPLE) parseMarkdown(prefixes[i] ?? '');
      whole.push(((performance.now() - started) * SAMPLE) / TOKENS);
      context.log(
        `render.markdown run ${run + 1}: ${incremental.at(-1)!.toFixed(3)} vs ${whole.at(-1)!.toFixed(3)} ms per token`,
      );
    }
    return [
      figure({
        name: 'render.markdown.incremental',
        unit: 'ms / token',
        values: incremental,
        baselines: whole,
        note:
          `${TOKENS.toLocaleString('en-US')} tokens, ${answer.length.toLocaleString('en-US')} characters, ${blocks} blocks; ` +
          `marked + highlight.js without DOMPurify; the baseline re-parses the whole message per token, ` +
          `timed on every ${SAMPLE}th token and scaled up; after ${WARM_UP_PASSES} unmeasured streamed passes`,
      }),
    ];
  },
};
