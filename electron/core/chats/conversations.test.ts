// Conversations end to end on the real node-llama-cpp with the generated test model: the
// message tree (regenerate, edit, switch branch, continue), restoring from the store after a
// restart, context overflow, thinking kept apart, auto-titles.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QwenChatWrapper, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../test/support/index.js';
import type { EventName, EventPayload } from '../../common/api/contract.js';
import type { CallContext } from '../../common/api/dispatch.js';
import { InvalidOperationError, MessageNotFoundError } from '../errors/index.js';
import { ModelHost } from '../inference/ModelHost.js';
import { createLlamaRuntime } from '../inference/runtime.js';
import { ChatService, type ChatServiceOptions } from './ChatService.js';
import { countHistoryTokens, fitHistory } from './contextWindow.js';
import { ConversationService } from './ConversationService.js';
import { PresetStore } from './PresetStore.js';
import { ConversationStore } from './store/ConversationStore.js';

let llama: Llama;
let modelPath: string;
let dir: string;

interface Setup {
  host: ModelHost;
  store: ConversationStore;
  chats: ChatService;
  conversations: ConversationService;
}
let setup: Setup;

async function start(options: Partial<ChatServiceOptions> = {}, path = modelPath): Promise<Setup> {
  const store = (await ConversationStore.open({ dir })).store;
  const presets = await PresetStore.open(dir);
  // The host stops the chats before it unloads (chats is set before any unload).
  const host = new ModelHost({
    runtime: async () => llama,
    threads: 1,
    beforeUnload: () => chats.resetAll(),
  });
  const chats: ChatService = new ChatService(host, { store, presets, ...options });
  const conversations = new ConversationService({ store, isRunning: (id) => chats.isRunning(id) });
  await host.load({ id: 'test', path });
  return { host, store, chats, conversations };
}

async function stop(current: Setup): Promise<void> {
  await current.host.dispose();
  await current.store.close();
}

beforeAll(async () => {
  llama = await createLlamaRuntime();
  modelPath = await ensureTestModel();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-conversations-'));
  setup = await start();
});
afterEach(async () => {
  await stop(setup);
  await rm(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await llama.dispose();
});

interface Call extends CallContext {
  events: Array<{ event: EventName; payload: unknown }>;
  deltas(): string;
  thoughts(): string;
}

let nextId = 0;
function call(): Call {
  const events: Call['events'] = [];
  const of = (name: EventName) =>
    events
      .filter((e) => e.event === name)
      .map((e) => (e.payload as EventPayload<'chat.delta'>).text)
      .join('');
  return {
    requestId: `r${++nextId}`,
    signal: new AbortController().signal,
    events,
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      events.push({ event, payload });
    },
    deltas: () => of('chat.delta'),
    thoughts: () => of('chat.thought'),
  };
}

