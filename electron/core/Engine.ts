/**
 * The composition root of the Hearth core: builds the services and implements every contract
 * method as a handler. Fronts (Electron IPC, the WebSocket host, the CLI) wrap `handlers` in a
 * Dispatcher per connection and forward `onEvent` broadcasts to every connection.
 */
import type { Llama } from 'node-llama-cpp';
import type { EventPayload, ModelStatus } from '../common/api/contract.js';
import type { CallContext, Handlers } from '../common/api/dispatch.js';
import { ErrorCode, HearthError } from '../common/api/errors.js';
import { ChatService, type SamplingOptions } from './chats/ChatService.js';
import type { MemoryProbe } from './inference/memory.js';
import { ModelHost } from './inference/ModelHost.js';
import { createLlamaRuntime } from './inference/runtime.js';
import { THREADS_ENV } from './inference/threads.js';
import { listModels } from './models/listModels.js';
import { resolveModelPath } from './models/resolveModelPath.js';
import { ensureModelsDir } from './paths.js';

export interface EngineOptions {
  /** The data folder (see resolveDataDir); models live in <home>/models. */
  home: string;
  /** The app version reported by app.info. */
  version: string;
  /** A runtime to share; by default one is created on the first model load and disposed with the engine. */
  llama?: Llama;
  /** What is free for a model; defaults to the OS (plus VRAM on a GPU). */
  memoryProbe?: MemoryProbe;
  /** Thread count for inference; defaults to HEARTH_THREADS, then a choice from the cores and model size. */
  threads?: number;
  /** Environment to read HEARTH_THREADS from; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  sampling?: Partial<SamplingOptions>;
}

/** Events every connection receives (per-call events go through CallContext.emit instead). */
export type BroadcastEvent = 'models.changed' | 'models.listChanged' | 'downloads.changed';
export type BroadcastArgs = { [E in BroadcastEvent]: [event: E, payload: EventPayload<E>] }[BroadcastEvent];
export type EngineEventListener = (...args: BroadcastArgs) => void;

export interface Engine {
  readonly handlers: Handlers;
  readonly dataDir: string;
  readonly modelsDir: string;
  /** Subscribes to broadcast events; returns the unsubscribe function. */
  onEvent(listener: EngineEventListener): () => void;
  /**
   * Loads a model file by path, inside the models folder or not (for the CLI's `--model <path>`).
   * Its id in ModelStatus is the path. Contract callers use `models.load` with an id instead.
   */
  loadModelFile(
    path: string,
    options?: { signal?: AbortSignal; onProgress?: (progress: number) => void },
  ): Promise<ModelStatus>;
  /** Stops answers, frees the model and (when the engine created it) the runtime. */
  dispose(): Promise<void>;
}

const notYet = () => Promise.reject(new HearthError(ErrorCode.Internal, 'Not implemented yet.'));
const pending = {
  'models.info': notYet,
  'models.reveal': notYet,
  'models.delete': notYet,
  'models.import': notYet,
  'models.verify': notYet,
  'models.settings.get': notYet,
  'models.settings.set': notYet,
  'models.settings.reset': notYet,
  'hardware.info': notYet,
  'catalog.list': notYet,
  'catalog.fit': notYet,
  'downloads.list': notYet,
  'downloads.start': notYet,
  'downloads.pause': notYet,
  'downloads.resume': notYet,
  'downloads.cancel': notYet,
  'downloads.clear': notYet,
  'settings.get': notYet,
  'settings.set': notYet,
};

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const dataDir = options.home;
  const modelsDir = await ensureModelsDir(dataDir);
  const env = options.env ?? process.env;
  const listeners = new Set<EngineEventListener>();
  const broadcast = (status: ModelStatus) => {
    for (const listener of listeners) listener('models.changed', { status });
  };

  let runtime: Promise<Llama> | undefined = options.llama ? Promise.resolve(options.llama) : undefined;
  const getRuntime = () => (runtime ??= createLlamaRuntime());

  const host: ModelHost = new ModelHost({
    runtime: getRuntime,
    memoryProbe: options.memoryProbe,
    threads: options.threads ?? env[THREADS_ENV],
    // Answers stop and sessions go before the model they run on is disposed.
    beforeUnload: () => chatService.resetAll(),
    onStatus: broadcast,
  });
  const chatService = new ChatService(host, { sampling: options.sampling });

  const handlers: Handlers = {
    'app.info': async () => ({
      version: options.version,
      dataDir,
      modelsDir,
      platform: process.platform,
    }),
    'models.list': async () => listModels(modelsDir),
    'models.status': async () => host.status(),
    'models.load': async ({ modelId }, call: CallContext) =>
      host.load({
        id: modelId,
        path: resolveModelPath(modelsDir, modelId),
        signal: call.signal,
        onProgress: (progress) =>
          call.emit('models.loadProgress', { requestId: call.requestId, modelId, progress }),
      }),
    'models.unload': async () => host.unload(),
    'chat.send': async (params, call) => chatService.send(params, call),
    'chat.reset': async ({ conversationId }) => {
      await chatService.reset(conversationId);
      return {};
    },
    ...pending,
  };

  let disposed = false;
  return {
    handlers,
    dataDir,
    modelsDir,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    loadModelFile: (path, loadOptions = {}) => host.load({ id: path, path, ...loadOptions }),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await host.dispose();
      listeners.clear();
      if (!options.llama && runtime) await (await runtime.catch(() => undefined))?.dispose();
    },
  };
}
