/**
 * The open conversation: its active path of messages, the answer being streamed, and the calls that
 * drive them (send, regenerate, edit and resend, continue, page through alternatives). The core
 * stores everything; after each turn the path is read back from it, so what is shown is what is stored.
 */
import type {
  AttachedCollection,
  ChatResult,
  Conversation as StoredConversation,
  MethodName,
} from '../../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, type CallEvent, type HearthClient } from '../../lib/api.js';
import { randomId } from '../../lib/ids.js';
import { ChatMessage } from './ChatMessage.svelte.js';

/** Shorter answers than this are not timed: the speed would be noise. */
const minTimedMs = 50;

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export interface ContextUse {
  usedTokens: number;
  size: number;
}

type TurnMethod = Extract<MethodName, 'chat.send' | 'chat.regenerate' | 'chat.edit' | 'chat.continue'>;

export class Conversation {
  /** The stored conversation's id; null for a new chat that has no message yet. */
  id = $state<string | null>(null);
  title = $state('New chat');
  /** Replaced once per turn (never per token); each message's own fields carry the changes. */
  messages = $state.raw<readonly ChatMessage[]>([]);
  /** The reply being streamed, if any. */
  streaming = $state.raw<ChatMessage | null>(null);
  /** Context used after the last answer, for the footer. */
  context = $state.raw<ContextUse | null>(null);
  /** The model of the latest stored answer: a chat may outlive the model file it used. */
  lastModel = $state.raw<{ id: string; name: string } | null>(null);
  /** Set when a conversation could not be opened or changed. */
  error = $state.raw<RemoteError | null>(null);
  /** Collections this chat answers from (grounded answers); empty for an ordinary chat. */
  collections = $state.raw<readonly AttachedCollection[]>([]);

  /**
   * Called while a message reloads a model the core unloaded when idle (the load's progress arrives
   * with the message's own call), so the window can show the load.
   */
  onModelLoadProgress: ((modelId: string, progress: number) => void) | null = null;

  private readonly api: HearthClient;
  /** The loaded model this conversation last saw; undefined until the first status arrives. */
  private modelId: string | null | undefined = undefined;
  /** The last model that was loaded, kept through an unload so a reload of the same one is quiet. */
  private lastLoaded: string | null = null;
  /**
   * Lines the app wrote into the shown transcript (model switches), each after the message it
   * followed. They are not stored, so re-reading the path puts them back in place.
   */
  private dividers: { after: ChatMessage; line: ChatMessage }[] = [];
  private controller: AbortController | null = null;
  private turn: Promise<void> | null = null;
  /** Bumped whenever another conversation is shown, so late replies for the old one are dropped. */
  private generation = 0;

  constructor(api: HearthClient) {
    this.api = api;
  }

  get busy(): boolean {
    return this.streaming !== null;
  }

  /** Shows a stored conversation. */
  async open(conversationId: string): Promise<void> {
    await this.settle();
    const generation = ++this.generation;
    try {
      const stored = await this.api.call('conversations.get', { conversationId });
      if (generation === this.generation) this.apply(stored);
    } catch (error) {
      if (generation === this.generation) this.error = asRemoteError(error);
    }
  }

  /** Starts a new chat: empty until the first message, or created now from a preset. */
  async startNew(presetId?: string): Promise<void> {
    await this.settle();
    const generation = ++this.generation;
    this.id = null;
    this.title = 'New chat';
    this.messages = [];
    this.context = null;
    this.error = null;
    this.lastModel = null;
    this.collections = [];
    this.dividers = [];
    if (!presetId) return;
    try {
      const created = await this.api.call('conversations.create', { presetId });
      if (generation === this.generation) this.apply(created);
    } catch (error) {
      if (generation === this.generation) this.error = asRemoteError(error);
    }
  }

  /** Kept for callers of the first release: a new, empty chat. */
  reset(): Promise<void> {
    return this.startNew();
  }

  /**
   * The id to attach collections or files to. A new chat gets its id now: the core starts the stored
   * conversation on the first call that names it.
   */
  ensureId(): string {
    this.id ??= randomId();
    return this.id;
  }

  /** Shows an imported or otherwise fetched conversation. */
  show(stored: StoredConversation): void {
    this.generation += 1;
    this.apply(stored);
  }

