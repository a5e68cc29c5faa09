/**
 * How the API shares the app's loaded model with the desktop chat: the API gets its OWN
 * LlamaContext on the same LlamaModel. The weights are shared (loaded once); the API has its own
 * KV cache and sequence, so the desktop chat's sequence, its conversation and its prompt reuse
 * are never touched, and both can generate at the same time. (Queueing API requests behind the
 * chat on one sequence would make every API request wipe the chat's cached prompt, and a long
 * desktop answer would stall the API.) The cost is the API context's KV memory, kept modest by
 * capping its size at API_CONTEXT_MAX.
 *
 * When the app unloads or switches its model, `release()` aborts the API work running on it,
 * waits for it to stop, and frees the API context before the model is disposed.
 */
import type { LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { CancelledError, ModelBusyError, ModelTooLargeError } from '../errors/index.js';
import type { LoadedModel } from '../inference/ModelHost.js';

/** The API context's largest size in tokens (its KV cache is extra memory beside the chat's). */
export const API_CONTEXT_MAX = 4096;

export const MODEL_WENT_AWAY = 'The app unloaded or switched its model while this request ran. Try again.';

export interface ApiSequence {
  modelId: string;
  loaded: LoadedModel;
  sequence: LlamaContextSequence;
  contextSize: number;
  /** Aborted when the client goes away or the model is being unloaded. */
  signal: AbortSignal;
}

interface Slot {
  modelId: string;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
}

export class ApiModelSlot {
  private slot: Slot | null = null;
  private readonly running = new Set<{
    controller: AbortController;
    done: Promise<unknown>;
    released: boolean;
  }>();
  private creating: Promise<Slot> | null = null;

  constructor(private readonly contextMax = API_CONTEXT_MAX) {}

  /** Runs `work` on the API's sequence for `loaded`, creating its context on first use. */
  async use<T>(loaded: LoadedModel, signal: AbortSignal, work: (api: ApiSequence) => Promise<T>): Promise<T> {
    const slot = await this.slotFor(loaded);
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    signal.addEventListener('abort', forward, { once: true });
    const done = work({
      modelId: slot.modelId,
      loaded,
      sequence: slot.sequence,
      contextSize: slot.context.contextSize,
      signal: controller.signal,
    });
    const entry = { controller, done: done.catch(() => undefined), released: false };
    this.running.add(entry);
    try {
      return await done;
    } catch (error) {
      // Stopped because the model went away, not by the client: say so (503, try again).
      if (entry.released && !signal.aborted) throw new ModelBusyError(MODEL_WENT_AWAY, { cause: error });
      throw error;
    } finally {
      signal.removeEventListener('abort', forward);
      this.running.delete(entry);
    }
  }

  /** Stops the API's work and frees its context (before the model itself is disposed). */
  async release(): Promise<void> {
    for (const entry of this.running) {
      entry.released = true;
      entry.controller.abort(new CancelledError('The model was unloaded.'));
    }
    await Promise.all([...this.running].map((entry) => entry.done));
    await this.creating?.catch(() => undefined);
    const slot = this.slot;
    this.slot = null;
    if (slot && !slot.context.disposed) await slot.context.dispose();
  }

  private async slotFor(loaded: LoadedModel): Promise<Slot> {
    if (this.slot?.model === loaded.model && !this.slot.context.disposed) return this.slot;
    if (this.creating) {
      const slot = await this.creating;
      if (slot.model === loaded.model) return slot;
    }
    await this.release();
    this.creating = (async () => {
      let context: LlamaContext;
      try {
        context = await loaded.model.createContext({
          contextSize: Math.min(loaded.contextSize, this.contextMax),
          sequences: 1,
          threads: loaded.threads,
        });
      } catch (error) {
        throw new ModelTooLargeError(
          `There is not enough memory for the API's own context on ${loaded.name}: ${(error as Error).message}`,
          undefined,
          { cause: error },
        );
      }
      const slot = { modelId: loaded.id, model: loaded.model, context, sequence: context.getSequence() };
      this.slot = slot;
      return slot;
    })();
    try {
      return await this.creating;
    } finally {
      this.creating = null;
    }
  }
}
