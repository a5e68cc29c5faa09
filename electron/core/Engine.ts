/**
 * The composition root of the Hearth core: builds the services and implements every contract
 * method as a handler. Fronts (Electron IPC, the WebSocket host, the CLI) wrap `handlers` in a
 * Dispatcher per connection and forward `onEvent` broadcasts to every connection.
 */
import type { Llama } from 'node-llama-cpp';
import type { EventPayload, ModelStatus } from '../common/api/contract.js';
import type { CallContext, Handlers } from '../common/api/dispatch.js';
import { ChatService, type SamplingOptions } from './chats/ChatService.js';
import type { MemoryProbe } from './inference/memory.js';
import { ModelHost } from './inference/ModelHost.js';
import { createLlamaRuntime } from './inference/runtime.js';
import { THREADS_ENV } from './inference/threads.js';
import { listModels } from './models/listModels.js';
import { resolveModelPath } from './models/resolveModelPath.js';
import { openLibrary, type LibrarySettings } from './library/openLibrary.js';
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
  /** The document library's settings (see LibrarySettings). */
  library?: LibrarySettings;
}

/** Events every connection receives (per-call events go through CallContext.emit instead). */
export type BroadcastEvent = 'models.changed' | 'library.progress' | 'library.changed';
export type BroadcastArgs = { [E in BroadcastEvent]: [event: E, payload: EventPayload<E>] }[BroadcastEvent];
/** Checking `event` narrows `payload` (a discriminated tuple). */
export type EngineEventListener = (...args: BroadcastArgs) => void;

export interface Engine {
  readonly handlers: Handlers;
  readonly dataDir: string;
  readonly modelsDir: string;
  /** Where the headless host stores uploaded files (browser drops) for library.add's `uploads`. */
  readonly libraryUploadsDir: string;
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

  const library = await openLibrary({
    dataDir,
    modelsDir,
    env,
    runtime: getRuntime,
    threads: options.threads ?? env[THREADS_ENV],
    settings: options.library ?? {},
    emit: (event, payload) => {
      for (const listener of listeners) (listener as (e: string, p: unknown) => void)(event, payload);
    },
  });

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
    'library.add': async (params) => library.add(params),
    'library.waitIdle': async (_params, call) => library.waitIdle(call.signal),
    'library.status': async () => library.fullStatus(),
    'library.pause': async () => library.pause(),
    'library.resume': async () => library.resume(),
    'library.cancel': async ({ itemId }) => library.cancel(itemId),
    'library.clearFinished': async () => library.clearFinished(),
    'library.search': async (params) => library.search(params),
    'library.documents': async ({ collection }) => library.documents(collection),
    'library.removeDocument': async ({ documentId }) => library.removeDocument(documentId),
    'library.unwatch': async ({ path }) => library.unwatch(path),
    'collections.list': async () => library.listCollections(),
    'collections.create': async ({ name }) => library.createCollection(name),
    'collections.rename': async ({ collectionId, name }) => library.renameCollection(collectionId, name),
    'collections.delete': async ({ collectionId }) => library.deleteCollection(collectionId),
  };

  let disposed = false;
  return {
    handlers,
    dataDir,
    modelsDir,
    libraryUploadsDir: library.uploadsDir,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    loadModelFile: (path, loadOptions = {}) => host.load({ id: path, path, ...loadOptions }),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await library.dispose();
      await host.dispose();
      listeners.clear();
      if (!options.llama && runtime) await (await runtime.catch(() => undefined))?.dispose();
    },
  };
}
