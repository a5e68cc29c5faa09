import { describe, expect, it } from 'vitest';
import type { Params } from '../../../../electron/common/api/contract.js';
import { ErrorCode, HearthError } from '../../../../electron/common/api/errors.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import type { ChatMessage } from './ChatMessage.svelte.js';
import { Conversation } from './Conversation.svelte.js';

/** A stand-in core that answers with the given words, one delta each, checking in between. */
function scriptedCore(words: string[], between: (index: number) => Promise<void> | void = () => {}) {
  const sent: Params<'chat.send'>[] = [];
  const resets: string[] = [];
  const transport = new LoopbackTransport({
    'chat.send': async (params, call) => {
      sent.push(params);
      let text = '';
      let generated = 0;
      for (const [index, word] of words.entries()) {
        if (call.signal.aborted) break;
        text += word;
        generated += 1;
        call.emit('chat.delta', {
          requestId: call.requestId,
          conversationId: params.conversationId,
          text: word,
        });
        await between(index);
      }
      return {
        conversationId: params.conversationId,
        messageId: 'answer',
        text,
        stopReason: call.signal.aborted ? 'cancelled' : 'end',
        evaluatedPromptTokens: 3,
        generatedTokens: generated,
      };
    },
    'chat.reset': async ({ conversationId }) => {
      resets.push(conversationId);
      return {};
    },
  });
  return { client: new HearthClient(transport), sent, resets };
}

describe('Conversation', () => {
  it('streams deltas into one reply without rebuilding the transcript', async () => {
    const seen: { text: string; transcript: readonly unknown[] }[] = [];
    const core = scriptedCore(['Once', ' upon', ' a', ' time'], () => {
      const reply = conversation.messages.at(-1);
      seen.push({ text: reply?.text ?? '', transcript: conversation.messages });
    });
    const conversation = new Conversation(core.client);

    await conversation.send('Tell me a story', 'tiny');

    expect(seen.map((step) => step.text)).toEqual(['Once', 'Once upon', 'Once upon a', 'Once upon a time']);
    // The same array the whole time: only the streaming message's text changed per delta.
    expect(new Set(seen.map((step) => step.transcript)).size).toBe(1);
    const [question, reply] = conversation.messages;
    expect(question?.role).toBe('user');
    expect(question?.text).toBe('Tell me a story');
    expect(reply?.role).toBe('assistant');
    expect(reply?.author).toBe('tiny');
    expect(reply?.state).toBe('done');
    expect(reply?.stopReason).toBe('end');
    expect(reply?.stats?.generatedTokens).toBe(4);
    expect(conversation.busy).toBe(false);
  });

  it('keeps the partial answer when stopped, and marks it', async () => {
    const core = scriptedCore(['a', 'b', 'c', 'd'], (index) => {
      if (index === 1) conversation.stop();
    });
    const conversation = new Conversation(core.client);
    await conversation.send('go', null);
    const reply = conversation.messages.at(-1);
    expect(reply?.text).toBe('ab');
    expect(reply?.stopReason).toBe('cancelled');
    expect(reply?.state).toBe('done');
  });

  it('sends follow-ups in the same conversation and starts afresh on New chat', async () => {
    const core = scriptedCore(['ok']);
    const conversation = new Conversation(core.client);
    await conversation.send('first', null);
    await conversation.send('second', null);
    const firstId = conversation.id;
    expect(firstId).not.toBeNull();
    expect(core.sent.map((params) => params.conversationId)).toEqual([firstId, firstId]);
    expect(conversation.messages).toHaveLength(4);

    await conversation.startNew();
    expect(conversation.id).toBeNull();
    expect(conversation.messages).toHaveLength(0);
    await conversation.send('third', null);
    expect(conversation.id).not.toBe(firstId);
  });

  it('shows a typed error in place of the answer', async () => {
    const client = new HearthClient(
      new LoopbackTransport({
        'chat.send': async () => {
          throw new HearthError(ErrorCode.NoModelLoaded, 'No model is loaded.');
        },
      }),
    );
    const conversation = new Conversation(client);
    await conversation.send('hello', null);
    const reply = conversation.messages.at(-1);
    expect(reply?.state).toBe('failed');
    expect(reply?.error?.code).toBe(ErrorCode.NoModelLoaded);
    expect(conversation.busy).toBe(false);
  });

  it('ignores an empty message and a second send while one streams', async () => {
    let release: () => void = () => {};
    const core = scriptedCore(['x'], () => new Promise<void>((resolve) => (release = resolve)));
    const conversation = new Conversation(core.client);
    await conversation.send('   ', null);
    expect(conversation.messages).toHaveLength(0);
    const first = conversation.send('one', null);
    await conversation.send('two', null);
    release();
    await first;
    expect(core.sent.map((params) => params.text)).toEqual(['one']);
  });
});

