/**
 * retrieval.*: the library's LanceDB index (electron/core/library/index/LibraryIndex.ts, the code
 * the app runs) on synthetic libraries of 10k, 100k and 1M chunks (bench/support/syntheticCorpus:
 * clustered vectors at the default embedding model's dimension, Zipf-distributed texts). Per
 * scale: full-text, vector and hybrid p95; the vector search (ANN once the table passes the
 * product's threshold) against exact brute force in the same run, and ANN recall@10 against exact.
 *
 * Building a scale (bulk writes, compaction, the product's ANN build, exact ground truth) takes
 * minutes at 1M on 2 cores; it is cached under the OS temp folder keyed by every parameter that
 * shapes it, so later runs only open it. HEARTH_BENCH_RETRIEVAL=10k,100k picks scales;
 * HEARTH_BENCH_DIM sets the dimension; HEARTH_BENCH_CACHE=0 rebuilds.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  annIndexParams,
  DEFAULT_TUNING,
  LibraryIndex,
} from '../../electron/core/library/index/LibraryIndex.js';
import { figure, quantile } from '../stats.js';
import { SyntheticCorpus, type CorpusQuery, type CorpusShape } from '../support/syntheticCorpus.js';
import type { BenchContext, Benchmark, Figure } from '../types.js';

export const SCALES_ENV = 'HEARTH_BENCH_RETRIEVAL';
export const DIM_ENV = 'HEARTH_BENCH_DIM';
export const CACHE_ENV = 'HEARTH_BENCH_CACHE';
/** Qwen3-Embedding-0.6B, the catalog's default embedding model, embeds in 1,024 dimensions. */
const DEFAULT_DIMENSION = 1024;
const SCALES: Record<string, number> = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
const QUERIES = 40;
const LIMIT = 10;
/** Rows per bulk write while building. */
const WRITE_ROWS = 10_000;
const CACHE_VERSION = 2;

interface Prepared {
  dir: string;
  truth: string[][];
  build: Record<string, number>;
  annParams: string;
}

function shapeFor(chunks: number, dimension: number): CorpusShape {
  return {
    chunks,
    dimension,
    words: 120,
    topics: 100,
    subtopicsPerTopic: 20,
    chunksPerDocument: 50,
    seed: 20_261_127,
  };
}

/** Scales built in a few minutes; 1M takes about half an hour on 2 cores and joins a plain run once built. */
const QUICK_SCALES = ['10k', '100k'];

