/**
 * A real engine for grounded-answer tests: the generated test model as both the chat model
 * (loaded with the context size a test asks for) and the library's embedder, one thread.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, MethodName, Params, Result } from '../../common/api/contract.js';
import { Dispatcher } from '../../common/api/dispatch.js';
import { RemoteError } from '../../common/api/errors.js';
import { ensureTestModel } from '../../../test/support/index.js';
import { createEngine, type Engine, type EngineOptions } from '../Engine.js';

export interface GroundedHarness {
  home: string;
  engine: Engine;
  events: Array<{ event: EventName; payload: unknown }>;
  call<M extends MethodName>(method: M, params: Params<M>, requestId?: string): Promise<Result<M>>;
  /** Starts a call and returns its request id with the promise (to cancel it mid-way). */
  start<M extends MethodName>(
    method: M,
    params: Params<M>,
  ): { requestId: string; result: Promise<Result<M>> };
  cancel(requestId: string): void;
  /** Writes files into <home>/docs and indexes them into a collection; resolves when indexed. */
  addDocuments(collection: string, files: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export const TEST_CHAT_MODEL_ID = 'hearth-test.gguf';

export async function openGroundedHarness(
  options: {
    contextSize?: number;
    chunking?: { maxTokens?: number; overlapTokens?: number };
    grounding?: EngineOptions['grounding'];
    /** More files for the models folder (name -> source path), e.g. a reranker. */
    models?: Record<string, string>;
    /** The chat model's file (default: the generated test model), e.g. a scripted model. */
    chatModel?: string;
    /** The engine's sampling override (default: greedy). */
    sampling?: EngineOptions['sampling'];
  } = {},
): Promise<GroundedHarness> {
  const home = await mkdtemp(join(tmpdir(), 'hearth-grounded-'));
  const model = await ensureTestModel();
  await mkdir(join(home, 'models'), { recursive: true });
  await copyFile(options.chatModel ?? model, join(home, 'models', TEST_CHAT_MODEL_ID));
  for (const [name, path] of Object.entries(options.models ?? {}))
    await copyFile(path, join(home, 'models', name));
  const engine = await createEngine({
    home,
    version: '0.0.0-test',
    threads: 1,
    sampling: options.sampling ?? { temperature: 0 },
    library: {
      embedModel: model,
      autoStart: true,
      ...(options.chunking ? { chunking: options.chunking } : {}),
    },
    // The generated embedder's vectors mean nothing (any two texts are ~0.76 similar), so a
    // vector-only match would make every passage "relevant": tests count lexical matches only.
    grounding: { rerankModel: 'off', relevance: { minVectorSimilarity: 0.95 }, ...options.grounding },
  });
  const events: GroundedHarness['events'] = [];
  engine.onEvent((event, payload) => events.push({ event, payload }));
  const dispatcher = new Dispatcher(engine.handlers, (event, payload) => events.push({ event, payload }));
  let counter = 0;
  const run = async <M extends MethodName>(method: M, params: Params<M>, requestId: string) => {
    const outcome = await dispatcher.call(method, params, requestId);
    if (!outcome.ok) throw new RemoteError(outcome.error);
    return outcome.result as Result<M>;
  };
  const harness: GroundedHarness = {
    home,
    engine,
    events,
    call: (method, params, requestId) => run(method, params, requestId ?? `t${++counter}`),
    start(method, params) {
      const requestId = `t${++counter}`;
      return { requestId, result: run(method, params, requestId) };
    },
    cancel: (requestId) => dispatcher.cancel(requestId),
    async addDocuments(collection, files) {
      const dir = join(home, 'docs', collection);
      await mkdir(dir, { recursive: true });
      const paths = [];
      for (const [name, text] of Object.entries(files)) {
        await writeFile(join(dir, name), text);
        paths.push(join(dir, name));
      }
      await harness.call('library.add', { paths, collection });
      await harness.call('library.waitIdle', {});
    },
    async close() {
      await engine.dispose();
      await rm(home, { recursive: true, force: true });
    },
  };
  await harness.call('models.load', {
    modelId: TEST_CHAT_MODEL_ID,
    ...(options.contextSize ? { contextSize: options.contextSize } : {}),
  });
  return harness;
}
