/**
 * One conversation with the loaded model: the transcript, the answer being streamed, and the
 * calls that drive them. Follow-up questions reuse the conversation id, so the core keeps the
 * model's context between turns.
 */
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';
import { randomId } from '../../lib/ids.js';
import { ChatMessage } from './ChatMessage.svelte.js';

/** Shorter answers than this are not timed: the speed would be noise. */
const minTimedMs = 50;

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export class Conversation {
  id = $state(randomId());
  /** Replaced once per turn (never per token); each message's own fields carry the changes. */
  messages = $state.raw<readonly ChatMessage[]>([]);
  /** The reply being streamed, if any. */
  streaming = $state.raw<ChatMessage | null>(null);

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
  private controller: AbortController | null = null;
  private turn: Promise<void> | null = null;

  constructor(api: HearthClient) {
    this.api = api;
  }

  get busy(): boolean {
    return this.streaming !== null;
  }

  /** Sends a question and streams the answer into a new assistant message. */
  send(text: string, author: string | null): Promise<void> {
    if (this.busy || !text.trim()) return Promise.resolve();
    const question = new ChatMessage('user', text);
    const reply = new ChatMessage('assistant', '', { state: 'streaming', author });
    this.messages = [...this.messages, question, reply];
    this.streaming = reply;
    const controller = new AbortController();
    this.controller = controller;
    this.turn = this.stream(text, reply, controller.signal).finally(() => {
      if (this.controller === controller) this.controller = null;
      if (this.streaming === reply) this.streaming = null;
      this.turn = null;
    });
    return this.turn;
  }

  /** Stops the answer; the core ends it and keeps what was written. */
  stop(): void {
    this.controller?.abort();
  }

  /** Starts a new conversation; the core forgets the old one. */
  async reset(): Promise<void> {
    const previous = this.id;
    this.stop();
    await this.turn;
    this.id = randomId();
    this.messages = [];
    try {
      await this.api.call('chat.reset', { conversationId: previous });
    } catch (error) {
      console.warn('Hearth: could not reset the previous conversation:', error);
    }
  }

  /**
   * Follows the loaded model. The core keeps a conversation's history across a switch and the next
   * message continues it on the new model, so the transcript only says where the switch happened.
   * An idle unload and reload of the same model says nothing.
   */
  followModel(modelId: string | null, modelName: string | null): void {
    if (modelId === this.modelId) return;
    const firstSeen = this.modelId === undefined;
    this.modelId = modelId;
    if (modelId === null) return;
    const previous = this.lastLoaded;
    this.lastLoaded = modelId;
    if (firstSeen || previous === null || previous === modelId || this.messages.length === 0) return;
    const line = `Switched to ${modelName ?? 'another model'}. The conversation continues with it.`;
    this.messages = [...this.messages, new ChatMessage('divider', line)];
  }

  private async stream(text: string, reply: ChatMessage, signal: AbortSignal): Promise<void> {
    let firstDeltaAt: number | null = null;
    try {
      const result = await this.api.call(
        'chat.send',
        { conversationId: this.id, text },
        {
          signal,
          onEvent: (event) => {
            if (event.event === 'models.loadProgress') {
              this.onModelLoadProgress?.(event.payload.modelId, event.payload.progress);
              return;
            }
            if (event.event !== 'chat.delta') return;
            firstDeltaAt ??= performance.now();
            reply.text += event.payload.text;
          },
        },
      );
      const elapsedMs = firstDeltaAt === null ? 0 : performance.now() - firstDeltaAt;
      // The result's text is the core's own record of the answer: trust it over the deltas.
      reply.text = result.text;
      reply.stopReason = result.stopReason;
      reply.notice = result.notice ?? null;
      reply.stats = {
        generatedTokens: result.generatedTokens,
        tokensPerSecond: elapsedMs >= minTimedMs ? (result.generatedTokens / elapsedMs) * 1000 : null,
      };
      reply.state = 'done';
    } catch (error) {
      const remote = asRemoteError(error);
      if (remote.code === ErrorCode.Cancelled) {
        reply.stopReason = 'cancelled';
        reply.state = 'done';
      } else {
        reply.error = remote;
        reply.state = 'failed';
      }
    }
  }
}
