import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../../electron/common/api/contract.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { ConversationsState } from './ConversationsState.svelte.js';

function summary(id: string, title: string): ConversationSummary {
  return {
    id,
    title,
    createdAt: 1,
    updatedAt: 1,
    pinned: false,
    deletedAt: null,
    messageCount: 2,
    presetId: null,
    modelId: null,
  };
}

/** A stand-in core with a list, a trash and a search that records its queries. */
function listCore() {
  const live = new Map([
    ['a', summary('a', 'Apples')],
    ['b', summary('b', 'Bananas')],
  ]);
  const trash = new Map<string, ConversationSummary>();
  const queries: string[] = [];
  const transport = new LoopbackTransport({
    'conversations.list': async () => [...live.values()],
    'conversations.delete': async ({ conversationId }) => {
      const found = live.get(conversationId);
      if (found) trash.set(conversationId, found);
      live.delete(conversationId);
      return { conversationId, restorableUntil: Date.now() + 1000 };
    },
    'conversations.restore': async ({ conversationId }) => {
      const found = trash.get(conversationId) as ConversationSummary;
      live.set(conversationId, found);
      return found;
    },
    'conversations.search': async ({ query }) => {
      queries.push(query);
      return [];
    },
  });
  return { client: new HearthClient(transport), queries };
}

describe('ConversationsState', () => {
  it('deletes with an undo that brings the conversation back', async () => {
    const core = listCore();
    const state = new ConversationsState(core.client);
    await state.load();
    expect(state.items.map((item) => item.title)).toEqual(['Apples', 'Bananas']);

    await state.remove(state.items[0] as ConversationSummary);
    expect(state.items.map((item) => item.title)).toEqual(['Bananas']);
    expect(state.undo?.title).toBe('Apples');

    await state.restore();
    expect(state.undo).toBeNull();
    expect(state.items.map((item) => item.title).sort()).toEqual(['Apples', 'Bananas']);
  });

  it('searches once the typing pauses, and clears the results with the box', async () => {
    const core = listCore();
    const state = new ConversationsState(core.client);
    state.setQuery('b');
    state.setQuery('ba');
    state.setQuery('ban');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(core.queries).toEqual(['ban']);
    expect(state.hits).toEqual([]);
    state.setQuery('');
    expect(state.hits).toBeNull();
  });
});