/** A stand-in core that keeps a real message tree, enough to page alternatives and edit branches. */
function treeCore() {
  interface Node {
    id: string;
    parentId: string | null;
    role: 'user' | 'assistant';
    text: string;
  }
  const nodes: Node[] = [];
  let leaf: string | null = null;
  let answers = 0;
  let ids = 0;
  const add = (parentId: string | null, role: Node['role'], text: string) => {
    ids += 1;
    const node = { id: `m${ids}`, parentId, role, text };
    nodes.push(node);
    leaf = node.id;
    return node;
  };
  const byId = (id: string) => nodes.find((node) => node.id === id) as Node;
  const answer = (parentId: string) => {
    answers += 1;
    return add(parentId, 'assistant', `answer ${answers}`);
  };
  const result = (conversationId: string, reply: Node, userMessageId?: string) => ({
    conversationId,
    messageId: reply.id,
    userMessageId,
    text: reply.text,
    stopReason: 'end' as const,
    evaluatedPromptTokens: 1,
    generatedTokens: 2,
    context: { usedTokens: 10 * answers, size: 2048 },
  });
  const path = () => {
    const out: Node[] = [];
    for (let at = leaf; at; at = byId(at).parentId) out.unshift(byId(at));
    return out.map((node) => {
      const siblings = nodes.filter((other) => other.parentId === node.parentId && other.role === node.role);
      return {
        ...node,
        createdAt: 0,
        status: 'done' as const,
        citations: [],
        siblingIds: siblings.map((sibling) => sibling.id),
        siblingIndex: siblings.indexOf(node),
      };
    });
  };
  const conversation = (conversationId: string) => ({
    id: conversationId,
    title: 'Tree',
    createdAt: 0,
    updatedAt: 0,
    pinned: false,
    deletedAt: null,
    messageCount: nodes.length,
    presetId: null,
    modelId: null,
    systemPrompt: '',
    settings: { temperature: 0.7, topK: 40, topP: 0.9, minP: 0.05, maxTokens: null },
    path: path(),
  });
  const transport = new LoopbackTransport({
    'chat.send': async ({ conversationId, text }) => {
      const question = add(leaf, 'user', text);
      return result(conversationId, answer(question.id), question.id);
    },
    'chat.regenerate': async ({ conversationId, messageId }) =>
      result(conversationId, answer(byId(messageId).parentId as string)),
    'chat.edit': async ({ conversationId, messageId, text }) => {
      const question = add(byId(messageId).parentId, 'user', text);
      return result(conversationId, answer(question.id), question.id);
    },
    'conversations.get': async ({ conversationId }) => conversation(conversationId),
    'conversations.switchBranch': async ({ conversationId, messageId }) => {
      // Follow the newest descendant of the chosen message.
      let at = messageId;
      for (;;) {
        const child = nodes.filter((node) => node.parentId === at).at(-1);
        if (!child) break;
        at = child.id;
      }
      leaf = at;
      return conversation(conversationId);
    },
  });
  return new HearthClient(transport);
}

