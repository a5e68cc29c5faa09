// Live answers with the content they depend on: a scripted test model (it writes a fixed script and
// ends) as the chat model of a real engine, with the real node-llama-cpp, LanceDB and store. The
// model thinks, then answers and cites "[1]" and a made-up "[7]": the thinking must stream and be
// kept apart from the answer, and the citations must be parsed from the streamed answer, checked
// against the sources and mapped to the passage that holds the fact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureScriptedModel,
  KEEPER_ANSWER,
  KEEPER_SCRIPT,
  KEEPER_THOUGHT,
} from '../../../test/support/index.js';
import type { EventPayload } from '../../common/api/contract.js';
import { openGroundedHarness, type GroundedHarness } from './testing.js';

const LIGHTHOUSE =
  '# The lighthouse on Gull Point\n\nThe lighthouse keeper on Gull Point is called Marguerite ' +
  'Okonkwo-Lindqvist.\n';
const MARKET = '# The winter market\n\nTraders sold honey, wool and smoked fish on the frozen pond.\n';

let h: GroundedHarness;

beforeAll(async () => {
  h = await openGroundedHarness({
    chatModel: await ensureScriptedModel({ script: KEEPER_SCRIPT }),
    // No override: each conversation's own sampling (the default preset's temperature 0.7), not
    // greedy: the script must hold under it.
    sampling: {},
  });
  await h.addDocuments('Coast', { 'market.md': MARKET, 'lighthouse.md': LIGHTHOUSE });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

function eventsOf<E extends 'chat.delta' | 'chat.thought' | 'chat.sources'>(
  event: E,
  requestId: string,
): EventPayload<E>[] {
  return h.events
    .filter((e) => e.event === event && (e.payload as { requestId: string }).requestId === requestId)
    .map((e) => e.payload as EventPayload<E>);
}

describe('a scripted reasoning model through the engine', () => {
  it('streams its thinking as chat.thought, apart from the answer, and stores both', async () => {
    const result = await h.call(
      'chat.send',
      { conversationId: 'plain', text: 'Who keeps the lighthouse?', maxTokens: 100 },
      'plain-1',
    );
    expect(result).toMatchObject({ text: KEEPER_ANSWER, thought: KEEPER_THOUGHT, stopReason: 'end' });
    // Streamed piece by piece: the thinking in chat.thought, the answer in chat.delta, never mixed.
    const thoughts = eventsOf('chat.thought', 'plain-1').map((e) => e.text);
    const deltas = eventsOf('chat.delta', 'plain-1').map((e) => e.text);
    expect(thoughts.join('')).toBe(KEEPER_THOUGHT);
    expect(thoughts.length).toBeGreaterThanOrEqual(3);
    expect(deltas.join('')).toBe(KEEPER_ANSWER);
    expect(deltas.length).toBeGreaterThanOrEqual(10);
    // Ungrounded: no sources, so "[1]" is only text.
    expect(result.citations).toBeUndefined();
    const stored = (await h.call('conversations.get', { conversationId: 'plain' })).path.at(-1);
    expect(stored).toMatchObject({
      role: 'assistant',
      text: KEEPER_ANSWER,
      thought: KEEPER_THOUGHT,
      status: 'done',
    });
  });

  it('a follow-up answers again from the stored conversation (the thought is not replayed as text)', async () => {
    const result = await h.call('chat.send', {
      conversationId: 'plain',
      text: 'Are you sure?',
      maxTokens: 100,
    });
    expect(result).toMatchObject({ text: KEEPER_ANSWER, thought: KEEPER_THOUGHT, stopReason: 'end' });
  });

  it('in a grounded chat, cites [1] from the streamed answer, mapped to the passage, and drops the made-up [7]', async () => {
    await h.call('chat.collections.set', { conversationId: 'grounded', collections: ['Coast'] });
    const result = await h.call(
      'chat.send',
      { conversationId: 'grounded', text: 'Who is the lighthouse keeper on Gull Point?', maxTokens: 100 },
      'grounded-1',
    );
    expect(result).toMatchObject({ text: KEEPER_ANSWER, thought: KEEPER_THOUGHT, stopReason: 'end' });
    expect(result.grounding?.mode).toBe('passages');
    // The sources went out before the answer streamed, and [1] is the lighthouse note.
    const kinds = h.events
      .filter((e) => (e.payload as { requestId?: string }).requestId === 'grounded-1')
      .map((e) => e.event)
      .filter((event) => event === 'chat.sources' || event === 'chat.delta');
    expect(kinds[0]).toBe('chat.sources');
    expect(result.sources?.find((s) => s.n === 1)).toMatchObject({ documentName: 'lighthouse.md' });
    expect(result.sources?.find((s) => s.n === 1)?.text).toContain('Marguerite Okonkwo-Lindqvist');
    expect(result.sources?.some((s) => s.n === 7)).toBe(false);
    expect(result.citations).toEqual([1]);
    expect(
      eventsOf('chat.delta', 'grounded-1')
        .map((e) => e.text)
        .join(''),
    ).toBe(KEEPER_ANSWER);
    expect(
      eventsOf('chat.thought', 'grounded-1')
        .map((e) => e.text)
        .join(''),
    ).toBe(KEEPER_THOUGHT);
    const stored = (await h.call('conversations.get', { conversationId: 'grounded' })).path.at(-1);
    expect(stored).toMatchObject({
      text: KEEPER_ANSWER,
      thought: KEEPER_THOUGHT,
      citations: [1],
      sources: result.sources,
    });
  });
});
