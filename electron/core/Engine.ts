/**
 * The composition root of the Hearth core: builds the services and implements every contract
 * method as a handler. Fronts (Electron IPC, the WebSocket host, the CLI) wrap `handlers` in a
 * Dispatcher per connection and forward `onEvent` broadcasts to every connection.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import type { AttachedCollection, EventPayload, HardwareInfo, ModelStatus } from '../common/api/contract.js';
import type { CallContext, Handlers } from '../common/api/dispatch.js';
import { ChatService, type SamplingOptions } from './chats/ChatService.js';
import { openLibrary, type LibrarySettings } from './library/openLibrary.js';
import type { ContextPolicy } from './chats/contextWindow.js';
import { ConversationService } from './chats/ConversationService.js';
import { PresetStore } from './chats/PresetStore.js';
import { ConversationStore, type LoadedConversation } from './chats/store/ConversationStore.js';
import { ChatCollections } from './grounding/ChatCollections.js';
import { Grounder, type GroundingPlan } from './grounding/Grounder.js';
import { MIN_VECTOR_SIMILARITY_ENV, RERANK_MODEL_ENV, RerankerSource } from './grounding/rerankerModel.js';
import type { RelevanceSettings } from './grounding/retrieve.js';
import { NotFoundError } from './errors/NotFoundError.js';
import { NotSupportedError } from './errors/index.js';
import { IdleUnloader } from './inference/IdleUnloader.js';
import type { MemoryProbe } from './inference/memory.js';
import { ModelHost } from './inference/ModelHost.js';
import { createLlamaRuntime } from './inference/runtime.js';
import { THREADS_ENV } from './inference/threads.js';
import { cachedCatalog, CATALOG_ENV } from './models/catalog/catalog.js';
import { CatalogFits } from './models/catalog/CatalogFits.js';
import { DownloadManager } from './models/downloads/DownloadManager.js';
import { DEFAULT_HF_BASE, planDownload } from './models/downloads/sources.js';
import { ModelLibrary } from './models/ModelLibrary.js';
import { ModelRegistry } from './models/registry.js';
import { resolveModelPath } from './models/resolveModelPath.js';
import type { Network } from './net/network.js';
import { ensureModelsDir } from './paths.js';
import { AppSettingsStore } from './settings/AppSettingsStore.js';
// Privacy (issue 7)
import {
  openPrivateEngine,
  type PrivacyControls,
  type Services,
  type ServicesOptions,
} from './privacy/PrivateEngine.js';
import { ModelSettingsStore } from './settings/ModelSettingsStore.js';
// First-run setup and update checks (issue 10).
import { modelFolderCandidates, type FolderCandidate } from './setup/modelFolders.js';
import { SetupService } from './setup/SetupService.js';
import { SetupStore } from './setup/SetupStore.js';
import { UpdateSettingsStore } from './updates/UpdateSettingsStore.js';
// Local API (issue 8)
import { LocalApiService } from './localApi/LocalApiService.js';
import { LocalApiSettingsStore } from './localApi/LocalApiSettingsStore.js';
// Library embedding model setting (issue 4)
import { LibraryEmbedders } from './library/embedderChoice/LibraryEmbedders.js';
import { EMBED_MODEL_ENV } from './library/openLibrary.js';

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
  /**
   * The one way out to the network (downloads, remote headers, a remote catalog). By default the
   * network gate of privacy/PrivateEngine.ts (policy + ledger); pass one only in tests.
   */
  network?: Network;
  /** Catalog file path or http(s) URL; defaults to HEARTH_CATALOG_URL, then the bundled catalog. */
  catalogSource?: string;
  /** Base URL for hf: and catalog downloads; defaults to HEARTH_HF_BASE, then https://huggingface.co. */
  hfBase?: string;
  /** Shows a file in the system's file manager (the Electron shell passes shell.showItemInFolder). */
  revealInFolder?: (path: string) => Promise<void> | void;
  /** Download tuning (tests shorten the backoff, play a full disk). */
  downloads?: {
    baseDelayMs?: number;
    retries?: number;
    freeDiskBytes?: (dir: string) => Promise<number>;
    /** Resume downloads left from the last run at once (default); the CLI resumes only on `pull`. */
    autoResume?: boolean;
  };
  /** Hardware for fit badges; defaults to node-llama-cpp and the OS (tests play other machines). */
  hardware?: (llama: Llama) => Promise<HardwareInfo>;
  /** Milliseconds per idle "minute" (tests shorten it). */
  idleMinuteMs?: number;
  /** First-run setup (issue 10): where other apps' models are looked for, and the releases feed. */
  setup?: {
    /** Defaults to each app's folders under HEARTH_DETECT_HOME, then the user's home. */
    modelFolders?: () => FolderCandidate[];
    /** Defaults to HEARTH_RELEASES_URL, then the project's releases feed. */
    releasesUrl?: string;
  };
  // Privacy (issue 7)
  /** Where log lines go (none by default); lines with user content only while debug logging is on. */
  log?: (line: string) => void;
  /**
   * Entries of the data folder that "Delete all my data" leaves in place: the Electron shell's live
   * single-instance lock files (the shell clears Chromium's storage itself).
   */
  keepOnDelete?: readonly string[];
  /** Grounded answers (issue 5): the reranker (path, models-folder id or 'off') and relevance thresholds. */
  grounding?: {
    rerankModel?: string;
    relevance?: Partial<RelevanceSettings>;
    /** Opens a file in the system's default app (the Electron shell passes shell.openPath). */
    openFile?: (path: string) => Promise<void> | void;
  };
}