describe('branching', () => {
  it('regenerate adds a sibling answer, reusing the prompt in the KV cache; switching pages back', async () => {
    const { chats, conversations } = setup;
    const first = await chats.send(
      { conversationId: 'c', text: 'Tell me about the sea.', maxTokens: 12 },
      call(),
    );
    const again = call();
    const second = await chats.regenerate(
      { conversationId: 'c', messageId: first.messageId, maxTokens: 12 },
      again,
    );
    expect(second.messageId).not.toBe(first.messageId);
    expect(second.userMessageId).toBeUndefined();
    // The question is already in the sequence: only a token or two is evaluated again.
    expect(second.evaluatedPromptTokens).toBeLessThan(first.evaluatedPromptTokens / 4);
    expect(again.events[0]).toMatchObject({
      event: 'chat.started',
      payload: { messageId: second.messageId, parentId: first.userMessageId },
    });

    let view = await conversations.get('c');
    expect(view.path.map((m) => m.id)).toEqual([first.userMessageId, second.messageId]);
    expect(view.path[1]).toMatchObject({ siblingIds: [first.messageId, second.messageId], siblingIndex: 1 });
    expect(view.path[1]?.text).toBe(second.text);

    view = await conversations.switchBranch('c', first.messageId);
    expect(view.path.map((m) => m.id)).toEqual([first.userMessageId, first.messageId]);
    expect(view.path[1]).toMatchObject({ siblingIndex: 0, text: first.text });
    await expect(
      chats.regenerate({ conversationId: 'c', messageId: first.userMessageId ?? '' }, call()),
    ).rejects.toBeInstanceOf(InvalidOperationError);
    await expect(conversations.switchBranch('c', 'nope')).rejects.toBeInstanceOf(MessageNotFoundError);
  });

  it('edit sends a sibling of the user message; the old branch, with what followed it, stays reachable', async () => {
    const { chats, conversations } = setup;
    const a = await chats.send({ conversationId: 'e', text: 'The river.', maxTokens: 4 }, call());
    const b = await chats.send({ conversationId: 'e', text: 'And the hills?', maxTokens: 4 }, call());
    const edited = await chats.edit(
      { conversationId: 'e', messageId: a.userMessageId ?? '', text: 'The mountain.', maxTokens: 4 },
      call(),
    );
    let view = await conversations.get('e');
    expect(view.path.map((m) => m.text)).toEqual(['The mountain.', edited.text]);
    expect(view.path[0]).toMatchObject({
      siblingIds: [a.userMessageId, edited.userMessageId],
      siblingIndex: 1,
    });

    view = await conversations.switchBranch('e', a.userMessageId ?? '');
    expect(view.path.map((m) => m.id)).toEqual([a.userMessageId, a.messageId, b.userMessageId, b.messageId]);
    expect(view.messageCount).toBe(6);
    await expect(
      chats.edit({ conversationId: 'e', messageId: a.messageId, text: 'x' }, call()),
    ).rejects.toBeInstanceOf(InvalidOperationError);
  });

  it('sends after a chosen parent: a reply to an earlier answer starts a branch there', async () => {
    const { chats, conversations } = setup;
    const a = await chats.send({ conversationId: 'p', text: 'One.', maxTokens: 3 }, call());
    await chats.send({ conversationId: 'p', text: 'Two.', maxTokens: 3 }, call());
    const fork = await chats.send(
      { conversationId: 'p', text: 'Two, otherwise.', maxTokens: 3, parentId: a.messageId },
      call(),
    );
    const view = await conversations.get('p');
    expect(view.path.map((m) => m.id)).toEqual([
      a.userMessageId,
      a.messageId,
      fork.userMessageId,
      fork.messageId,
    ]);
    expect(view.path[2]?.siblingIds).toHaveLength(2);
    await expect(
      chats.send({ conversationId: 'p', text: 'x', parentId: a.userMessageId ?? '' }, call()),
    ).rejects.toBeInstanceOf(InvalidOperationError);
  });

  it('continues a cut-off answer in place, streaming only the new text', async () => {
    const { chats, conversations } = setup;
    const cut = await chats.send({ conversationId: 'k', text: 'Tell a story.', maxTokens: 8 }, call());
    expect(cut.stopReason).toBe('maxTokens');
    const more = call();
    const continued = await chats.continue(
      { conversationId: 'k', messageId: cut.messageId, maxTokens: 8 },
      more,
    );
    expect(continued.messageId).toBe(cut.messageId);
    expect(continued.generatedTokens).toBe(8);
    // The answer so far is in the sequence already: almost nothing is evaluated again.
    expect(continued.evaluatedPromptTokens).toBeLessThan(5);
    const [, answer] = (await conversations.get('k')).path;
    expect(answer?.text.startsWith(cut.text)).toBe(true);
    expect(answer?.text.length).toBeGreaterThan(cut.text.length + 5);
    expect(more.deltas().trimEnd()).toBe(continued.text);
    expect(answer?.siblingIds).toEqual([cut.messageId]);
  });
});