  /** Sends a question and streams the answer into a new assistant message. */
  send(text: string, author: string | null): Promise<void> {
    if (this.busy || !text.trim()) return Promise.resolve();
    this.id ??= randomId();
    const question = new ChatMessage('user', text);
    const reply = new ChatMessage('assistant', '', { state: 'streaming', author });
    this.messages = [...this.messages, question, reply];
    return this.run('chat.send', { conversationId: this.id, text }, reply, question);
  }

  /** A new answer in place of `message`; the earlier answers stay as alternatives. */
  regenerate(message: ChatMessage, author: string | null): Promise<void> {
    const index = this.messages.indexOf(message);
    if (this.busy || !this.id || index < 0 || message.role !== 'assistant' || !message.stored) {
      return Promise.resolve();
    }
    const reply = new ChatMessage('assistant', '', { state: 'streaming', author });
    this.messages = [...this.messages.slice(0, index), reply];
    return this.run('chat.regenerate', { conversationId: this.id, messageId: message.id }, reply);
  }

  /** Sends an edited copy of a question as a new branch; the old branch stays reachable. */
  edit(message: ChatMessage, text: string, author: string | null): Promise<void> {
    const index = this.messages.indexOf(message);
    if (this.busy || !this.id || index < 0 || message.role !== 'user' || !message.stored || !text.trim()) {
      return Promise.resolve();
    }
    const question = new ChatMessage('user', text);
    const reply = new ChatMessage('assistant', '', { state: 'streaming', author });
    this.messages = [...this.messages.slice(0, index), question, reply];
    return this.run('chat.edit', { conversationId: this.id, messageId: message.id, text }, reply, question);
  }

  /** Carries on an answer that was cut off, in the same message. */
  continueAnswer(message: ChatMessage): Promise<void> {
    if (this.busy || !this.id || !message.continuable) return Promise.resolve();
    message.state = 'streaming';
    message.stopReason = null;
    return this.run('chat.continue', { conversationId: this.id, messageId: message.id }, message);
  }

  /** Shows the previous (-1) or next (+1) alternative of a message, and the branch below it. */
  async showSibling(message: ChatMessage, step: -1 | 1): Promise<void> {
    const target = message.siblingIds[message.siblingIndex + step];
    if (this.busy || !this.id || !target) return;
    const generation = ++this.generation;
    try {
      const stored = await this.api.call('conversations.switchBranch', {
        conversationId: this.id,
        messageId: target,
      });
      if (generation === this.generation) this.apply(stored);
    } catch (error) {
      if (generation === this.generation) this.error = asRemoteError(error);
    }
  }

  /** Stops the answer; the core ends it and keeps what was written. */
  stop(): void {
    this.controller?.abort();
  }

  dismissError(): void {
    this.error = null;
  }

  /**
   * Follows the loaded model. The next message continues the conversation on whichever model is
   * loaded then (the core rebuilds its history from the store), so the transcript only says where
   * the switch happened. An idle unload and reload of the same model says nothing.
   */
  followModel(modelId: string | null, modelName: string | null): void {
    if (modelId === this.modelId) return;
    const firstSeen = this.modelId === undefined;
    this.modelId = modelId;
    if (modelId === null) return;
    const previous = this.lastLoaded;
    this.lastLoaded = modelId;
    const after = this.messages.findLast((message) => message.role !== 'divider');
    if (firstSeen || previous === null || previous === modelId || !after) return;
    const line = new ChatMessage(
      'divider',
      `Switched to ${modelName ?? 'another model'}. The conversation continues with it.`,
    );
    this.dividers.push({ after, line });
    this.messages = [...this.messages, line];
  }

  private async settle(): Promise<void> {
    this.stop();
    await this.turn;
  }

  private apply(stored: StoredConversation): void {
    this.dividers = [];
    this.id = stored.id;
    this.title = stored.title;
    this.messages = stored.path.map((message) => ChatMessage.fromStored(message));
    this.lastModel = stored.path.findLast((message) => message.model)?.model ?? null;
    this.collections = stored.collections ?? [];
    this.error = null;
  }

  private run<M extends TurnMethod>(
    method: M,
    params: Parameters<HearthClient['call']>[1] & object,
    reply: ChatMessage,
    question?: ChatMessage,
  ): Promise<void> {
    this.streaming = reply;
    const controller = new AbortController();
    this.controller = controller;
    const generation = this.generation;
    this.turn = this.stream(method, params, reply, question, controller.signal)
      .then((finished) => (finished && generation === this.generation ? this.refresh(generation) : undefined))
      .finally(() => {
        if (this.controller === controller) this.controller = null;
        if (this.streaming === reply) this.streaming = null;
        this.turn = null;
      });
    return this.turn;
  }

