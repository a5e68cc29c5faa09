/**
 * Conversations with the loaded model. One LlamaChatSession sits on the context's single
 * sequence and is kept between turns, so a follow-up evaluates only its new tokens (the
 * sequence still holds the earlier ones). Conversations take turns on that sequence: switching
 * swaps the session's history. Answers stream as `chat.delta` events; aborting keeps the
 * partial answer (node-llama-cpp's stopOnAbortSignal).
 */
import {
  LlamaChatSession,
  type ChatHistoryItem,
  type LlamaContextSequence,
  type LlamaModel,
} from 'node-llama-cpp';
import type { ChatResult, ModelStatus, Params } from '../../common/api/contract.js';
import type { CallContext } from '../../common/api/dispatch.js';
import { ChatBusyError, EmptyMessageError, NoModelLoadedError } from '../errors/index.js';
import type { LoadedModel } from '../inference/ModelHost.js';
import { fitMessage } from './fitMessage.js';

/** What the chat service needs from the model host. */
export interface LoadedModelSource {
  readonly loaded: LoadedModel | null;
  status(): ModelStatus;
}

export interface SamplingOptions {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
}

export const DEFAULT_SAMPLING: SamplingOptions = { temperature: 0.7, topK: 40, topP: 0.9, minP: 0.05 };

export interface ChatServiceOptions {
  /** Overrides the loaded model's own settings (tests pin sampling this way). */
  sampling?: Partial<SamplingOptions>;
  /**
   * Called when a message arrives with no model loaded: may load one (e.g. the model that was
   * unloaded for being idle), reporting progress to the call.
   */
  ensureLoaded?: (call: CallContext) => Promise<void>;
  /** Wraps each answer (keeps the idle timer from firing while one streams). */
  holdModel?: <T>(work: () => Promise<T>) => Promise<T>;
}

interface Session {
  loaded: LoadedModel;
  sequence: LlamaContextSequence;
  session: LlamaChatSession;
  initialHistory: ChatHistoryItem[];
  /** Tokens the chat template adds around a message (system prompt, role markers). */
  overheadTokens: number;
  /** The conversation whose history the session holds now. */
  conversationId: string | null;
  systemPrompt: string;
}

interface Running {
  controller: AbortController;
  finished: Promise<void>;
}

type ChatParams = Params<'chat.send'>;

function overheadTokensOf(session: LlamaChatSession, model: LlamaModel, initial: ChatHistoryItem[]): number {
  const { contextText } = session.chatWrapper.generateContextState({
    chatHistory: [...initial, { type: 'user', text: '' }, { type: 'model', response: [] }],
  });
  return contextText.tokenize(model.tokenizer).length;
}

export class ChatService {
  /** Histories of conversations not on the sequence right now. */
  private readonly histories = new Map<string, ChatHistoryItem[]>();
  private readonly running = new Map<string, Running>();
  /** Generations share one sequence, so they run one after another. */
  private turns: Promise<unknown> = Promise.resolve();
  private current: Session | null = null;
  private readonly samplingOverride: Partial<SamplingOptions>;

  constructor(
    private readonly models: LoadedModelSource,
    private readonly options: ChatServiceOptions = {},
  ) {
    this.samplingOverride = options.sampling ?? {};
  }

  async send(params: ChatParams, call: CallContext): Promise<ChatResult> {
    if (!params.text.trim()) throw new EmptyMessageError('The message is empty. Type something to send.');
    if (!this.models.loaded) await this.options.ensureLoaded?.(call);
    if (!this.models.loaded) throw this.noModelError();
    if (this.running.has(params.conversationId)) {
      throw new ChatBusyError('This conversation is still answering. Stop it or wait for it to finish.');
    }
    const controller = new AbortController();
    let finish!: () => void;
    this.running.set(params.conversationId, {
      controller,
      finished: new Promise((resolve) => (finish = resolve)),
    });
    const signal = AbortSignal.any([call.signal, controller.signal]);
    const hold = this.options.holdModel ?? (<T>(work: () => Promise<T>) => work());
    const turn = this.turns.then(() => hold(() => this.generate(params, call, signal)));
    this.turns = turn.catch(() => undefined);
    try {
      return await turn;
    } finally {
      this.running.delete(params.conversationId);
      finish();
    }
  }

  /** Forgets a conversation (stopping its answer first). */
  async reset(conversationId: string): Promise<void> {
    const running = this.running.get(conversationId);
    if (running) {
      running.controller.abort();
      await running.finished;
    }
    this.histories.delete(conversationId);
    if (this.current?.conversationId === conversationId) this.current.conversationId = null;
  }

  /** Stops every answer and drops every conversation and the session (the model is going away). */
  async resetAll(): Promise<void> {
    const running = [...this.running.values()];
    for (const { controller } of running) controller.abort();
    await Promise.all(running.map(({ finished }) => finished));
    this.histories.clear();
    this.current?.session.dispose({ disposeSequence: true });
    this.current = null;
  }