function selectedScales(env: NodeJS.ProcessEnv, dimension: number, context: BenchContext): string[] {
  const raw = env[SCALES_ENV]?.trim();
  if (!raw) {
    const built = Object.keys(SCALES).filter(
      (scale) =>
        !QUICK_SCALES.includes(scale) && existsSync(cacheFor(shapeFor(SCALES[scale]!, dimension)).manifest),
    );
    for (const scale of Object.keys(SCALES).filter((s) => !QUICK_SCALES.includes(s) && !built.includes(s)))
      context.log(
        `retrieval ${scale}: not built yet, so left out (its first build takes about half an hour on 2 cores); ` +
          `${SCALES_ENV}=${scale} npm run bench -- retrieval builds it once, and later runs include it`,
      );
    return [...QUICK_SCALES, ...built];
  }
  const names = raw
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  const unknown = names.filter((name) => !(name in SCALES));
  if (unknown.length) throw new Error(`${SCALES_ENV}: unknown scale ${unknown.join(', ')} (10k, 100k, 1m).`);
  return names;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** Where a scale's built table is cached: keyed by every parameter that shapes it. */
function cacheFor(shape: CorpusShape): {
  dir: string;
  manifest: string;
  annParams: string;
  willIndex: boolean;
} {
  const ann = annIndexParams(shape.chunks);
  const willIndex = shape.chunks >= DEFAULT_TUNING.annThreshold;
  const annParams = willIndex ? `${ann.kind}-p${ann.numPartitions}` : 'none';
  const key = [
    `v${CACHE_VERSION}`,
    shape.chunks,
    shape.dimension,
    shape.words,
    shape.topics,
    shape.subtopicsPerTopic,
    shape.chunksPerDocument,
    shape.seed,
    annParams,
  ].join('-');
  const dir = join(tmpdir(), 'hearth-bench-cache', `retrieval-${key}`);
  return { dir, manifest: join(dir, 'ready.json'), annParams, willIndex };
}

/** Builds the scale's table through LibraryIndex, or opens the cached one. */
async function prepare(
  scale: string,
  shape: CorpusShape,
  queries: CorpusQuery[],
  context: BenchContext,
): Promise<Prepared> {
  const { dir, manifest, annParams, willIndex } = cacheFor(shape);
  if (process.env[CACHE_ENV] !== '0' && existsSync(manifest)) {
    context.log(`retrieval ${scale}: using the cached index in ${dir}`);
    return {
      dir,
      annParams,
      ...(JSON.parse(await readFile(manifest, 'utf8')) as Omit<Prepared, 'dir' | 'annParams'>),
    };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const build: Record<string, number> = {};
  context.log(`retrieval ${scale}: building ${shape.chunks.toLocaleString('en-US')} chunks in ${dir}`);

  // Bulk load: no compaction or ANN build per write (the app's own tuning takes over below).
  const loading = await LibraryIndex.open(join(dir, 'index'), shape.dimension, {
    tuning: { annThreshold: Number.POSITIVE_INFINITY, optimizeEvery: Number.POSITIVE_INFINITY },
  });
  const corpus = new SyntheticCorpus(shape);
  let generateMs = 0;
  let writeMs = 0;
  let batch: Array<Parameters<LibraryIndex['putDocuments']>[0][number]> = [];
  let rows = 0;
  let written = 0;
  const iterator = corpus.documents('bench');
  const exact = new ExactTopK(queries, LIMIT);
  for (;;) {
    const start = performance.now();
    const next = iterator.next();
    generateMs += performance.now() - start;
    if (!next.done) {
      batch.push(next.value);
      rows += next.value.chunks.length;
      for (const chunk of next.value.chunks) exact.offer(chunk.id, chunk.vector);
    }
    if ((next.done && batch.length) || rows >= WRITE_ROWS) {
      const [, ms] = await timed(() => loading.putDocuments(batch));
      writeMs += ms;
      written += rows;
      batch = [];
      rows = 0;
      if (written % 100_000 === 0)
        context.log(`retrieval ${scale}: ${written.toLocaleString('en-US')} rows written`);
    }
    if (next.done) break;
    if (context.signal.aborted) throw new Error('stopped');
  }
  build.generateMs = generateMs;
  const exactTopK = exact.result();
  build.writeMs = writeMs;
  [, build.optimizeMs] = await timed(() => loading.optimize());
  await loading.close();

  const index = await LibraryIndex.open(join(dir, 'index'), shape.dimension);
  try {
    // The product's own background build, awaited here.
    [, build.annBuildMs] = await timed(() => index.ensureAnn());
    if (willIndex && !index.annReady) throw new Error('the ANN index was not built');
    // Exact top 10 by brute force through LanceDB, where it takes seconds rather than minutes;
    // at 1M the exact search in JS over the generated vectors (the same cosine on unit vectors).
    let truth = exactTopK;
    if (shape.chunks <= 100_000) {
      const [lance, exactMs] = await timed(async () => {
        const found: string[][] = [];
        for (const query of queries)
          found.push(
            (await index.vectorSearch(query.vector, LIMIT, undefined, { exact: true })).map((h) => h.id),
          );
        return found;
      });
      build.groundTruthMs = exactMs;
      const agree = lance.reduce((sum, ids, i) => sum + recall(ids, exactTopK[i]!), 0) / lance.length;
      context.log(
        `retrieval ${scale}: LanceDB exact search and the JS exact top ${LIMIT} agree on ${(agree * 100).toFixed(1)}%`,
      );
      truth = lance;
    }
    await writeFile(manifest, JSON.stringify({ truth, build }));
    context.log(
      `retrieval ${scale}: built (` +
        Object.entries(build)
          .map(([name, ms]) => `${name.replace(/Ms$/, '')} ${(ms / 1000).toFixed(1)} s`)
          .join(', ') +
        ')',
    );
    return { dir, truth, build, annParams };
  } finally {
    await index.close();
  }
}

/** The exact top k of each query over vectors offered one at a time (cosine of unit vectors). */
class ExactTopK {
  private readonly queries: Float32Array[];
  private readonly best: Array<Array<{ id: string; score: number }>>;

  constructor(
    queries: readonly CorpusQuery[],
    private readonly k: number,
  ) {
    this.queries = queries.map((query) => Float32Array.from(query.vector));
    this.best = queries.map(() => []);
  }

  offer(id: string, vector: readonly number[]): void {
    for (let q = 0; q < this.queries.length; q++) {
      const query = this.queries[q]!;
      let score = 0;
      for (let i = 0; i < query.length; i++) score += query[i]! * vector[i]!;
      const best = this.best[q]!;
      if (best.length === this.k && score <= best[this.k - 1]!.score) continue;
      best.push({ id, score });
      best.sort((a, b) => b.score - a.score);
      if (best.length > this.k) best.pop();
    }
  }

  result(): string[][] {
    return this.best.map((best) => best.map((entry) => entry.id));
  }
}

function recall(found: string[], truth: string[]): number {
  const expected = new Set(truth);
  return found.filter((id) => expected.has(id)).length / Math.max(1, truth.length);
}

async function measureScale(scale: string, dimension: number, context: BenchContext): Promise<Figure[]> {
  const shape = shapeFor(SCALES[scale]!, dimension);
  const queries = SyntheticCorpus.queries(shape, QUERIES);
  const prepared = await prepare(scale, shape, queries, context);
  const index = await LibraryIndex.open(join(prepared.dir, 'index'), dimension);
  // Brute force at 1M takes seconds a query: the exact baseline times fewer queries.
  const exactQueries = shape.chunks >= 1_000_000 ? 1 : shape.chunks >= 100_000 ? 3 : 10;
  const series = {
    text: [] as number[],
    vector: [] as number[],
    hybrid: [] as number[],
    exact: [] as number[],
    recall: [] as number[],
    vectorP50: [] as number[],
    hybridP50: [] as number[],
  };
  try {
    const ann = index.annReady;
    // Warm-up: the first queries load the indices' files into memory.
    for (const query of queries) {
      await index.textSearch(query.text, LIMIT);
      await index.hybridSearch(query.vector, query.text, LIMIT);
    }
    let textHits = 0;
    for (let run = 0; run < context.repetitions; run++) {
      if (context.signal.aborted) break;
      const text: number[] = [];
      const vector: number[] = [];
      const hybrid: number[] = [];
      const exact: number[] = [];
      const recalls: number[] = [];
      for (const [i, query] of queries.entries()) {
        const [byText, textMs] = await timed(() => index.textSearch(query.text, LIMIT));
        textHits += byText.length;
        text.push(textMs);
        const [byVector, vectorMs] = await timed(() => index.vectorSearch(query.vector, LIMIT));
        vector.push(vectorMs);
        recalls.push(
          recall(
            byVector.map((h) => h.id),
            prepared.truth[i]!,
          ),
        );
        hybrid.push((await timed(() => index.hybridSearch(query.vector, query.text, LIMIT)))[1]);
        if (i < exactQueries)
          exact.push(
            (await timed(() => index.vectorSearch(query.vector, LIMIT, undefined, { exact: true })))[1],
          );
      }
      series.text.push(quantile(text, 0.95));
      series.vector.push(quantile(vector, 0.95));
      series.vectorP50.push(quantile(vector, 0.5));
      series.hybrid.push(quantile(hybrid, 0.95));
      series.hybridP50.push(quantile(hybrid, 0.5));
      series.exact.push(quantile(exact, 0.95));
      series.recall.push(recalls.reduce((a, b) => a + b, 0) / recalls.length);
      context.log(
        `retrieval ${scale} run ${run + 1}: text p95 ${series.text.at(-1)!.toFixed(1)} ms, ` +
          `${ann ? 'ANN' : 'vector'} p95 ${series.vector.at(-1)!.toFixed(1)} ms (exact ${series.exact.at(-1)!.toFixed(0)} ms), ` +
          `hybrid p95 ${series.hybrid.at(-1)!.toFixed(1)} ms, recall@10 ${series.recall.at(-1)!.toFixed(3)}`,
      );
    }
    const median = (values: number[]) => quantile(values, 0.5).toFixed(1);
    const size = `${shape.chunks.toLocaleString('en-US')} chunks x ${dimension} dims, ${shape.words}-word texts`;
    const annNote = ann
      ? `${prepared.annParams}, nprobes ${DEFAULT_TUNING.nprobes}, refine ${DEFAULT_TUNING.refineFactor}`
      : 'brute force (below the ANN threshold)';
    const perRun = `p95 of ${queries.length} queries per run`;
    const figures: Figure[] = [
      figure({
        name: `retrieval.${scale}.text.p95`,
        unit: 'ms',
        values: series.text,
        note: `${size}; BM25, top ${LIMIT}, ${perRun} (${(textHits / Math.max(1, series.text.length * queries.length)).toFixed(1)} hits a query)`,
      }),
      figure({
        name: `retrieval.${scale}.${ann ? 'ann' : 'vector'}.p95`,
        unit: 'ms',
        values: series.vector,
        baselines: series.exact,
        ...(scale === '1m' ? { target: { on: 'value', op: '<', limit: 150 } as const } : {}),
        note: `${size}; ${annNote}; ${perRun}, p50 ${median(series.vectorP50)} ms; baseline exact brute force (p95 of ${exactQueries} ${exactQueries === 1 ? 'query' : 'queries'} per run)`,
      }),
      figure({
        name: `retrieval.${scale}.hybrid.p95`,
        unit: 'ms',
        values: series.hybrid,
        ...(scale === '100k' ? { target: { on: 'value', op: '<', limit: 50 } as const } : {}),
        note: `${size}; vector (${ann ? 'ANN' : 'brute force'}) + BM25, reciprocal-rank fusion, ${perRun}, p50 ${median(series.hybridP50)} ms`,
      }),
    ];
    if (ann) {
      figures.push(
        figure({
          name: `retrieval.${scale}.ann.recall10`,
          unit: 'recall',
          values: series.recall,
          target: { on: 'value', op: '>=', limit: 0.95 },
          note: `${size}; mean share of the exact top ${LIMIT} that the ANN search returns, over ${queries.length} queries; build: ${Object.entries(
            prepared.build,
          )
            .map(([name, ms]) => `${name.replace(/Ms$/, '')} ${(ms / 1000).toFixed(0)} s`)
            .join(', ')}`,
        }),
      );
    }
    return figures;
  } finally {
    await index.close();
  }
}

export const retrieval: Benchmark = {
  name: 'retrieval',
  figures: Object.keys(SCALES).flatMap((scale) =>
    ['text.p95', 'ann.p95', 'hybrid.p95', 'ann.recall10'].map((figure) => `retrieval.${scale}.${figure}`),
  ),
  description:
    'LibraryIndex search latency (text, vector, hybrid) and ANN recall@10 at 10k, 100k and 1M synthetic chunks',
  async run(context) {
    const dimension = Number(process.env[DIM_ENV]) || DEFAULT_DIMENSION;
    const figures: Figure[] = [];
    for (const scale of selectedScales(process.env, dimension, context)) {
      if (context.signal.aborted) break;
      figures.push(...(await measureScale(scale, dimension, context)));
    }
    return figures;
  },
};
