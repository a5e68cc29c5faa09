/**
 * The composition root of the Hearth core: builds the services and implements every contract
 * method as a handler. Fronts (Electron IPC, the WebSocket host, the CLI) wrap `handlers` in a
 * Dispatcher per connection and forward `onEvent` broadcasts to every connection.
 */
import { join } from 'node:path';
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
import type { ContextPolicy } from './chats/contextWindow.js';
import { ConversationService } from './chats/ConversationService.js';
import { PresetStore } from './chats/PresetStore.js';
import { ConversationStore } from './chats/store/ConversationStore.js';

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
  /** Conversation store tuning (tests shorten these). */
  chats?: {
    /** How often a streaming answer is written to disk (ms). */
    flushMs?: number;
    /** How long a deleted conversation can be restored (ms). */
    trashRetentionMs?: number;
    contextPolicy?: ContextPolicy;
  };
  /** The document library's settings (see LibrarySettings). */
  library?: LibrarySettings;
}

/** Events every connection receives (per-call events go through CallContext.emit instead). */
export type BroadcastEvent =
  'models.changed' | 'conversations.changed' | 'presets.changed' | 'library.progress' | 'library.changed';
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
  const conversationChanged = (conversationId: string | null) => {
    for (const listener of listeners) listener('conversations.changed', { conversationId });
  };
  const presetsChanged = () => {
    for (const listener of listeners) listener('presets.changed', {});
  };
  const chatsDir = join(dataDir, 'chats');
  const { store } = await ConversationStore.open({
    dir: chatsDir,
    trashRetentionMs: options.chats?.trashRetentionMs,
  });
  const presets = await PresetStore.open(chatsDir);

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
  const chatService = new ChatService(host, {
    store,
    presets,
    sampling: options.sampling,
    flushMs: options.chats?.flushMs,
    contextPolicy: options.chats?.contextPolicy,
    onChanged: conversationChanged,
  });
  const conversations = new ConversationService({
    store,
    isRunning: (id) => chatService.isRunning(id),
    onChanged: conversationChanged,
  });

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
  }).catch(async (error: unknown) => {
    // The store is already open (and may hold timers): close it before failing.
    await store.close();
    throw error;
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
    'chat.regenerate': async (params, call) => chatService.regenerate(params, call),
    'chat.edit': async (params, call) => chatService.edit(params, call),
    'chat.continue': async (params, call) => chatService.continue(params, call),
    'conversations.list': async ({ includeDeleted }) => {
      // A front that lists conversations will likely search them: build the index meanwhile.
      store.warmSearchSoon();
      return conversations.list(includeDeleted);
    },
    'conversations.get': async ({ conversationId }) => conversations.get(conversationId),
    'conversations.create': async (params) => conversations.view(await chatService.create(params)),
    'conversations.rename': async ({ conversationId, title }) => conversations.rename(conversationId, title),
    'conversations.pin': async ({ conversationId, pinned }) => conversations.pin(conversationId, pinned),
    'conversations.delete': async ({ conversationId }) => conversations.delete(conversationId),
    'conversations.restore': async ({ conversationId }) => conversations.restore(conversationId),
    'conversations.switchBranch': async ({ conversationId, messageId }) =>
      conversations.switchBranch(conversationId, messageId),
    'conversations.search': async ({ query, limit }) => conversations.search(query, limit),
    'conversations.export': async ({ conversationId, format }) =>
      conversations.export(conversationId, format),
    'conversations.import': async ({ content }) => conversations.import(content),
    'presets.list': async () => presets.list(),
    'presets.create': async (fields) => {
      const preset = await presets.create(fields);
      presetsChanged();
      return preset;
    },
    'presets.update': async ({ presetId, ...fields }) => {
      const preset = await presets.update(presetId, fields);
      presetsChanged();
      return preset;
    },
    'presets.delete': async ({ presetId }) => {
      await presets.delete(presetId);
      presetsChanged();
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
      await store.close();
      listeners.clear();
      if (!options.llama && runtime) await (await runtime.catch(() => undefined))?.dispose();
    },
  };
}
