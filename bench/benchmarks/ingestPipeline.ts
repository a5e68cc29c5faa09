/**
 * ingest.*: a generated folder of text-heavy documents added through the contract (`library.add`
 * then `library.waitIdle` on a fresh engine), timed end to end, with each stage's share of the
 * time from the library's per-file stage timings (parse, chunk, embed, write, index). Baseline:
 * node-llama-cpp embedding the same chunk texts directly, one after another as the library does,
 * on the same model, context size and threads. The embedding model is HEARTH_BENCH_EMBED_MODEL
 * (any GGUF embedding model), else the generated test model (64 dimensions, fast, meaningless).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { connect } from '@lancedb/lancedb';
import { LlamaLogLevel } from 'node-llama-cpp';
import type { MethodName, Params, Result } from '../../electron/common/api/contract.js';
import { Dispatcher } from '../../electron/common/api/dispatch.js';
import { RemoteError } from '../../electron/common/api/errors.js';
import { createEngine } from '../../electron/core/Engine.js';
import { createLlamaRuntime } from '../../electron/core/inference/runtime.js';
import { chooseThreads, THREADS_ENV } from '../../electron/core/inference/threads.js';
import { ensureTestEmbeddingModel } from '../../test/support/index.js';
import { figure } from '../stats.js';
import { writeDocumentCorpus } from '../support/documentCorpus.js';
import type { Benchmark, Figure } from '../types.js';

export const EMBED_MODEL_ENV = 'HEARTH_BENCH_EMBED_MODEL';
export const INGEST_FILES_ENV = 'HEARTH_BENCH_INGEST_FILES';
const DEFAULT_FILES = 24;
const BYTES_PER_FILE = 16 * 1024;
const STAGES = ['parse', 'chunk', 'embed', 'write', 'index'] as const;
type Stage = (typeof STAGES)[number];
/** The library's per-file log line: "library: indexed NAME: N chunks; parse 12 ms, chunk 3 ms, ...". */
const STAGE_LINE = /^library: indexed .*: (\d+) chunks; (.*)$/;

export function parseStageLine(
  line: string,
): { chunks: number; stages: Partial<Record<Stage, number>> } | undefined {
  const match = STAGE_LINE.exec(line);
  if (!match) return undefined;
  const stages: Partial<Record<Stage, number>> = {};
  for (const part of match[2]!.split(', ')) {
    const [name, ms] = part.split(' ');
    if (STAGES.includes(name as Stage)) stages[name as Stage] = Number(ms);
  }
  return { chunks: Number(match[1]), stages };
}

/** Adds the folder through the contract on a fresh engine; returns the time and the stage sums. */
async function ingestOnce(input: {
  folder: string;
  home: string;
  embedModel: string;
  parseWorkerPath: string;
  llama: Awaited<ReturnType<typeof createLlamaRuntime>>;
}) {
  const lines: string[] = [];
  const engine = await createEngine({
    home: input.home,
    version: 'bench',
    llama: input.llama,
    library: {
      embedModel: input.embedModel,
      parseWorkerPath: input.parseWorkerPath,
      log: (line) => lines.push(line),
    },
  });
  const dispatcher = new Dispatcher(engine.handlers, () => undefined);
  let counter = 0;
  const call = async <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => {
    const outcome = await dispatcher.call(method, params, `b${++counter}`);
    if (!outcome.ok) throw new RemoteError(outcome.error);
    return outcome.result as Result<M>;
  };
  try {
    // The model loads before the clock starts: load time is not throughput.
    await call('library.status', {});
    const started = performance.now();
    await call('library.add', { paths: [input.folder], collection: 'bench' });
    const status = await call('library.waitIdle', {});
    const totalMs = performance.now() - started;
    const failed = status.items.filter((item) => item.state !== 'ready');
    if (failed.length)
      throw new Error(`ingest: ${failed.length} files not ready (${failed[0]!.name}: ${failed[0]!.reason})`);
    const stages: Record<Stage, number> = { parse: 0, chunk: 0, embed: 0, write: 0, index: 0 };
    let chunks = 0;
    for (const line of lines) {
      const parsed = parseStageLine(line);
      if (!parsed) continue;
      chunks += parsed.chunks;
      for (const stage of STAGES) stages[stage] += parsed.stages[stage] ?? 0;
    }
    if (chunks === 0) throw new Error('ingest: the library logged no per-file stage timings');
    return { totalMs, stages, chunks, files: status.items.length };
  } finally {
    await engine.dispose();
  }
}

/** The chunk texts as the library embedded them (heading path prefixed), read from its table. */
async function embeddedTexts(home: string): Promise<string[]> {
  const db = await connect(join(home, 'library', 'index'));
  try {
    const table = await db.openTable('chunks');
    const rows = (await table.query().select(['text', 'heading_path']).toArray()) as Array<{
      text: string;
      heading_path: string;
    }>;
    table.close();
    return rows.map((row) => {
      const headings = JSON.parse(row.heading_path) as string[];
      return headings.length ? `${headings.join(' > ')}\n\n${row.text}` : row.text;
    });
  } finally {
    db.close();
  }
}

