/**
 * Conversations with the loaded model, written to the conversation store as they happen.
 *
 * One LlamaChat sits on the context's single sequence. Each turn rebuilds the chat history from
 * the stored active path (so switching conversation or branch restores it from disk), and
 * node-llama-cpp keeps the sequence's tokens up to the first difference: a follow-up in the same
 * conversation evaluates only its new tokens, a regenerated answer reuses its whole prompt.
 *
 * An answer streams as `chat.delta` events (thinking as `chat.thought`, kept apart) and is
 * written to disk every `flushMs` while it streams, so a crash loses at most that much; a
 * restart marks it interrupted. Aborting keeps the partial answer (stopOnAbortSignal).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  LlamaChat,
  type ChatHistoryItem,
  type ChatWrapper,
  type ChatModelSegment,
  type LlamaChatResponseChunk,
} from 'node-llama-cpp';
import type { ChatResult, ModelStatus, Params, StopReason } from '../../common/api/contract.js';
import type { CallContext } from '../../common/api/dispatch.js';
import {
  ChatBusyError,
  EmptyMessageError,
  InvalidOperationError,
  MessageNotFoundError,
  NoModelLoadedError,
} from '../errors/index.js';
import type { LoadedModel } from '../inference/ModelHost.js';
import { titleFromMessage } from './autoTitle.js';
import { parseCitations } from '../grounding/citations.js';
import type { GroundingPlan, GroundingRequest } from '../grounding/Grounder.js';
import {
  countHistoryTokens,
  DEFAULT_CONTEXT_POLICY,
  fitHistory,
  type ContextPolicy,
} from './contextWindow.js';
import {
  CONVERSATION_FILE_VERSION,
  CONVERSATION_FORMAT,
  type ConversationFile,
  type StoredMessage,
} from './conversationFile.js';
import { generationSettings, type SamplingOptions } from './generationSettings.js';
import type { PresetStore } from './PresetStore.js';
import type { ConversationStore, LoadedConversation } from './store/ConversationStore.js';

/** What the chat service needs from the model host. */
export interface LoadedModelSource {
  readonly loaded: LoadedModel | null;
  status(): ModelStatus;
}

export type { SamplingOptions };

export interface ChatServiceOptions {
  store: ConversationStore;
  presets: PresetStore;
  /** Overrides every conversation's sampling (tests, the CLI). */
  sampling?: Partial<SamplingOptions>;
  contextPolicy?: ContextPolicy;
  /** The chat template; by default node-llama-cpp picks one from the model ('auto'). */
  chatWrapper?: ChatWrapper;
  /** How often a streaming answer is written to disk. */
  flushMs?: number;
  /** A conversation was created or changed. */
  onChanged?: (conversationId: string) => void;
  now?: () => number;
  /**
   * Called when a message arrives with no model loaded: may load one (e.g. the model that was
   * unloaded for being idle), reporting progress to the call.
   */
  ensureLoaded?: (call: CallContext) => Promise<void>;
  /** Wraps each answer (keeps the idle timer from firing while one streams). */
  holdModel?: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * Grounded answers (issue 5): plans the sources of an answer in a conversation with collections
   * attached; undefined for an ordinary conversation.
   */
  grounding?: {
    /** The attachments a new conversation gets from its preset's collections (ids or names). */
    attachmentsFor?(refs: readonly string[]): ConversationFile['collections'];
    plan(
      file: ConversationFile,
      request: Omit<GroundingRequest, 'collections'>,
    ): Promise<GroundingPlan | undefined>;
  };
}

interface Session {
  loaded: LoadedModel;
  chat: LlamaChat;
}

interface Running {
  controller: AbortController;
  finished: Promise<void>;
}

/** What one call asks for: the answer's parent, and the message to continue (continue only). */
interface TurnPlan {
  conversation: LoadedConversation;
  /** The user message the answer replies to. */
  parent: StoredMessage;
  /** A new user message (send, edit). */
  userMessage?: StoredMessage;
  /** An existing answer to extend (continue). */
  continued?: StoredMessage;
  maxTokens?: number;
}

function stopReasonOf(reason: string): StopReason {
  if (reason === 'abort') return 'cancelled';
  if (reason === 'maxTokens') return 'maxTokens';
  return 'end';
}

export class ChatService {
  private readonly running = new Map<string, Running>();
  /** Generations share one sequence, so they run one after another. */
  private turns: Promise<unknown> = Promise.resolve();
  private current: Session | null = null;
  private readonly store: ConversationStore;
  private readonly presets: PresetStore;
  private readonly now: () => number;
  private readonly flushMs: number;