describe('Conversation branches', () => {
  it('regenerates an answer as an alternative and pages between them', async () => {
    const conversation = new Conversation(treeCore());
    await conversation.send('Question', null);
    const first = conversation.messages[1];
    expect(first?.text).toBe('answer 1');
    expect(first?.stored).toBe(true);

    await conversation.regenerate(first as ChatMessage, null);
    const second = conversation.messages[1];
    expect(second?.text).toBe('answer 2');
    expect(second?.siblingIds).toHaveLength(2);
    expect(second?.siblingIndex).toBe(1);
    expect(conversation.context).toEqual({ usedTokens: 20, size: 2048 });

    await conversation.showSibling(second as ChatMessage, -1);
    expect(conversation.messages[1]?.text).toBe('answer 1');
    expect(conversation.messages[1]?.siblingIndex).toBe(0);
  });

  it('edits a sent message into a new branch, keeping the old one reachable', async () => {
    const conversation = new Conversation(treeCore());
    await conversation.send('First try', null);
    await conversation.send('Follow-up', null);
    expect(conversation.messages).toHaveLength(4);

    await conversation.edit(conversation.messages[0] as ChatMessage, 'Second try', null);
    expect(conversation.messages.map((message) => message.text)).toEqual(['Second try', 'answer 3']);
    expect(conversation.messages[0]?.siblingIds).toHaveLength(2);

    await conversation.showSibling(conversation.messages[0] as ChatMessage, -1);
    expect(conversation.messages.map((message) => message.text)).toEqual([
      'First try',
      'answer 1',
      'Follow-up',
      'answer 2',
    ]);
  });
});

describe('Conversation and the loaded model', () => {
  it('marks where the model was switched and goes on in the same conversation', async () => {
    const core = scriptedCore(['ok']);
    const conversation = new Conversation(core.client);
    conversation.followModel('a.gguf', 'A');
    await conversation.send('hi', 'A');
    const firstId = conversation.id;

    conversation.followModel('a.gguf', 'A');
    expect(conversation.messages).toHaveLength(2);

    conversation.followModel(null, null);
    conversation.followModel('b.gguf', 'B');
    expect(conversation.id).toBe(firstId);
    expect(conversation.messages.at(-1)?.role).toBe('divider');
    expect(conversation.messages.at(-1)?.text).toBe('Switched to B. The conversation continues with it.');

    await conversation.send('again', 'B');
    expect(core.sent.map((params) => params.conversationId)).toEqual([firstId, firstId]);
  });

  it('keeps the switch line in place when the stored path is read back after the next answer', async () => {
    const conversation = new Conversation(treeCore());
    conversation.followModel('a.gguf', 'A');
    await conversation.send('Question', 'A');
    conversation.followModel('b.gguf', 'B');
    await conversation.send('Follow-up', 'B');
    expect(conversation.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'divider',
      'user',
      'assistant',
    ]);
    expect(conversation.messages[2]?.text).toBe('Switched to B. The conversation continues with it.');
    expect(conversation.messages.map((message) => message.text).slice(3)).toEqual(['Follow-up', 'answer 2']);
    expect(conversation.messages[4]?.stored).toBe(true);

    await conversation.startNew();
    expect(conversation.messages).toHaveLength(0);
  });

  it('says nothing when the same model comes back after an idle unload', async () => {
    const conversation = new Conversation(scriptedCore(['ok']).client);
    conversation.followModel('a.gguf', 'A');
    await conversation.send('hi', 'A');
    conversation.followModel(null, null);
    conversation.followModel('a.gguf', 'A');
    expect(conversation.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  it('says nothing when the first model is loaded into an empty conversation', () => {
    const conversation = new Conversation(scriptedCore([]).client);
    conversation.followModel(null, null);
    conversation.followModel('a.gguf', 'A');
    expect(conversation.messages).toHaveLength(0);
  });
});

describe('Conversation and a model reloaded by a message', () => {
  it('passes the reload’s progress on before the answer streams', async () => {
    const transport = new LoopbackTransport({
      'chat.send': async (params, call) => {
        call.emit('models.loadProgress', { requestId: call.requestId, modelId: 'a.gguf', progress: 0.5 });
        call.emit('chat.delta', {
          requestId: call.requestId,
          conversationId: params.conversationId,
          text: 'hi',
        });
        return {
          conversationId: params.conversationId,
          messageId: 'answer',
          text: 'hi',
          stopReason: 'end',
          evaluatedPromptTokens: 1,
          generatedTokens: 1,
        };
      },
    });
    const conversation = new Conversation(new HearthClient(transport));
    const seen: [string, number][] = [];
    conversation.onModelLoadProgress = (modelId, progress) => seen.push([modelId, progress]);
    await conversation.send('hello', 'A');
    expect(seen).toEqual([['a.gguf', 0.5]]);
    expect(conversation.messages.at(-1)?.text).toBe('hi');
  });
});