  /** Streams one turn into `reply`. Resolves true when the core stored it (so the path is re-read). */
  private async stream(
    method: TurnMethod,
    params: object,
    reply: ChatMessage,
    question: ChatMessage | undefined,
    signal: AbortSignal,
  ): Promise<boolean> {
    let firstDeltaAt: number | null = null;
    const onEvent = (event: CallEvent) => {
      if (event.event === 'chat.started') {
        reply.id = event.payload.messageId;
        if (question && event.payload.userMessageId) question.id = event.payload.userMessageId;
      } else if (event.event === 'chat.delta') {
        firstDeltaAt ??= performance.now();
        reply.text += event.payload.text;
      } else if (event.event === 'chat.thought') {
        reply.thought += event.payload.text;
      } else if (event.event === 'chat.sources') {
        reply.sources = event.payload.sources;
        reply.grounding = event.payload.grounding;
      } else if (event.event === 'chat.progress') {
        // Later stages do not repeat the document's name: keep the one the reading began with.
        const documentName = event.payload.documentName ?? reply.progress?.documentName;
        reply.progress = { ...event.payload, ...(documentName ? { documentName } : {}) };
      } else if (event.event === 'models.loadProgress') {
        this.onModelLoadProgress?.(event.payload.modelId, event.payload.progress);
      }
    };
    try {
      const result: ChatResult = await this.api.call(method, params as never, { signal, onEvent });
      const elapsedMs = firstDeltaAt === null ? 0 : performance.now() - firstDeltaAt;
      // The result's text is the core's own record of the answer: trust it over the deltas.
      reply.text = result.text;
      reply.id = result.messageId ?? reply.id;
      if (result.thought !== undefined) reply.thought = result.thought;
      reply.stopReason = result.stopReason;
      reply.notice = result.notice ?? null;
      reply.progress = null;
      if (result.sources) reply.sources = result.sources;
      if (result.citations) reply.citations = result.citations;
      if (result.grounding) reply.grounding = result.grounding;
      reply.stats = {
        generatedTokens: result.generatedTokens,
        tokensPerSecond:
          result.timings?.tokensPerSecond ??
          (elapsedMs >= minTimedMs ? (result.generatedTokens / elapsedMs) * 1000 : null),
      };
      if (result.context) this.context = result.context;
      reply.state = 'done';
      return true;
    } catch (error) {
      const remote = asRemoteError(error);
      reply.progress = null;
      if (remote.code === ErrorCode.Cancelled) {
        reply.stopReason = 'cancelled';
        reply.state = 'done';
        return true;
      }
      reply.error = remote;
      reply.state = 'failed';
      return false;
    }
  }

  /** Puts the app's lines back after the messages they followed (those still on the path). */
  private withDividers(messages: ChatMessage[]): ChatMessage[] {
    this.dividers = this.dividers.filter(({ after }) => messages.includes(after));
    if (this.dividers.length === 0) return messages;
    return messages.flatMap((message) => [
      message,
      ...this.dividers.filter(({ after }) => after === message).map(({ line }) => line),
    ]);
  }

  /** Re-reads the stored path after a turn: ids, alternatives and titles as the core stored them. */
  private async refresh(generation: number): Promise<void> {
    if (!this.id) return;
    try {
      const stored = await this.api.call('conversations.get', { conversationId: this.id });
      if (generation !== this.generation) return;
      // Keep the live message objects where they match, so nothing on screen flickers.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup local to this call, not state
      const live = new Map(this.messages.map((message) => [message.id, message]));
      this.title = stored.title;
      this.lastModel = stored.path.findLast((message) => message.model)?.model ?? null;
      this.collections = stored.collections ?? [];
      const messages = stored.path.map((message) => {
        const view = live.get(message.id);
        if (!view) return ChatMessage.fromStored(message);
        view.stored = true;
        view.siblingIds = message.siblingIds;
        view.siblingIndex = message.siblingIndex;
        // What the core stored is the record: a stopped answer's citations are only known now.
        view.sources = message.sources ?? view.sources;
        view.citations = message.citations;
        view.grounding = message.grounding ?? view.grounding;
        if (message.status === 'interrupted') view.state = 'interrupted';
        return view;
      });
      this.messages = this.withDividers(messages);
    } catch {
      // A cancelled turn on a conversation the core never stored (nothing was generated) has nothing to read.
    }
  }
}