describe('the store behind the chat', () => {
  it('titles a conversation from its first message and records model, settings and timings', async () => {
    const { chats, conversations } = setup;
    const result = await chats.send(
      {
        conversationId: 't',
        text: '## How do I bake   *sourdough* bread at home without a scale or a proofing basket?',
        maxTokens: 6,
      },
      call(),
    );
    const [summary] = conversations.list();
    expect(summary).toMatchObject({
      id: 't',
      title: 'How do I bake sourdough bread at home without a scale or a…',
      modelId: 'test',
    });
    const [, answer] = (await conversations.get('t')).path;
    expect(answer).toMatchObject({
      status: 'done',
      stopReason: 'maxTokens',
      model: { id: 'test' },
      citations: [],
    });
    expect(answer?.settings?.temperature).toBe(0.7);
    expect(answer?.timings).toMatchObject({ generatedTokens: 6, promptTokens: result.evaluatedPromptTokens });
    expect(answer?.timings?.tokensPerSecond).toBeGreaterThan(0);
    expect(result.context?.usedTokens).toBeGreaterThan(result.evaluatedPromptTokens);
    // A rename sticks; later messages do not re-title.
    await conversations.rename('t', 'Bread');
    await chats.send({ conversationId: 't', text: 'Something else', maxTokens: 2 }, call());
    expect(conversations.list()[0]?.title).toBe('Bread');
  });

  it('restores a conversation from disk after a restart and goes on from its active path', async () => {
    const first = await setup.chats.send(
      { conversationId: 'r', text: 'Remember the lighthouse.', maxTokens: 10 },
      call(),
    );
    await stop(setup);
    setup = await start();
    const next = await setup.chats.send({ conversationId: 'r', text: 'And then?', maxTokens: 4 }, call());
    // The whole history is evaluated again on a fresh sequence: question, answer and the new message.
    expect(next.evaluatedPromptTokens).toBeGreaterThan(first.evaluatedPromptTokens + 5);
    const view = await setup.conversations.get('r');
    expect(view.path.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(view.path[1]?.text).toBe(first.text);
    // A follow-up after that reuses the cache again.
    const third = await setup.chats.send({ conversationId: 'r', text: 'More.', maxTokens: 2 }, call());
    expect(third.evaluatedPromptTokens).toBeLessThan(next.evaluatedPromptTokens / 3);
  });

  it('deletes with undo and searches what was said', async () => {
    const { chats, conversations } = setup;
    await chats.send({ conversationId: 's', text: 'Where do penguins live?', maxTokens: 3 }, call());
    expect((await conversations.search('penguins')).map((h) => h.conversationId)).toEqual(['s']);
    const { restorableUntil } = await conversations.delete('s');
    expect(restorableUntil).toBeGreaterThan(Date.now());
    expect(conversations.list()).toEqual([]);
    expect(await conversations.search('penguins')).toEqual([]);
    await conversations.restore('s');
    expect(conversations.list().map((c) => c.id)).toEqual(['s']);
    expect((await conversations.search('penguin')).length).toBe(1);
  });
});

describe('context management', () => {
  it('drops the oldest turns, never the system prompt or the newest message, and fits the budget', async () => {
    const loaded = setup.host.loaded;
    if (!loaded) throw new Error('no model');
    const chatWrapper = new QwenChatWrapper();
    const history = [
      { type: 'system' as const, text: 'SYSTEM PROMPT stays.' },
      ...Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? { type: 'user' as const, text: `question ${i} ${'the river and the house '.repeat(20)}` }
          : { type: 'model' as const, response: [`answer ${i} ${'the garden in the morning '.repeat(20)}`] },
      ),
      { type: 'user' as const, text: 'the newest question' },
      { type: 'model' as const, response: [] },
    ];
    const fitted = fitHistory({
      history,
      chatWrapper,
      model: loaded.model,
      contextSize: 1024,
      maxTokens: 100,
    });
    expect(fitted.history[0]).toEqual(history[0]);
    expect(fitted.history.at(-2)).toEqual({ type: 'user', text: 'the newest question' });
    expect(fitted.history[1]?.type).toBe('user');
    expect(fitted.droppedMessages).toBeGreaterThan(10);
    expect(fitted.droppedMessages % 2).toBe(0);
    expect(fitted.tokens).toBeLessThanOrEqual(1024 - 100 - 32);
    expect(countHistoryTokens(fitted.history, chatWrapper, loaded.model)).toBe(fitted.tokens);
    expect(fitted.notice).toMatch(/its \d+ oldest messages were left out/);
    // Room for one more old turn would not have fitted: the fewest turns are dropped.
    const oneMore = [
      fitted.history[0],
      ...history.slice(21 - fitted.droppedMessages, 21),
      ...fitted.history.slice(1),
    ];
    expect(
      countHistoryTokens(
        oneMore.filter((item) => item !== undefined),
        chatWrapper,
        loaded.model,
      ),
    ).toBeGreaterThan(1024 - 100 - 32);
  });

  it('keeps a long conversation going past the context size without a crash', async () => {
    await stop(setup);
    setup = await start({}, await ensureTestModel({ contextLength: 2048 }));
    const long = 'the river runs past the old house and the garden in the morning light '.repeat(25);
    const notices: Array<string | undefined> = [];
    for (let turn = 0; turn < 9; turn++) {
      const result = await setup.chats.send(
        { conversationId: 'big', text: `${turn}: ${long}`, maxTokens: 4 },
        call(),
      );
      expect(result.stopReason).toBe('maxTokens');
      expect(result.context?.usedTokens).toBeLessThanOrEqual(2048);
      notices.push(result.notice);
    }
    expect(notices[0]).toBeUndefined();
    expect(notices.at(-1)).toMatch(/oldest messages were left out/);
    // Nothing is lost from the store: every turn is there.
    expect((await setup.conversations.get('big')).path).toHaveLength(18);
  });
});

