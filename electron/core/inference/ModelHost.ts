/**
 * Holds at most one loaded model and its context. Loads are serialized: a second load while
 * one runs is refused with ModelBusy. Memory is checked before loading, from node-llama-cpp's
 * own estimates, so a model that cannot fit fails with a clear message instead of thrashing.
 */
import { availableParallelism } from 'node:os';
import {
  GgufInsights,
  InsufficientMemoryError,
  type Llama,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import type { LoraAdapter, ModelSettings, ModelStatus } from '../../common/api/contract.js';
import { HearthError } from '../../common/api/errors.js';
import { CancelledError, ModelBusyError, ModelLoadFailedError, ModelTooLargeError } from '../errors/index.js';
import { inspectModelFile } from '../models/inspectModelFile.js';
import { contextSizeCandidates } from './contextSize.js';
import { estimateLoadBytes, formatBytesPair, systemMemoryProbe, type MemoryProbe } from './memory.js';
import { backendOf } from './runtime.js';
import { chooseThreads } from './threads.js';

export interface LoadedModel {
  id: string;
  path: string;
  name: string;
  model: LlamaModel;
  context: LlamaContext;
  contextSize: number;
  threads: number;
  backend: string;
  /** node-llama-cpp's estimate of what model and context hold, freed again by unloading. */
  estimatedBytes: number;
  /** The model's settings at load time (sampling, system prompt), read by the chat service. */
  settings?: ModelSettings;
  loras: LoraAdapter[];
  gpuLayers: number;
  /** How it was loaded, to load it again (restoring it after a failed switch). */
  request: LoadRequest;
}

export interface ModelHostOptions {
  /** The shared runtime, created on first use. */
  runtime: () => Promise<Llama>;
  memoryProbe?: MemoryProbe;
  /** Thread override (option or HEARTH_THREADS); otherwise chosen from the cores and model size. */
  threads?: number | string;
  /** Runs before the loaded model is disposed, e.g. to stop and drop chat sessions. */
  beforeUnload?: (loaded: LoadedModel) => Promise<void>;
  /** Every state change (loading, loaded, none). */
  onStatus?: (status: ModelStatus) => void;
}

export interface LoadRequest {
  id: string;
  path: string;
  signal?: AbortSignal;
  /** 0..1 while the weights load. */
  onProgress?: (progress: number) => void;
  /** 'auto' (default) fits as many layers on the GPU as memory allows. */
  gpuLayers?: 'auto' | number;
  /** A fixed context size; otherwise the largest that fits (up to 8,192). */
  contextSize?: number;
  /** Load even when the memory estimate says it will not fit (the user confirmed). */
  force?: boolean;
  loras?: LoraAdapter[];
  settings?: ModelSettings;
}

interface Loading {
  id: string;
  progress: number;
  controller: AbortController;
  settled: Promise<void>;
}

interface LoadPlan {
  contextSize: number;
  threads: number;
  estimatedBytes: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether two requests load the same way (what needs a reload to change). */
function sameLoad(a: LoadRequest, b: LoadRequest): boolean {
  const key = (r: LoadRequest) =>
    JSON.stringify([r.gpuLayers ?? 'auto', r.contextSize ?? null, r.loras ?? []]);
  return key(a) === key(b);
}

export class ModelHost {
  private current: LoadedModel | null = null;
  private loading: Loading | null = null;
  private readonly memoryProbe: MemoryProbe;

  constructor(private readonly options: ModelHostOptions) {
    this.memoryProbe = options.memoryProbe ?? systemMemoryProbe;
  }

  /** The model ready for chat, or null (also while another one is loading). */
  get loaded(): LoadedModel | null {
    return this.loading ? null : this.current;
  }

  status(): ModelStatus {
    if (this.loading) return { state: 'loading', modelId: this.loading.id, progress: this.loading.progress };
    if (this.current) {
      const { id, contextSize, backend, threads } = this.current;
      return { state: 'loaded', modelId: id, contextSize, backend, threads };
    }
    return { state: 'none', modelId: null };
  }

  async load(request: LoadRequest): Promise<ModelStatus> {
    if (this.loading) {
      throw new ModelBusyError(`"${this.loading.id}" is still loading. Wait for it, or cancel it first.`);
    }
    // Choosing the model that is already loaded keeps it (and its conversations).
    // Same file with the same load options: keep it, taking new sampling settings as they are.
    if (
      this.current?.path === request.path &&
      this.current.id === request.id &&
      sameLoad(this.current.request, request)
    ) {
      this.current.settings = request.settings;
      return this.status();
    }
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(request.signal?.reason);
    if (request.signal?.aborted) forwardAbort();
    request.signal?.addEventListener('abort', forwardAbort, { once: true });

    let settle!: () => void;
    const loading: Loading = {
      id: request.id,
      progress: 0,
      controller,
      settled: new Promise((resolve) => (settle = resolve)),
    };
    this.loading = loading;
    this.notify();
    const previous = this.current;
    try {
      await this.loadNow(request, loading);
    } catch (error) {
      let failure = error;
      if (controller.signal.aborted && !(error instanceof CancelledError)) {
        failure = new CancelledError('Loading the model was cancelled.', { cause: error });
      }
      throw await this.restore(previous, failure);
    } finally {
      request.signal?.removeEventListener('abort', forwardAbort);
      this.loading = null;
      settle();
      this.notify();
    }
    return this.status();
  }

  /**
   * After a failed switch, loads the model that was there before (it was freed first to make
   * room), so a bad choice never leaves the user without the model they had. Returns the error
   * to throw, saying what happened to the previous model.
   */
  private async restore(previous: LoadedModel | null, failure: unknown): Promise<unknown> {
    if (!previous || this.current || !(failure instanceof HearthError)) return failure;
    const again: Loading = {
      id: previous.id,
      progress: 0,
      controller: new AbortController(),
      settled: Promise.resolve(),
    };
    try {
      await this.loadNow({ ...previous.request, signal: undefined, onProgress: undefined }, again);
    } catch (restoreError) {
      return new ModelLoadFailedError(
        `${failure.message} ${previous.name} could not be loaded again either: ${messageOf(restoreError)}`,
        { cause: failure },
      );
    }
    const message = `${failure.message} ${previous.name} is loaded again.`;
    if (failure instanceof CancelledError) return new CancelledError(message, { cause: failure });
    if (failure instanceof ModelTooLargeError) {
      const { neededBytes, availableBytes } = failure;
      const shortfall =
        neededBytes !== undefined && availableBytes !== undefined
          ? { neededBytes, availableBytes }
          : undefined;
      return new ModelTooLargeError(message, shortfall, { cause: failure });
    }
    return new ModelLoadFailedError(message, { cause: failure });
  }

  /**
   * Gives the loaded model (when it is `id`) new settings for its next answers: sampling, answer
   * length, system prompt. What needs a reload (context size, GPU layers, adapters) waits for one.
   */
  applySettings(id: string, settings: ModelSettings): ModelSettings {
    if (this.current?.id === id) this.current.settings = settings;
    return settings;
  }

  /** Frees the loaded model (and aborts a load in progress). */
  async unload(): Promise<ModelStatus> {
    const loading = this.loading;
    if (loading) {
      loading.controller.abort();
      await loading.settled;
    }
    if (this.current) {
      await this.disposeCurrent();
      this.notify();
    }
    return this.status();
  }

  async dispose(): Promise<void> {
    await this.unload();
  }

  private notify(): void {
    this.options.onStatus?.(this.status());
  }

  private async loadNow(request: LoadRequest, loading: Loading): Promise<void> {
    const signal = loading.controller.signal;
    const checkAborted = () => {
      if (signal.aborted) throw new CancelledError('Loading the model was cancelled.');
    };
    const inspected = await inspectModelFile(request.path, signal);
    checkAborted();
    const llama = await this.options.runtime();
    const insights = await GgufInsights.from(inspected.info, llama);
    const name = inspected.info.metadata.general?.name || request.id;
    const plan = await this.plan(llama, insights, name, request);
    checkAborted();

    // One model at a time: free the old one before the new one takes memory.
    await this.disposeCurrent();

    let lastReported = -1;
    const reportProgress = (progress: number) => {
      loading.progress = progress;
      if (progress > lastReported && (progress - lastReported >= 0.01 || progress === 1)) {
        lastReported = progress;
        request.onProgress?.(progress);
      }
    };
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: request.path,
        gpuLayers: llama.gpu === false ? 0 : (request.gpuLayers ?? 'auto'),
        ...(request.force ? { ignoreMemorySafetyChecks: true } : {}),
        loadSignal: signal,
        onLoadProgress: reportProgress,
      });
    } catch (error) {
      throw this.loadError(error, signal, name);
    }
    let context: LlamaContext;
    try {
      const loras = request.loras ?? [];
      context = await model.createContext({
        contextSize: plan.contextSize,
        threads: plan.threads,
        sequences: 1,
        createSignal: signal,
        ...(request.force ? { ignoreMemorySafetyChecks: true } : {}),
        ...(loras.length > 0
          ? { lora: { adapters: loras.map((lora) => ({ filePath: lora.path, scale: lora.scale })) } }
          : {}),
      });
    } catch (error) {
      await model.dispose();
      throw this.loadError(error, signal, name);
    }
    if (signal.aborted) {
      await context.dispose();
      await model.dispose();
      checkAborted();
    }
    reportProgress(1);
    this.current = {
      id: request.id,
      path: request.path,
      name,
      model,
      context,
      contextSize: context.contextSize,
      threads: plan.threads,
      backend: backendOf(llama),
      estimatedBytes: plan.estimatedBytes,
      settings: request.settings,
      loras: request.loras ?? [],
      gpuLayers: model.gpuLayers,
      request: { ...request, signal: undefined, onProgress: undefined },
    };
  }

  /** Picks threads and the largest context size that fits, or refuses with the numbers. */
  private async plan(
    llama: Llama,
    insights: GgufInsights,
    name: string,
    request: LoadRequest,
  ): Promise<LoadPlan> {
    const threads = chooseThreads({
      physicalCores: llama.cpuMathCores,
      logicalCores: availableParallelism(),
      parameterCount: insights.totalParameters,
      override: this.options.threads,
    });
    const gpuLayers =
      llama.gpu === false
        ? 0
        : typeof request.gpuLayers === 'number'
          ? Math.min(request.gpuLayers, insights.totalLayers)
          : insights.totalLayers;
    const memory = await this.memoryProbe(llama);
    // The model being replaced gives its memory back before the new one loads.
    const available = memory.freeBytes + (this.current?.estimatedBytes ?? 0);
    let needed = 0;
    const candidates = request.contextSize
      ? [request.contextSize]
      : contextSizeCandidates(insights.trainContextSize);
    for (const contextSize of candidates) {
      needed = await estimateLoadBytes(insights, contextSize, gpuLayers);
      if (needed <= available || request.force) return { contextSize, threads, estimatedBytes: needed };
    }
    const [neededText, availableText] = formatBytesPair(needed, available);
    throw new ModelTooLargeError(
      `${name} needs about ${neededText} of memory, you have ${availableText} available. ` +
        'Close other apps or choose a smaller model (a lower quantization such as Q4_K_M).',
      { neededBytes: needed, availableBytes: available },
    );
  }

  private loadError(error: unknown, signal: AbortSignal, name: string): Error {
    if (signal.aborted) return new CancelledError('Loading the model was cancelled.', { cause: error });
    if (error instanceof InsufficientMemoryError) {
      return new ModelTooLargeError(`${name} does not fit in memory: ${messageOf(error)}`, undefined, {
        cause: error,
      });
    }
    return new ModelLoadFailedError(`${name} could not be loaded: ${messageOf(error)}`, { cause: error });
  }

  private async disposeCurrent(): Promise<void> {
    const loaded = this.current;
    if (!loaded) return;
    // Cleared first, so no new chat starts on a model that is going away.
    this.current = null;
    try {
      await this.options.beforeUnload?.(loaded);
    } finally {
      await loaded.context.dispose();
      await loaded.model.dispose();
    }
  }
}