/** Events every connection receives (per-call events go through CallContext.emit instead). */
export type BroadcastEvent =
  | 'models.changed'
  | 'models.listChanged'
  | 'downloads.changed'
  | 'conversations.changed'
  | 'presets.changed'
  | 'library.progress'
  | 'library.changed'
  | 'library.watch'
  // Local API (issue 8)
  | 'localApi.changed'
  | 'localApi.request'
  // Privacy (issue 7)
  | 'privacy.changed'
  | 'privacy.dataDeleted';
/** A rest union of [event, payload] pairs, so checking `event` narrows `payload`. */
export type BroadcastArgs = { [E in BroadcastEvent]: [event: E, payload: EventPayload<E>] }[BroadcastEvent];
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
  /** Local API (issue 8): the OpenAI-compatible service a front serves over HTTP when enabled. */
  readonly localApi: LocalApiService;
  // Privacy (issue 7)
  /** Offline mode, for the Electron shell's own request blocking. */
  readonly privacy: PrivacyControls;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  // Privacy (issue 7): the data folder, network gate, ledger and privacy.* methods wrap the services.
  return openPrivateEngine(options, createServices);
}

/** The core services and every contract method but privacy.* (rebuilt after "delete all my data"). */
async function createServices(options: ServicesOptions): Promise<Services> {
  const dataDir = options.home;
  const modelsDir = await ensureModelsDir(dataDir);
  const env = options.env ?? process.env;
  const listeners = new Set<EngineEventListener>();
  const emit = (...args: BroadcastArgs) => {
    for (const listener of listeners) listener(...args);
  };
  const conversationChanged = (conversationId: string | null) =>
    emit('conversations.changed', { conversationId });
  const presetsChanged = () => emit('presets.changed', {});
  const chatsDir = join(dataDir, 'chats');
  const { store } = await ConversationStore.open({
    dir: chatsDir,
    trashRetentionMs: options.chats?.trashRetentionMs,
  });
  const presets = await PresetStore.open(chatsDir);
  const broadcast = (status: ModelStatus) => emit('models.changed', { status });
  const listChanged = () => emit('models.listChanged', {});

  let runtime: Promise<Llama> | undefined = options.llama ? Promise.resolve(options.llama) : undefined;
  const getRuntime = () => (runtime ??= createLlamaRuntime());
  const network = options.network;
  const registry = await ModelRegistry.open(dataDir, modelsDir);
  const modelSettings = await ModelSettingsStore.open(dataDir);
  const appSettings = await AppSettingsStore.open(dataDir);
  const catalog = cachedCatalog({
    source: options.catalogSource ?? (env[CATALOG_ENV] || undefined),
    network,
  });
  const hfBase = options.hfBase ?? (env.HEARTH_HF_BASE || DEFAULT_HF_BASE);
  const library = new ModelLibrary({
    modelsDir,
    registry,
    settings: modelSettings,
    runtime: getRuntime,
    hardware: options.hardware,
    freeDiskBytes: options.downloads?.freeDiskBytes,
  });

  const host: ModelHost = new ModelHost({
    runtime: getRuntime,
    memoryProbe: options.memoryProbe,
    threads: options.threads ?? env[THREADS_ENV],
    // Answers stop before the model they run on is disposed; conversations are kept. The local
    // API's own context on the model goes first.
    beforeUnload: async () => {
      await localApi.release();
      await chatService.resetAll();
    },
    onStatus: broadcast,
  });

  /** The model the idle timer unloaded: the next message loads it again. */
  let idleUnloaded: string | undefined;
  let reloadAfterIdle: Promise<ModelStatus> | undefined;
  const idle = new IdleUnloader({
    minutes: () => appSettings.get().idleUnloadMinutes,
    minuteMs: options.idleMinuteMs,
    unload: async () => {
      const loaded = host.loaded;
      if (!loaded || !isModelId(loaded.id)) return;
      idleUnloaded = loaded.id;
      await host.unload();
    },
  });
  const isModelId = (id: string) => {
    try {
      resolveModelPath(modelsDir, id);
      return true;
    } catch {
      return false;
    }
  };

  async function loadById(
    modelId: string,
    call: CallContext | undefined,
    overrides: { gpuLayers?: 'auto' | number; contextSize?: number; force?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<ModelStatus> {
    const path = resolveModelPath(modelsDir, modelId);
    await library.checkBeforeLoad(modelId);
    const settings = modelSettings.get(modelId);
    const status = await host.load({
      id: modelId,
      path,
      gpuLayers: overrides.gpuLayers ?? settings.gpuLayers,
      ...(overrides.contextSize !== undefined
        ? { contextSize: overrides.contextSize }
        : typeof settings.contextSize === 'number'
          ? { contextSize: settings.contextSize }
          : {}),
      ...(overrides.force ? { force: true } : {}),
      loras: settings.loras,
      settings,
      ...(call
        ? {
            signal: call.signal,
            onProgress: (progress: number) =>
              call.emit('models.loadProgress', { requestId: call.requestId, modelId, progress }),
          }
        : signal
          ? { signal }
          : {}),
    });
    idleUnloaded = undefined;
    await library.markUsed(modelId).catch(() => undefined);
    idle.touch();
    return status;
  }

  const chatService: ChatService = new ChatService(host, {
    store,
    presets,
    sampling: options.sampling,
    flushMs: options.chats?.flushMs,
    contextPolicy: options.chats?.contextPolicy,
    onChanged: conversationChanged,
    holdModel: (work) => idle.hold(() => countChatAnswer(work)),
    ensureLoaded: async (call) => {
      // Messages sent together after an idle unload share one reload rather than the second
      // being told the model is "still loading".
      if (!reloadAfterIdle && idleUnloaded && host.status().state === 'none') {
        reloadAfterIdle = loadById(idleUnloaded, call).finally(() => (reloadAfterIdle = undefined));
      }
      await reloadAfterIdle;
    },
    // Grounded answers: a conversation with collections attached answers from them.
    grounding: {
      attachmentsFor: (refs) => chatCollections.resolve(refs),
      plan: async (file, request): Promise<GroundingPlan | undefined> => {
        const collections: AttachedCollection[] = chatCollections.attached(file);
        return collections.length > 0 ? grounder.plan({ ...request, collections }) : undefined;
      },
    },
  });
  // Local API (issue 8): shares the loaded model with the chat (see localApi/ApiModelSlot.ts).
  let chatAnswers = 0;
  async function countChatAnswer<T>(work: () => Promise<T>): Promise<T> {
    chatAnswers++;
    try {
      return await work();
    } finally {
      chatAnswers--;
    }
  }
  const localApiSettings = await LocalApiSettingsStore.open(dataDir);
  const localApi: LocalApiService = new LocalApiService({
    settings: localApiSettings,
    host,
    listModels: () => library.list(),
    loadModel: async (modelId, signal) => {
      await loadById(modelId, undefined, {}, signal);
    },
    chatBusy: () => chatAnswers > 0,
    holdModel: (work) => idle.hold(work),
    embedder: () => documentLibrary.embeddingModel,
    runtime: getRuntime,
    onChanged: (state) => emit('localApi.changed', state),
    onRequest: (entry) => emit('localApi.request', entry),
    // Local API grounding (issue 8 part 5): the desktop chat's Grounder, over the document library.
    grounding: {
      findCollection: (ref) => documentLibrary.findCollection(ref),
      hasEmbedder: () => documentLibrary.embeddingModel !== undefined,
      plan: (request) => grounder.plan(request),
    },
  });

  const conversations = new ConversationService({
    store,
    isRunning: (id) => chatService.isRunning(id),
    onChanged: conversationChanged,
    // Grounded answers: built below, once the document library is open.
    collectionsOf: (file) => chatCollections.attached(file),
  });

  // Library embedding model setting (issue 4): option, HEARTH_EMBED_MODEL, the user's setting,
  // the catalog's default when installed, a file named like an embedding model.
  const libraryEmbedders = new LibraryEmbedders({
    modelsDir,
    libraryDir: join(dataDir, 'library'),
    option: options.library?.embedModel,
    environment: env[EMBED_MODEL_ENV],
    catalog,
    sourceOf: (modelId) => registry.get(modelId)?.source,
    runtime: getRuntime,
    threads: options.threads ?? env[THREADS_ENV],
  });

  // The document library (not the models one above): its own embedder threads, queue and index.
  const documentLibrary = await openLibrary({
    embedders: libraryEmbedders,
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

  // ---- Grounded answers (issue 5): collections attached to chats, cited sources ----
  const chatCollections: ChatCollections = new ChatCollections({
    store,
    library: documentLibrary,
    openConversation: async (conversationId): Promise<LoadedConversation> =>
      store.has(conversationId) ? store.get(conversationId) : chatService.create({ id: conversationId }),
    onChanged: conversationChanged,
  });
  const rerankers = new RerankerSource({
    modelsDir,
    configured: options.grounding?.rerankModel ?? (env[RERANK_MODEL_ENV] || undefined),
    catalogRerankerIds: async () =>
      new Set((await catalog()).filter((entry) => entry.kind === 'reranker').map((entry) => entry.id)),
    sourceOf: (modelId) => registry.get(modelId)?.source,
    runtime: getRuntime,
    threads: options.threads ?? env[THREADS_ENV],
  });
  const grounder = new Grounder({
    library: documentLibrary,
    reranker: () => rerankers.get(),
    relevance: {
      ...(env[MIN_VECTOR_SIMILARITY_ENV]
        ? { minVectorSimilarity: Number(env[MIN_VECTOR_SIMILARITY_ENV]) }
        : {}),
      ...options.grounding?.relevance,
    },
  });

  const downloads = await DownloadManager.open({
    dataDir,
    modelsDir,
    network,
    ...options.downloads,
    onChange: (info) => emit('downloads.changed', info),
    onInstalled: async (model) => {
      const files = [];
      for (const file of model.files) {
        const stats = await stat(join(modelsDir, file.id));
        files.push({ id: file.id, sha256: file.sha256, sizeBytes: stats.size, mtimeMs: stats.mtimeMs });
      }
      await registry.set(model.modelId, {
        files,
        source: model.source,
        ...(model.license ? { license: model.license } : {}),
        addedAt: new Date().toISOString(),
      });
      listChanged();
    },
  }).catch(async (error: unknown) => {
    await documentLibrary.dispose();
    await store.close();
    throw error;
  });

  const catalogFits = new CatalogFits({
    dataDir,
    network,
    runtime: getRuntime,
    hardware: () => library.hardware(),
  });
  async function catalogFit(entryId: string, quantization: string | undefined, signal: AbortSignal) {
    const plan = await planDownload(entryId, quantization, { catalog, hfBase });
    return catalogFits.fit(plan.files[0]?.url ?? '', `fit check: ${plan.name}`, signal);
  }

  // First-run setup and update checks (issue 10).
  const releasesUrl = options.setup?.releasesUrl ?? (env.HEARTH_RELEASES_URL || undefined);
  const setup = new SetupService({
    store: await SetupStore.open(dataDir),
    updateSettings: await UpdateSettingsStore.open(dataDir, releasesUrl ? { releasesUrl } : {}),
    network,
    version: options.version,
    catalog,
    hardware: () => library.hardware(),
    fit: (entryId, quantization, signal) =>
      catalogFit(entryId, quantization, signal ?? new AbortController().signal),
    installedSources: () => registry.sources(),
    modelFolders:
      options.setup?.modelFolders ??
      (() =>
        modelFolderCandidates({
          home: env.HEARTH_DETECT_HOME || homedir(),
          platform: process.platform,
          env,
        })),
  });

  const importProgress = (call: CallContext) => (stage: 'hashing' | 'copying', progress: number) =>
    call.emit('models.importProgress', { requestId: call.requestId, stage, progress });

  const handlers: Services['handlers'] = {
    'app.info': async () => ({
      version: options.version,
      dataDir,
      modelsDir,
      platform: process.platform,
    }),
    'models.list': async () => library.list(),
    'models.status': async () => host.status(),
    'models.load': async ({ modelId, ...overrides }, call: CallContext) => loadById(modelId, call, overrides),
    'models.unload': async () => {
      idle.clear();
      idleUnloaded = undefined;
      return host.unload();
    },
    'models.reveal': async ({ modelId }) => {
      const path = resolveModelPath(modelsDir, modelId);
      if (!options.revealInFolder)
        throw new NotSupportedError('Showing a file in its folder works in the desktop app only.');
      await stat(path).catch(() => {
        throw new NotSupportedError(`No file for "${modelId}".`);
      });
      await options.revealInFolder(path);
      return {};
    },
    'models.info': async ({ modelId }) => library.info(modelId),
    'models.delete': async ({ modelId }) => {
      const path = resolveModelPath(modelsDir, modelId);
      // The loaded model goes first, so its memory (and the file handle) are released.
      if (host.status().modelId === modelId || host.loaded?.path === path) await host.unload();
      if (idleUnloaded === modelId) idleUnloaded = undefined;
      await library.delete(modelId);
      listChanged();
      return {};
    },
    'models.import': async ({ path, mode, name }, call) => {
      const modelId = await library.import(
        path,
        { mode, ...(name ? { name } : {}), onProgress: importProgress(call) },
        call.signal,
      );
      listChanged();
      return library.entry(modelId);
    },
    'models.verify': async ({ modelId, accept }, call) => {
      resolveModelPath(modelsDir, modelId);
      try {
        await library.verify(modelId, accept ?? false, importProgress(call), call.signal);
      } finally {
        listChanged();
      }
      return library.entry(modelId);
    },
    'models.settings.get': async ({ modelId }) => library.getSettings(modelId),
    // Sampling, answer length and system prompt apply from the loaded model's next answer; context
    // size, GPU layers and adapters wait for its next load.
    'models.settings.set': async ({ modelId, settings }) =>
      host.applySettings(modelId, await library.setSettings(modelId, settings)),
    'models.settings.reset': async ({ modelId }) =>
      host.applySettings(modelId, await library.resetSettings(modelId)),
    'hardware.info': async () => library.hardware(),
    'catalog.list': async () => catalog(),
    'catalog.fit': async ({ entryId, quantization }, call) => catalogFit(entryId, quantization, call.signal),
    'downloads.list': async () => downloads.list(),
    'downloads.start': async ({ source, quantization }) =>
      downloads.start(await planDownload(source, quantization, { catalog, hfBase }), (fileName) =>
        stat(join(modelsDir, fileName)).then(
          () => true,
          () => false,
        ),
      ),
    'downloads.pause': async ({ downloadId }) => downloads.pause(downloadId),
    'downloads.resume': async ({ downloadId }) => downloads.resume(downloadId),
    'downloads.cancel': async ({ downloadId }) => downloads.cancel(downloadId),
    'downloads.clear': async () => downloads.clear(),
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
    'library.add': async (params) => documentLibrary.add(params),
    'library.waitIdle': async (_params, call) => documentLibrary.waitIdle(call.signal),
    'library.status': async () => documentLibrary.fullStatus(),
    'library.pause': async () => documentLibrary.pause(),
    'library.resume': async () => documentLibrary.resume(),
    'library.cancel': async ({ itemId }) => documentLibrary.cancel(itemId),
    'library.clearFinished': async () => documentLibrary.clearFinished(),
    'library.search': async (params) => documentLibrary.search(params),
    'library.documents': async ({ collection }) => documentLibrary.documents(collection),
    'library.removeDocument': async ({ documentId }) => documentLibrary.removeDocument(documentId),
    'library.unwatch': async ({ path }) => documentLibrary.unwatch(path),
    'collections.list': async () => documentLibrary.listCollections(),
    'collections.create': async ({ name }) => documentLibrary.createCollection(name),
    'collections.rename': async ({ collectionId, name }) =>
      documentLibrary.renameCollection(collectionId, name),
    'collections.delete': async ({ collectionId }) => documentLibrary.deleteCollection(collectionId),
    'settings.get': async () => appSettings.get(),
    'settings.set': async (patch) => {
      const settings = await appSettings.set(patch);
      if (host.loaded) idle.touch();
      return settings;
    },
    // First-run setup and update checks (issue 10).
    'setup.status': async () => setup.status(),
    'setup.complete': async ({ skipped }) => setup.complete(skipped),
    'setup.reset': async () => setup.reset(),
    'setup.recommend': async (_params, call) => setup.recommend(call.signal),
    'setup.detect': async (_params, call) => setup.detect(call.signal),
    'updates.settings.get': async () => setup.updateSettings(),
    'updates.settings.set': async (patch) => setup.setUpdateSettings(patch),
    'updates.check': async (_params, call) => setup.checkForUpdate(call.signal),
    // Local API (issue 8)
    'localApi.get': async () => localApi.state(),
    'localApi.set': async (patch) => localApi.set(patch),
    'localApi.regenerateKey': async () => localApi.regenerateKey(),
    'localApi.log': async () => localApi.logEntries(),
    // ---- Grounded answers (issue 5) ----
    'chat.collections.set': async ({ conversationId, collections }) =>
      chatCollections.set(conversationId, collections),
    'chat.addFiles': async ({ conversationId, ...files }) => chatCollections.addFiles(conversationId, files),
    'chat.source': async ({ conversationId, messageId, n }) =>
      chatCollections.source(conversationId, messageId, n),
    'library.openDocument': async ({ documentId }) => {
      const openFile = options.grounding?.openFile;
      if (!openFile) throw new NotSupportedError('Opening a file works in the desktop app only.');
      const document = await documentLibrary.document(documentId);
      if (!document) throw new NotFoundError('This document is no longer in the library (source removed).');
      await openFile(document.path);
      return {};
    },
    // Library embedding model setting (issue 4)
    'library.embedder.get': async () => libraryEmbedders.describe(),
    'library.embedder.set': async ({ modelId }) => libraryEmbedders.set(modelId ?? null),
  };

  let disposed = false;
  return {
    handlers,
    dataDir,
    modelsDir,
    libraryUploadsDir: documentLibrary.uploadsDir,
    localApi,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    loadModelFile: (path, loadOptions = {}) => host.load({ id: path, path, ...loadOptions }),
    async dispose() {
      if (disposed) return;
      disposed = true;
      idle.clear();
      await downloads.dispose();
      // The library's embedder runs on the runtime disposed below: it goes before the runtime.
      await documentLibrary.dispose();
      await chatService.resetAll();
      await rerankers.dispose();
      await host.dispose();
      await store.close();
      listeners.clear();
      if (!options.llama && runtime) await (await runtime.catch(() => undefined))?.dispose();
    },
  };
}