export const ingestPipeline: Benchmark = {
  name: 'ingest',
  figures: [
    'ingest.pipeline',
    'ingest.files',
    'ingest.mbps',
    ...STAGES.map((stage) => `ingest.stage.${stage}`),
  ],
  description:
    'Files, MB and chunks per second through library.add (parse, chunk, embed, write, index) against embedding alone',
  async run(context) {
    const files = Number(process.env[INGEST_FILES_ENV]) || DEFAULT_FILES;
    const folder = join(context.workDir, 'corpus');
    const bytes = await writeDocumentCorpus(folder, { files, bytesPerFile: BYTES_PER_FILE, seed: 9 });
    const requested = process.env[EMBED_MODEL_ENV]?.trim();
    if (requested && !existsSync(requested))
      throw new Error(`${EMBED_MODEL_ENV} names a file that does not exist: ${requested}`);
    const embedModel = requested || (await ensureTestEmbeddingModel());
    const modelNote = requested
      ? `embedding model ${requested}`
      : `generated test embedding model (${EMBED_MODEL_ENV} is not set)`;
    const parseWorkerPath = join(context.root, 'out', 'cli', 'parseWorker.js');
    const llama = await createLlamaRuntime({ logLevel: LlamaLogLevel.error });
    // Each run ingests into a fresh data folder, so no run sees another's index.
    const runs = Math.min(context.repetitions, 3);
    const chunksPerSecond: number[] = [];
    const baselinePerSecond: number[] = [];
    const filesPerSecond: number[] = [];
    const mbPerSecond: number[] = [];
    const shares: Record<Stage, number[]> = { parse: [], chunk: [], embed: [], write: [], index: [] };
    try {
      const model = await llama.loadModel({ modelPath: embedModel });
      const threads = chooseThreads({
        physicalCores: llama.cpuMathCores,
        logicalCores: availableParallelism(),
        parameterCount: model.fileInsights.totalParameters,
        override: process.env[THREADS_ENV],
      });
      const contextSize = Math.min(2048, model.trainContextSize || 512);
      const embedding = await model.createEmbeddingContext({ contextSize, threads });
      try {
        const embedAlone = async (texts: readonly string[]) => {
          const started = performance.now();
          for (const text of texts) {
            let tokens = model.tokenize(text);
            if (tokens.length > contextSize - 2) tokens = tokens.slice(0, contextSize - 2);
            await embedding.getEmbeddingFor(tokens);
          }
          return performance.now() - started;
        };
        let texts: string[] | undefined;
        for (let run = 0; run < runs; run++) {
          if (context.signal.aborted) break;
          const home = await mkdtemp(join(context.workDir, 'home-'));
          // The baseline needs the chunk texts of a first ingestion; after that the order alternates,
          // so a busy moment of the machine does not always fall on the same side.
          const baselineFirst = texts !== undefined && run % 2 === 1;
          let baselineMs = baselineFirst ? await embedAlone(texts!) : 0;
          const result = await ingestOnce({ folder, home, embedModel, parseWorkerPath, llama });
          texts ??= await embeddedTexts(home);
          if (!baselineFirst) baselineMs = await embedAlone(texts);
          chunksPerSecond.push(result.chunks / (result.totalMs / 1000));
          baselinePerSecond.push(texts.length / (baselineMs / 1000));
          filesPerSecond.push(result.files / (result.totalMs / 1000));
          mbPerSecond.push(bytes / 1024 / 1024 / (result.totalMs / 1000));
          const staged = STAGES.reduce((sum, stage) => sum + result.stages[stage], 0);
          for (const stage of STAGES) shares[stage].push((100 * result.stages[stage]) / result.totalMs);
          context.log(
            `ingest run ${run + 1}: ${result.files} files, ${result.chunks} chunks in ${(result.totalMs / 1000).toFixed(1)} s ` +
              `(${STAGES.map((s) => `${s} ${(result.stages[s] / 1000).toFixed(1)} s`).join(', ')}, ` +
              `other ${((result.totalMs - staged) / 1000).toFixed(1)} s); embedding alone ${(baselineMs / 1000).toFixed(1)} s` +
              (baselineFirst ? ' (measured first)' : ''),
          );
        }
      } finally {
        await embedding.dispose();
        await model.dispose();
      }
    } finally {
      await llama.dispose();
    }
    const scale = `${files} files (6 in 10 Markdown, 2 plain text, 2 HTML), ${(bytes / 1024).toFixed(0)} KiB; ${modelNote}; threads ${process.env[THREADS_ENV] ?? 'chosen by the app'}`;
    const stageShare = (stage: Stage) =>
      shares[stage].length
        ? [...shares[stage]].sort((a, b) => a - b)[Math.floor(shares[stage].length / 2)]!
        : 0;
    const figures: Figure[] = [
      figure({
        name: 'ingest.pipeline',
        unit: 'chunks/s',
        values: chunksPerSecond,
        baselines: baselinePerSecond,
        target: { on: 'ratio', op: '>=', limit: 0.9 },
        note: `${scale}; library.add to library.waitIdle vs node-llama-cpp embedding the same chunk texts directly; share of time: ${STAGES.map((s) => `${s} ${stageShare(s).toFixed(0)}%`).join(', ')}`,
      }),
      figure({ name: 'ingest.files', unit: 'files/s', values: filesPerSecond, note: scale }),
      figure({ name: 'ingest.mbps', unit: 'MB/s', values: mbPerSecond, note: scale }),
      ...STAGES.map((stage) =>
        figure({
          name: `ingest.stage.${stage}`,
          unit: '% of time',
          values: shares[stage],
          note: `share of the wall time from library.add to idle spent in ${stage} (summed over files); the rest is hashing, queue and events`,
        }),
      ),
    ];
    return figures;
  },
};