describe('thinking', () => {
  it('streams and stores a thought segment apart from the answer, and both survive a restart', async () => {
    await stop(setup);
    // A template with <think> segments; continuing an unfinished thought keeps generating inside it.
    setup = await start({ chatWrapper: new QwenChatWrapper() });
    const { chats, store, conversations } = setup;
    const conversation = await chats.create({ id: 'th' });
    const question = {
      id: 'q',
      parentId: null,
      role: 'user' as const,
      text: 'Why is the sky blue?',
      createdAt: 1,
      status: 'done' as const,
      citations: [],
      activeChildId: null,
    };
    conversation.tree.add(question);
    conversation.tree.add({
      ...question,
      id: 'a',
      parentId: 'q',
      role: 'assistant',
      text: '',
      thought: 'Let me think about light',
      status: 'interrupted',
    });
    await store.save(conversation);

    const thinking = call();
    const result = await chats.continue({ conversationId: 'th', messageId: 'a', maxTokens: 10 }, thinking);
    expect(thinking.thoughts().length).toBeGreaterThan(10);
    expect(result.thought).toBe(thinking.thoughts().trim());
    const [, answer] = (await conversations.get('th')).path;
    expect(answer?.thought?.startsWith('Let me think about light')).toBe(true);
    expect(answer?.thought?.length).toBeGreaterThan('Let me think about light'.length + 10);
    // None of the thinking leaked into the answer text.
    expect(answer?.text).toBe(thinking.deltas().trim());
    expect(answer?.text.includes('Let me think')).toBe(false);

    // Both survive a restart apart: the thought and the answer are read back from disk as they were.
    await stop(setup);
    setup = await start({ chatWrapper: new QwenChatWrapper() });
    const [, reloaded] = (await setup.conversations.get('th')).path;
    expect(reloaded?.thought).toBe(answer?.thought);
    expect(reloaded?.text).toBe(answer?.text);
  });
});