  constructor(
    private readonly models: LoadedModelSource,
    private readonly options: ChatServiceOptions,
  ) {
    this.store = options.store;
    this.presets = options.presets;
    this.now = options.now ?? Date.now;
    this.flushMs = options.flushMs ?? 1000;
  }

  /** A new empty conversation from a preset (the default one when absent). */
  async create(
    options: { id?: string; presetId?: string; title?: string } = {},
  ): Promise<LoadedConversation> {
    const preset = options.presetId ? this.presets.get(options.presetId) : this.presets.default();
    const at = this.now();
    const conversation = await this.store.add({
      format: CONVERSATION_FORMAT,
      version: CONVERSATION_FILE_VERSION,
      id: options.id ?? randomUUID(),
      title: options.title ?? 'New chat',
      titleSource: options.title ? 'user' : 'none',
      createdAt: at,
      updatedAt: at,
      pinned: false,
      deletedAt: null,
      presetId: preset.id,
      systemPrompt: preset.systemPrompt,
      settings: { ...preset.sampling },
      activeRootId: null,
      messages: [],
      // Grounded answers: a preset's collections are attached to chats started from it.
      ...(preset.collections.length > 0 && this.options.grounding?.attachmentsFor
        ? { collections: this.options.grounding.attachmentsFor(preset.collections) }
        : {}),
    });
    this.options.onChanged?.(conversation.file.id);
    return conversation;
  }

  async send(params: Params<'chat.send'>, call: CallContext): Promise<ChatResult> {
    if (!params.text.trim()) throw new EmptyMessageError('The message is empty. Type something to send.');
    await this.checkReady(params.conversationId, call);
    if (params.parentId !== undefined && !this.store.has(params.conversationId)) {
      throw new MessageNotFoundError(
        `No message ${params.parentId}: there is no conversation ${params.conversationId}.`,
      );
    }
    const conversation = this.store.has(params.conversationId)
      ? await this.store.get(params.conversationId)
      : await this.create({ id: params.conversationId });
    const { tree } = conversation;
    const parentId = params.parentId !== undefined ? params.parentId : (tree.activePath().at(-1)?.id ?? null);
    if (parentId !== null && tree.get(parentId).role !== 'assistant') {
      throw new InvalidOperationError('A message can only follow an answer. Use edit to change a message.');
    }
    const userMessage = this.newMessage('user', parentId, params.text);
    return this.run({ conversation, parent: userMessage, userMessage, maxTokens: params.maxTokens }, call);
  }

  async edit(params: Params<'chat.edit'>, call: CallContext): Promise<ChatResult> {
    if (!params.text.trim()) throw new EmptyMessageError('The message is empty. Type something to send.');
    await this.checkReady(params.conversationId, call);
    const conversation = await this.store.get(params.conversationId);
    const original = conversation.tree.get(params.messageId);
    if (original.role !== 'user') throw new InvalidOperationError('Only your own messages can be edited.');
    const userMessage = this.newMessage('user', original.parentId, params.text);
    return this.run({ conversation, parent: userMessage, userMessage, maxTokens: params.maxTokens }, call);
  }

  async regenerate(params: Params<'chat.regenerate'>, call: CallContext): Promise<ChatResult> {
    await this.checkReady(params.conversationId, call);
    const conversation = await this.store.get(params.conversationId);
    const answer = conversation.tree.get(params.messageId);
    if (answer.role !== 'assistant' || answer.parentId === null) {
      throw new InvalidOperationError('Only an answer can be regenerated.');
    }
    const parent = conversation.tree.get(answer.parentId);
    return this.run({ conversation, parent, maxTokens: params.maxTokens }, call);
  }

  async continue(params: Params<'chat.continue'>, call: CallContext): Promise<ChatResult> {
    await this.checkReady(params.conversationId, call);
    const conversation = await this.store.get(params.conversationId);
    const answer = conversation.tree.get(params.messageId);
    if (answer.role !== 'assistant' || answer.parentId === null) {
      throw new InvalidOperationError('Only an answer can be continued.');
    }
    if (answer.status === 'streaming') throw new ChatBusyError('This answer is still being written.');
    const parent = conversation.tree.get(answer.parentId);
    return this.run({ conversation, parent, continued: answer, maxTokens: params.maxTokens }, call);
  }

  isRunning(conversationId: string): boolean {
    return this.running.has(conversationId);
  }

  /** Stops a conversation's answer (its history stays in the store). */
  async reset(conversationId: string): Promise<void> {
    const running = this.running.get(conversationId);
    if (running) {
      running.controller.abort();
      await running.finished;
    }
  }

