// Whole-document questions and a small context through the engine, on the real generated chat
// model: read part by part with progress, stoppable with the ordinary stop, never over the context.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../common/api/contract.js';
import { openGroundedHarness, type GroundedHarness } from './testing.js';

const CONTEXT = 768;
const HANDBOOK =
  '# Handbook\n\n' +
  Array.from(
    { length: 3 },
    (_, c) =>
      `## Chapter ${c + 1}\n\n` +
      Array.from(
        { length: 4 },
        (_, p) =>
          `Paragraph ${p + 1} of chapter ${c + 1}: the deadline for form ${c * 4 + p + 1} is day ${c * 4 + p + 7} ` +
          'of the season; late forms go back to the sender with a note that explains what was missing.',
      ).join('\n\n'),
  ).join('\n\n');
const FLEET = Array.from(
  { length: 10 },
  (_, i) =>
    `## Ship ${i + 1}\n\nThe Zephyrine ship ${i + 1} carries ${i + 3} crates of slate from Port ${i + 1}.`,
).join('\n\n');

let h: GroundedHarness;

beforeAll(async () => {
  h = await openGroundedHarness({ contextSize: CONTEXT, chunking: { maxTokens: 128, overlapTokens: 0 } });
  await h.addDocuments('Books', { 'handbook.md': HANDBOOK, 'fleet.md': `# Fleet\n\n${FLEET}\n` });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const progressOf = (requestId: string) =>
  h.events
    .filter(
      (e) => e.event === 'chat.progress' && (e.payload as { requestId: string }).requestId === requestId,
    )
    .map((e) => e.payload as EventPayload<'chat.progress'>);

describe('whole-document questions on a small context', () => {
  it('reads every chunk of the document, part by part, with progress', async () => {
    await h.call('chat.collections.set', { conversationId: 'whole', collections: ['Books'] });
    const handbook = (await h.call('library.documents', { collection: 'Books' })).find(
      (d) => d.name === 'handbook.md',
    )!;
    const { requestId, result } = h.start('chat.send', {
      conversationId: 'whole',
      text: 'List every deadline in handbook.md',
      maxTokens: 16,
    });
    const answer = await result;
    expect(answer.grounding).toMatchObject({
      mode: 'whole-document',
      mapReduce: true,
      chunksRead: handbook.chunkCount,
    });
    expect(answer.sources?.map((s) => s.documentName)).toEqual(
      Array(handbook.chunkCount).fill('handbook.md'),
    );
    expect(answer.context!.usedTokens).toBeLessThanOrEqual(CONTEXT);
    const mapping = progressOf(requestId).filter((p) => p.stage === 'mapping');
    expect(mapping.at(-1)?.done).toBe(mapping.at(-1)?.total);
    expect(mapping.at(-1)?.total).toBeGreaterThan(1);
  });

  it('stops reading at the ordinary stop, and the answer ends as stopped', async () => {
    await h.call('chat.collections.set', { conversationId: 'stop', collections: ['Books'] });
    const { requestId, result } = h.start('chat.send', {
      conversationId: 'stop',
      text: 'Summarize handbook.md',
      maxTokens: 16,
    });
    const stopped = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (progressOf(requestId).some((p) => p.stage === 'mapping' && p.done >= 1)) {
          clearInterval(timer);
          void h.call('chat.reset', { conversationId: 'stop' }).then(() => resolve());
        }
      }, 5);
    });
    const answer = await result;
    await stopped;
    expect(answer.stopReason).toBe('cancelled');
    const mapping = progressOf(requestId).filter((p) => p.stage === 'mapping');
    expect(mapping.at(-1)!.done).toBeLessThan(mapping.at(-1)!.total);
    // The conversation works on afterwards.
    const next = await h.call('chat.send', {
      conversationId: 'stop',
      text: 'Which Zephyrine ship carries slate?',
      maxTokens: 4,
    });
    expect(next.stopReason).not.toBe('cancelled');
  });

  it('gives fewer passages to a small context, never more than it holds', async () => {
    await h.call('chat.collections.set', { conversationId: 'small', collections: ['Books'] });
    const answer = await h.call('chat.send', {
      conversationId: 'small',
      text: 'Which Zephyrine ship carries crates of slate from Port 4?',
      maxTokens: 32,
    });
    expect(answer.grounding).toMatchObject({ mode: 'passages' });
    expect(answer.grounding!.omittedSources).toBeGreaterThan(0);
    expect(answer.context!.usedTokens).toBeLessThanOrEqual(CONTEXT);
    // The question itself was never cut to make room.
    expect(answer.notice ?? '').not.toMatch(/too long/);
    expect(answer.notice).toMatch(/held \d+ of the \d+ best passages/);
  });
});