  /**
   * Stops every answer and lets go of the model (it is being unloaded or switched), keeping the
   * conversations: the next message continues them on whichever model is loaded then.
   */
  async detach(): Promise<void> {
    const running = [...this.running.values()];
    for (const { controller } of running) controller.abort();
    await Promise.all(running.map(({ finished }) => finished));
    const chat = this.current;
    if (chat) this.keepTurns(chat);
    chat?.session.dispose({ disposeSequence: true });
    this.current = null;
  }

  /** Saves the current conversation's turns (not the system prompt: the next session brings its own). */
  private keepTurns(chat: Session): void {
    if (!chat.conversationId) return;
    const turns = chat.session.getChatHistory().filter((item) => item.type !== 'system');
    this.histories.set(chat.conversationId, turns);
    chat.conversationId = null;
  }

  private noModelError(): NoModelLoadedError {
    return this.models.status().state === 'loading'
      ? new NoModelLoadedError('The model is still loading. Send your message when it is ready.')
      : new NoModelLoadedError('No model is loaded. Choose a model first.');
  }

  private async generate(params: ChatParams, call: CallContext, signal: AbortSignal): Promise<ChatResult> {
    const { conversationId } = params;
    if (signal.aborted) {
      return {
        conversationId,
        text: '',
        stopReason: 'cancelled',
        evaluatedPromptTokens: 0,
        generatedTokens: 0,
      };
    }
    const loaded = this.models.loaded;
    if (!loaded) throw this.noModelError();
    const chat = this.sessionFor(loaded);
    this.switchTo(chat, conversationId);

    const contextSize = chat.sequence.contextSize;
    // Without a limit a model that never emits end-of-generation would run forever.
    const settings = loaded.settings;
    const maxTokens =
      params.maxTokens ?? Math.min(settings?.maxTokens ?? Infinity, Math.floor(contextSize / 2));
    const sampling: SamplingOptions = {
      ...DEFAULT_SAMPLING,
      ...(settings
        ? { temperature: settings.temperature, topK: settings.topK, topP: settings.topP, minP: settings.minP }
        : {}),
      ...this.samplingOverride,
    };
    const message = fitMessage({
      model: loaded.model,
      text: params.text,
      contextSize,
      overheadTokens: chat.overheadTokens,
      answerTokens: Math.min(maxTokens, Math.floor(contextSize / 4)),
    });

    const meterBefore = chat.sequence.tokenMeter.getState();
    let generatedTokens = 0;
    const response = await chat.session.promptWithMeta(message.text, {
      ...sampling,
      ...(settings && settings.repeatPenalty !== 1
        ? { repeatPenalty: { penalty: settings.repeatPenalty } }
        : {}),
      maxTokens,
      signal,
      stopOnAbortSignal: true,
      onToken: (tokens) => {
        generatedTokens += tokens.length;
      },
      onTextChunk: (text) => {
        call.emit('chat.delta', { requestId: call.requestId, conversationId, text });
      },
    });
    const used = chat.sequence.tokenMeter.diff(meterBefore);
    const stopReason =
      response.stopReason === 'abort'
        ? 'cancelled'
        : response.stopReason === 'maxTokens'
          ? 'maxTokens'
          : 'end';
    return {
      conversationId,
      text: response.responseText,
      stopReason,
      evaluatedPromptTokens: used.usedInputTokens,
      generatedTokens,
      ...(message.notice ? { notice: message.notice } : {}),
    };
  }

  private sessionFor(loaded: LoadedModel): Session {
    const systemPrompt = loaded.settings?.systemPrompt.trim() ?? '';
    if (this.current?.loaded === loaded && this.current.systemPrompt === systemPrompt) return this.current;
    // A new system prompt on the same model: a new session, carrying the conversation's turns over.
    if (this.current?.loaded === loaded) this.keepTurns(this.current);
    this.current?.session.dispose({ disposeSequence: true });
    const sequence = loaded.context.getSequence();
    const session = new LlamaChatSession({
      contextSequence: sequence,
      autoDisposeSequence: false,
      ...(systemPrompt ? { systemPrompt } : {}),
    });
    const initialHistory = session.getChatHistory();
    this.current = {
      loaded,
      sequence,
      session,
      initialHistory,
      overheadTokens: overheadTokensOf(session, loaded.model, initialHistory),
      conversationId: null,
      systemPrompt,
    };
    return this.current;
  }

  private switchTo(chat: Session, conversationId: string): void {
    if (chat.conversationId === conversationId) return;
    if (chat.conversationId !== null) this.histories.set(chat.conversationId, chat.session.getChatHistory());
    const turns = this.histories.get(conversationId);
    const carried = turns?.length && turns[0]?.type !== 'system' ? [...chat.initialHistory, ...turns] : turns;
    chat.session.setChatHistory(carried ?? chat.initialHistory);
    this.histories.delete(conversationId);
    chat.conversationId = conversationId;
  }
}