  /**
   * Stops every answer and drops the session (the model is being unloaded or switched). The
   * conversations stay in the store: the next message continues them on whichever model is
   * loaded then.
   */
  async resetAll(): Promise<void> {
    const running = [...this.running.values()];
    for (const { controller } of running) controller.abort();
    await Promise.all(running.map(({ finished }) => finished));
    this.current?.chat.dispose({ disposeSequence: true });
    this.current = null;
  }

  private async checkReady(conversationId: string, call: CallContext): Promise<void> {
    if (!this.models.loaded) await this.options.ensureLoaded?.(call);
    if (!this.models.loaded) throw this.noModelError();
    if (this.running.has(conversationId)) {
      throw new ChatBusyError('This conversation is still answering. Stop it or wait for it to finish.');
    }
  }

  private noModelError(): NoModelLoadedError {
    return this.models.status().state === 'loading'
      ? new NoModelLoadedError('The model is still loading. Send your message when it is ready.')
      : new NoModelLoadedError('No model is loaded. Choose a model first.');
  }

  private newMessage(role: 'user' | 'assistant', parentId: string | null, text: string): StoredMessage {
    return {
      id: randomUUID(),
      parentId,
      role,
      text,
      createdAt: this.now(),
      status: 'done',
      citations: [],
      activeChildId: null,
    };
  }

  /** Writes the new messages, then generates on the shared sequence when its turn comes. */
  private async run(plan: TurnPlan, call: CallContext): Promise<ChatResult> {
    const { file, tree } = plan.conversation;
    const conversationId = file.id;
    if (this.running.has(conversationId)) {
      throw new ChatBusyError('This conversation is still answering. Stop it or wait for it to finish.');
    }
    const controller = new AbortController();
    let finish!: () => void;
    this.running.set(conversationId, { controller, finished: new Promise((resolve) => (finish = resolve)) });
    this.store.setLive(conversationId, true);
    try {
      if (plan.userMessage) tree.add(plan.userMessage);
      let answer = plan.continued;
      if (answer) {
        tree.activate(answer);
        answer.status = 'streaming';
      } else {
        answer = { ...this.newMessage('assistant', plan.parent.id, ''), status: 'streaming' };
        tree.add(answer);
      }
      if (plan.userMessage && file.titleSource === 'none') {
        file.title = titleFromMessage(plan.userMessage.text);
        file.titleSource = 'auto';
      }
      file.updatedAt = this.now();
      await this.store.save(plan.conversation);
      // Not awaited: while the search index is still being built this would hold the answer back.
      if (plan.userMessage) void this.store.indexForSearch(file, [plan.userMessage]).catch(() => undefined);
      this.options.onChanged?.(conversationId);
      call.emit('chat.started', {
        requestId: call.requestId,
        conversationId,
        messageId: answer.id,
        parentId: answer.parentId,
        ...(plan.userMessage ? { userMessageId: plan.userMessage.id } : {}),
      });

      const signal = AbortSignal.any([call.signal, controller.signal]);
      const streaming = answer;
      const hold = this.options.holdModel ?? (<T>(work: () => Promise<T>) => work());
      const turn = this.turns.then(() => hold(() => this.generate(plan, streaming, call, signal)));
      this.turns = turn.catch(() => undefined);
      try {
        return await turn;
      } catch (error) {
        // The answer stays, marked as not finished; the error reaches the caller.
        streaming.status = 'interrupted';
        streaming.notice = error instanceof Error ? error.message : String(error);
        await this.store.save(plan.conversation).catch(() => undefined);
        throw error;
      } finally {
        this.options.onChanged?.(conversationId);
      }
    } finally {
      this.store.setLive(conversationId, false);
      this.running.delete(conversationId);
      finish();
    }
  }

  private history(plan: TurnPlan, answer: StoredMessage, systemPrompt: string): ChatHistoryItem[] {
    const { tree } = plan.conversation;
    const items: ChatHistoryItem[] = [];
    if (systemPrompt) items.push({ type: 'system', text: systemPrompt });
    for (const message of tree.pathTo(plan.parent.id)) {
      items.push(
        message.role === 'user'
          ? { type: 'user', text: message.text }
          : { type: 'model', response: [message.text] },
      );
    }
    if (plan.continued) {
      const partial: Array<string | ChatModelSegment> = [];
      if (answer.thought) {
        partial.push({
          type: 'segment',
          segmentType: 'thought',
          text: answer.thought,
          ended: answer.text !== '',
        });
      }
      if (answer.text) partial.push(answer.text);
      items.push({ type: 'model', response: partial });
    } else {
      items.push({ type: 'model', response: [] });
    }
    return items;
  }

  private async generate(
    plan: TurnPlan,
    answer: StoredMessage,
    call: CallContext,
    signal: AbortSignal,
  ): Promise<ChatResult> {
    const { conversation } = plan;
    const conversationId = conversation.file.id;
    const priorText = answer.text;
    const priorThought = answer.thought ?? '';
    const started = performance.now();
    const loaded = this.models.loaded;
    // Stopped before its turn came (the model may be going away): nothing to generate.
    if (!loaded && !signal.aborted) throw this.noModelError();
    const contextSize = loaded?.context.contextSize ?? 0;
    // The model's settings as they are now (the host takes new ones without a reload).
    const settings = generationSettings({
      conversation: conversation.file,
      model: loaded?.settings,
      override: this.options.sampling,
      contextSize,
    });
    const { sampling } = settings;
    if (loaded) answer.model = { id: loaded.id, name: loaded.name };
    answer.settings = { ...sampling, maxTokens: plan.maxTokens ?? settings.chosenMaxTokens };

    let generatedTokens = 0;
    let firstTokenAt: number | null = null;
    let text = '';
    let thought = '';
    let dirty = false;
    const flush = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      void this.store.save(conversation).catch(() => undefined);
    }, this.flushMs);

    let stopReason: StopReason = 'cancelled';
    let evaluatedPromptTokens = 0;
    let notice: string | undefined;
    let usedTokens = 0;
    let grounded: GroundingPlan | undefined;
    try {
      if (loaded && !signal.aborted) {
        const chat = this.sessionFor(loaded);
        const maxTokens = plan.maxTokens ?? settings.maxTokens;
        // Grounded answers: sources planned for the question (a continued answer keeps its own).
        grounded = plan.continued
          ? undefined
          : await this.planGrounding(plan, answer, chat, loaded, {
              systemPrompt: settings.systemPrompt,
              contextSize,
              maxTokens,
              call,
              signal,
            }).catch((error: unknown) => {
              // Stopped while the sources were being read: the answer ends as stopped, not failed.
              if (signal.aborted) return undefined;
              throw error;
            });
        if (grounded) {
          answer.sources = grounded.sources;
          answer.grounding = grounded.grounding;
          call.emit('chat.sources', {
            requestId: call.requestId,
            conversationId,
            messageId: answer.id,
            sources: grounded.sources,
            grounding: grounded.grounding,
          });
        }
        const history = this.history(plan, answer, grounded?.systemPrompt ?? settings.systemPrompt);
        if (grounded) {
          const userIndex = history.findLastIndex((item) => item.type === 'user');
          history[userIndex] = { type: 'user', text: grounded.userText };
        }
        const fitted = fitHistory({
          history,
          chatWrapper: chat.chatWrapper,
          model: loaded.model,
          contextSize,
          maxTokens,
          policy: this.options.contextPolicy,
        });
        notice = [grounded?.notice, fitted.notice].filter(Boolean).join(' ') || undefined;
        const meterBefore = chat.sequence.tokenMeter.getState();
        const appendText = (chunkText: string) => {
          dirty = true;
          text += chunkText;
          answer.text = priorText + text;
          call.emit('chat.delta', {
            requestId: call.requestId,
            conversationId,
            messageId: answer.id,
            text: chunkText,
          });
        };
        const onResponseChunk = (chunk: LlamaChatResponseChunk) => {
          if (chunk.tokens.length > 0) {
            firstTokenAt ??= performance.now();
            generatedTokens += chunk.tokens.length;
          }
          if (chunk.text === '') return;
          dirty = true;
          if (chunk.type === 'segment') {
            if (chunk.segmentType !== 'thought') return;
            thought += chunk.text;
            answer.thought = priorThought + thought;
            call.emit('chat.thought', {
              requestId: call.requestId,
              conversationId,
              messageId: answer.id,
              text: chunk.text,
            });
            return;
          }
          appendText(chunk.text);
        };
        if (signal.aborted) {
          stopReason = 'cancelled';
        } else if (grounded?.fixedAnswer !== undefined) {
          // The app answers by itself (nothing relevant found): the model is not asked.
          appendText(grounded.fixedAnswer);
          stopReason = 'end';
        } else {
          const response = await chat
            .generateResponse(fitted.history, {
              ...sampling,
              ...(settings.repeatPenalty !== 1 ? { repeatPenalty: { penalty: settings.repeatPenalty } } : {}),
              maxTokens,
              signal,
              stopOnAbortSignal: true,
              onResponseChunk,
            })
            .catch((error: unknown) => {
              // A stop that lands while the prompt is still being evaluated rejects instead of
              // stopping (seen under load): it is a stop all the same.
              if (signal.aborted) return undefined;
              throw error;
            });
          stopReason = response ? stopReasonOf(response.metadata.stopReason) : 'cancelled';
          evaluatedPromptTokens = chat.sequence.tokenMeter.diff(meterBefore).usedInputTokens;
          usedTokens = chat.sequence.nextTokenIndex;
        }
      }
    } finally {
      clearInterval(flush);
    }

    const finishedAt = performance.now();
    answer.text = plan.continued ? (priorText + text).trimEnd() : text.trim();
    if (thought || priorThought) answer.thought = (priorThought + thought).trim();
    answer.status = 'done';
    answer.stopReason = stopReason;
    if (notice) answer.notice = notice;
    else delete answer.notice;
    // Only numbers that match a source given for this answer become citations.
    if (answer.sources) answer.citations = parseCitations(answer.text, answer.sources);
    const generationMs = firstTokenAt === null ? 0 : finishedAt - firstTokenAt;
    answer.timings = {
      promptTokens: evaluatedPromptTokens,
      generatedTokens,
      totalMs: Math.round(finishedAt - started),
      firstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - started),
      tokensPerSecond:
        generatedTokens > 1 && generationMs > 0 ? (generatedTokens - 1) / (generationMs / 1000) : null,
    };
    conversation.file.updatedAt = this.now();
    await this.store.save(conversation);
    void this.store.indexForSearch(conversation.file, [answer]).catch(() => undefined);
    return {
      conversationId,
      messageId: answer.id,
      ...(plan.userMessage ? { userMessageId: plan.userMessage.id } : {}),
      text: plan.continued ? text.trimEnd() : answer.text,
      ...(thought ? { thought: thought.trim() } : {}),
      stopReason,
      evaluatedPromptTokens,
      generatedTokens,
      timings: answer.timings,
      context: { usedTokens, size: contextSize },
      ...(notice ? { notice } : {}),
      ...(answer.sources
        ? {
            citations: answer.citations,
            sources: answer.sources,
            ...(answer.grounding ? { grounding: answer.grounding } : {}),
          }
        : {}),
    };
  }

  /** Grounded answers: asks the grounding planner for this turn's sources (undefined: ungrounded). */
  private async planGrounding(
    plan: TurnPlan,
    answer: StoredMessage,
    chat: LlamaChat,
    loaded: LoadedModel,
    turn: {
      systemPrompt: string;
      contextSize: number;
      maxTokens: number;
      call: CallContext;
      signal: AbortSignal;
    },
  ): Promise<GroundingPlan | undefined> {
    if (!this.options.grounding) return undefined;
    const { call, signal, contextSize } = turn;
    const conversationId = plan.conversation.file.id;
    const policy = this.options.contextPolicy ?? DEFAULT_CONTEXT_POLICY;
    const earlier = plan.conversation.tree
      .pathTo(plan.parent.id)
      .slice(0, -1)
      .map((m) => ({ role: m.role, text: m.text }));
    const { model } = loaded;
    return this.options.grounding.plan(plan.conversation.file, {
      question: plan.parent.text,
      earlier,
      systemPrompt: turn.systemPrompt,
      contextSize,
      answerTokens: Math.min(turn.maxTokens, Math.floor(contextSize * policy.answerShare)),
      countHistory: (history) => countHistoryTokens(history, chat.chatWrapper, model),
      tokenize: (text) => model.tokenize(text),
      cutToTokens: (text, tokens) =>
        model.detokenize(model.tokenize(text).slice(0, Math.max(0, tokens))).replace(/\uFFFD+$/u, ''),
      complete: async (history, options) => {
        const response = await chat.generateResponse(history, {
          maxTokens: options.maxTokens,
          signal: options.signal,
          stopOnAbortSignal: true,
        });
        options.signal.throwIfAborted();
        return response.response;
      },
      progress: (update) =>
        call.emit('chat.progress', {
          requestId: call.requestId,
          conversationId,
          messageId: answer.id,
          ...update,
        }),
      signal,
    });
  }

  private sessionFor(loaded: LoadedModel): LlamaChat {
    if (this.current?.loaded === loaded) return this.current.chat;
    this.current?.chat.dispose({ disposeSequence: true });
    const chat = new LlamaChat({
      contextSequence: loaded.context.getSequence(),
      autoDisposeSequence: false,
      ...(this.options.chatWrapper ? { chatWrapper: this.options.chatWrapper } : {}),
    });
    this.current = { loaded, chat };
    return chat;
  }
}
