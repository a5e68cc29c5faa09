/**
 * The library's LanceDB index under <data>/library/index: a documents table and a chunks table
 * with explicit Arrow schemas, a full-text (BM25) index on chunk text, vector search, and an ANN
 * index built in the background once the chunks table is big enough for brute force to be slow.
 */
// First: sizes LanceDB's compute pool before its first task (see the module).
import './lanceThreads.js';
import { connect, Index, type Connection, type Table } from '@lancedb/lancedb';
import { reciprocalRankFusion } from './fuse.js';
import { RwLock } from './RwLock.js';
import { Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8 } from 'apache-arrow';

export interface DocumentRow {
  id: string;
  collection_id: string;
  name: string;
  path: string;
  kind: string;
  size_bytes: number;
  content_hash: string;
  chunk_count: number;
  page_count: number | null;
  indexed_at: string;
  note: string | null;
}

export interface ChunkRow {
  id: string;
  doc_id: string;
  collection_id: string;
  ord: number;
  text: string;
  /** JSON array of headings, outermost first. */
  heading_path: string;
  page: number | null;
  char_start: number;
  char_end: number;
  vector: number[];
}

/** Where a write's time went: rows, and indices (full-text build, compaction when due). */
export interface WriteTimings {
  writeMs: number;
  indexMs: number;
}

export type ChunkHit = Omit<ChunkRow, 'vector'> & { score: number };

export function documentsSchema(): Schema {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('collection_id', new Utf8(), false),
    new Field('name', new Utf8(), false),
    new Field('path', new Utf8(), false),
    new Field('kind', new Utf8(), false),
    new Field('size_bytes', new Float64(), false),
    new Field('content_hash', new Utf8(), false),
    new Field('chunk_count', new Int32(), false),
    new Field('page_count', new Int32(), true),
    new Field('indexed_at', new Utf8(), false),
    new Field('note', new Utf8(), true),
  ]);
}

export function chunksSchema(dimension: number): Schema {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('doc_id', new Utf8(), false),
    new Field('collection_id', new Utf8(), false),
    new Field('ord', new Int32(), false),
    new Field('text', new Utf8(), false),
    new Field('heading_path', new Utf8(), false),
    new Field('page', new Int32(), true),
    new Field('char_start', new Int32(), false),
    new Field('char_end', new Int32(), false),
    new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), false),
  ]);
}

export interface IndexTuning {
  /** Chunk rows from which an ANN vector index is built (in the background). */
  annThreshold: number;
  /**
   * The ANN index is trained again (in the background) once the table has grown this many times
   * past the rows it was trained on: partitions trained on 50k rows serve 1M rows poorly.
   */
  annRetrainGrowth: number;
  /** Writes between two optimize() runs (compaction + index refresh). */
  optimizeEvery: number;
  /** IVF partitions searched per ANN query. */
  nprobes: number;
  /** ANN candidates re-ranked with exact distances: limit x refineFactor. */
  refineFactor: number;
}

/**
 * nprobes and refineFactor come from `npm run bench -- retrieval` (bench/README.md): clustered
 * vectors at the default embedding model's 1,024 dimensions, recall@10 against exact search.
 */
export const DEFAULT_TUNING: IndexTuning = {
  // Brute force over 10k chunks of 1,024 dims already takes 250 ms a query on 2 busy cores; the
  // ANN index over 10k builds in seconds.
  annThreshold: 10_000,
  annRetrainGrowth: 4,
  optimizeEvery: 50,
  nprobes: 20,
  refineFactor: 10,
};

/**
 * The ANN index: IVF partitions, each an HNSW graph over 8-bit scalar-quantized vectors
 * (IVF_HNSW_SQ). Measured at 100k x 1,024 dims on 2 busy cores: IVF_PQ took over ten minutes to
 * build (product quantization training at this dimension), IVF_FLAT 35 s but 60-280 ms a query,
 * IVF_HNSW_SQ 70 s and 9-20 ms a query, recall@10 1.0. Half of sqrt(rows) partitions (an HNSW
 * graph searches a large partition in logarithmic time, and k-means cost grows with the square of
 * the partitions), capped.
 */
export function annIndexParams(rows: number): { kind: 'ivf_hnsw_sq'; numPartitions: number } {
  return { kind: 'ivf_hnsw_sq', numPartitions: Math.max(1, Math.min(512, Math.round(Math.sqrt(rows) / 2))) };
}

const CHUNK_COLUMNS = [
  'id',
  'doc_id',
  'collection_id',
  'ord',
  'text',
  'heading_path',
  'page',
  'char_start',
  'char_end',
];

/** SQL string literal for a LanceDB filter. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function inList(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}

export class LibraryIndex {
  private writes = 0;
  private annBuild: Promise<void> | undefined;
  private hasFts = false;
  private hasAnn = false;
  /** Rows the ANN index covered when opened or trained: the base for retraining on growth. */
  private annRows = 0;
  private readonly lock = new RwLock();

  private constructor(
    private readonly db: Connection,
    readonly documents: Table,
    private chunksTable: Table,
    readonly dimension: number,
    private readonly tuning: IndexTuning,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Opens (or creates) the tables. With `reset`, the chunks table is recreated empty at this
   * dimension: vectors of another embedding model are never mixed in.
   */
  static async open(
    dir: string,
    dimension: number,
    options: { reset?: boolean; tuning?: Partial<IndexTuning>; log?: (line: string) => void } = {},
  ): Promise<LibraryIndex> {
    const db = await connect(dir);
    const documents = await db.createEmptyTable('documents', documentsSchema(), {
      mode: 'create',
      existOk: true,
    });
    const names = await db.tableNames();
    if (options.reset && names.includes('chunks')) await db.dropTable('chunks');
    const chunks = await db.createEmptyTable('chunks', chunksSchema(dimension), {
      mode: 'create',
      existOk: true,
    });
    const index = new LibraryIndex(
      db,
      documents,
      chunks,
      dimension,
      { ...DEFAULT_TUNING, ...options.tuning },
      options.log ?? (() => {}),
    );
    await index.refreshIndexState();
    return index;
  }

  private async refreshIndexState(): Promise<void> {
    const indices = await this.chunksTable.listIndices();
    this.hasFts = indices.some((i) => i.columns.includes('text'));
    const ann = indices.find((i) => i.columns.includes('vector'));
    this.hasAnn = !!ann;
    if (ann) this.annRows = (await this.chunksTable.indexStats(ann.name))?.numIndexedRows ?? 0;
  }

  get annReady(): boolean {
    return this.hasAnn;
  }

  async getDocument(id: string): Promise<DocumentRow | undefined> {
    return this.lock.shared(async () => {
      const rows = await this.documents
        .query()
        .where(`id = ${sqlString(id)}`)
        .limit(1)
        .toArray();
      return rows[0] ? toDocument(rows[0] as Record<string, unknown>) : undefined;
    });
  }

  /** The rows of these documents, in one query. */
  async getDocuments(ids: readonly string[]): Promise<Map<string, DocumentRow>> {
    if (ids.length === 0) return new Map();
    return this.lock.shared(async () => {
      const rows = await this.documents.query().where(inList('id', ids)).toArray();
      return new Map(rows.map((row) => toDocument(row as Record<string, unknown>)).map((d) => [d.id, d]));
    });
  }

  async findByHash(collectionId: string, contentHash: string): Promise<DocumentRow | undefined> {
    return this.lock.shared(async () => {
      const rows = await this.documents
        .query()
        .where(`collection_id = ${sqlString(collectionId)} AND content_hash = ${sqlString(contentHash)}`)
        .limit(1)
        .toArray();
      return rows[0] ? toDocument(rows[0] as Record<string, unknown>) : undefined;
    });
  }

  async listDocuments(collectionIds?: readonly string[]): Promise<DocumentRow[]> {
    return this.lock.shared(async () => {
      let query = this.documents.query();
      if (collectionIds) {
        if (collectionIds.length === 0) return [];
        query = query.where(inList('collection_id', collectionIds));
      }
      const rows = await query.toArray();
      return rows.map((row) => toDocument(row as Record<string, unknown>));
    });
  }

  async countChunks(docId?: string): Promise<number> {
    return this.lock.shared(async () => {
      return this.chunksTable.countRows(docId ? `doc_id = ${sqlString(docId)}` : undefined);
    });
  }

  /**
   * Replaces a document: its old chunks go, the new ones and its row go in. Chunks are written
   * before the row, so a crash in between leaves no row, and the retry deletes the orphans first.
   */
  async putDocument(document: DocumentRow, chunks: ChunkRow[]): Promise<WriteTimings> {
    return this.putDocuments([{ document, chunks }]);
  }

  /**
   * Replaces many documents in one write of each table (bulk loads and benchmarks). Returns the
   * time spent writing rows and the time spent on indices (full-text build, compaction when due).
   */
  async putDocuments(
    items: ReadonlyArray<{ document: DocumentRow; chunks: ChunkRow[] }>,
  ): Promise<WriteTimings> {
    if (items.length === 0) return { writeMs: 0, indexMs: 0 };
    const started = performance.now();
    let indexMs = 0;
    await this.lock.shared(async () => {
      const ids = items.map((item) => item.document.id);
      await this.chunksTable.delete(inList('doc_id', ids));
      await this.documents.delete(inList('id', ids));
      const chunks = items.flatMap((item) => item.chunks);
      if (chunks.length > 0) await this.chunksTable.add(chunks as unknown as Record<string, unknown>[]);
      await this.documents.add(items.map((item) => item.document as unknown as Record<string, unknown>));
      this.writes++;
      const indexing = performance.now();
      await this.ensureFts();
      indexMs += performance.now() - indexing;
    });
    const indexing = performance.now();
    await this.afterWrite();
    indexMs += performance.now() - indexing;
    return { writeMs: performance.now() - started - indexMs, indexMs };
  }

  async deleteDocuments(ids: readonly string[]): Promise<void> {
    await this.lock.shared(async () => {
      if (ids.length === 0) return;
      // The row first: a document whose row is gone is gone for the user; leftover chunks are orphans
      // that the next put of the same id, or removeOrphans, deletes.
      await this.documents.delete(inList('id', ids));
      await this.chunksTable.delete(inList('doc_id', ids));
      this.writes++;
      await this.ensureFts();
    });
    await this.afterWrite();
  }

  /** Chunks whose document row is missing (a crash between the two writes). */
  async removeOrphans(): Promise<number> {
    return this.lock.shared(async () => {
      const docIds = new Set(
        (await this.documents.query().select(['id']).toArray()).map((r) => String((r as { id: string }).id)),
      );
      const chunkDocs = new Set(
        (await this.chunksTable.query().select(['doc_id']).toArray()).map((r) =>
          String((r as { doc_id: string }).doc_id),
        ),
      );
      const orphans = [...chunkDocs].filter((id) => !docIds.has(id));
      if (orphans.length > 0) await this.chunksTable.delete(inList('doc_id', orphans));
      return orphans.length;
    });
  }

  private async ensureFts(): Promise<void> {
    if (!this.hasFts && (await this.chunksTable.countRows()) > 0) {
      await this.chunksTable.createIndex('text', {
        config: Index.fts({ withPosition: false }),
        replace: true,
      });
      this.hasFts = true;
    }
  }

  /** Outside the shared section: compaction needs the tables to itself. */
  private async afterWrite(): Promise<void> {
    if (this.writes % this.tuning.optimizeEvery === 0) await this.optimize();
    void this.ensureAnn();
  }

  /** Compacts small fragments and brings the indices up to date with new rows. */
  async optimize(): Promise<void> {
    // An ANN build holds the shared side for minutes; an exclusive request queued behind it would
    // stall every search until it ends. Compaction waits for the build instead.
    while (this.annBuild) await this.annBuild;
    await this.lock.exclusive(async () => {
      await this.chunksTable.optimize();
      await this.documents.optimize();
    });
  }

  /**
   * Builds the ANN index in the background once the table passes the threshold, and trains it
   * again once the table has grown `annRetrainGrowth` times. Searches keep running meanwhile
   * (brute force until the first index is ready). Resolves when the build (if any) is done.
   */
  ensureAnn(): Promise<void> {
    this.annBuild ??= this.lock
      .shared(async () => {
        const rows = await this.chunksTable.countRows();
        if (rows < this.tuning.annThreshold) return;
        if (this.hasAnn && rows < this.annRows * this.tuning.annRetrainGrowth) return;
        const { numPartitions } = annIndexParams(rows);
        const started = performance.now();
        this.log(`library: building the ANN index over ${rows} chunks (${numPartitions} partitions)`);
        await this.chunksTable.createIndex('vector', {
          config: Index.hnswSq({ distanceType: 'cosine', numPartitions }),
          replace: true,
        });
        this.log(`library: ANN index built in ${Math.round(performance.now() - started)} ms`);
        this.hasAnn = true;
        this.annRows = rows;
      })
      .catch((error: unknown) => this.log(`library: ANN index build failed: ${(error as Error).message}`))
      .finally(() => {
        this.annBuild = undefined;
      });
    return this.annBuild;
  }

  /** Resolves when a background ANN build (if any) is done. */
  async settle(): Promise<void> {
    await this.annBuild;
  }

  /**
   * Nearest chunks by cosine similarity: through the ANN index once it exists, else (or with
   * `exact`) by brute force over every row.
   */
  async vectorSearch(
    vector: number[],
    limit: number,
    collectionIds?: readonly string[],
    options: { exact?: boolean } = {},
  ): Promise<ChunkHit[]> {
    return this.lock.shared(async () => {
      let query = this.chunksTable
        .vectorSearch(vector)
        .distanceType('cosine')
        .select([...CHUNK_COLUMNS, '_distance'])
        .limit(limit);
      if (options.exact) query = query.bypassVectorIndex();
      else if (this.hasAnn) query = query.nprobes(this.tuning.nprobes).refineFactor(this.tuning.refineFactor);
      if (collectionIds) query = query.where(inList('collection_id', collectionIds));
      const rows = await query.toArray();
      // Cosine distance is 0..2; similarity reads better as a score.
      return rows.map((row) =>
        toHit(row as Record<string, unknown>, 1 - Number((row as { _distance: number })._distance)),
      );
    });
  }

  /**
   * Vector and full-text results fused by reciprocal rank; each side is asked for a deeper list
   * than `limit` so that a passage ranked well by both rises.
   */
  async hybridSearch(
    vector: number[],
    text: string,
    limit: number,
    collectionIds?: readonly string[],
  ): Promise<ChunkHit[]> {
    const depth = Math.max(limit * 3, 30);
    const [byVector, byText] = await Promise.all([
      this.vectorSearch(vector, depth, collectionIds),
      this.textSearch(text, depth, collectionIds),
    ]);
    return reciprocalRankFusion([byVector, byText], (hit) => hit.id)
      .slice(0, limit)
      .map(({ item, score }) => ({ ...item, score }));
  }

  async textSearch(text: string, limit: number, collectionIds?: readonly string[]): Promise<ChunkHit[]> {
    return this.lock.shared(async () => {
      if (!this.hasFts) return [];
      let query = this.chunksTable
        .query()
        .fullTextSearch(text, { columns: ['text'] })
        .select([...CHUNK_COLUMNS, '_score'])
        .limit(limit);
      if (collectionIds) query = query.where(inList('collection_id', collectionIds));
      const rows = await query.toArray();
      return rows.map((row) =>
        toHit(row as Record<string, unknown>, Number((row as { _score: number })._score)),
      );
    });
  }

  /** Grounded answers: chunks by id, or every chunk of one document in order (whole-document reading). */
  async chunks(where: { docId: string } | { ids: readonly string[] }): Promise<ChunkHit[]> {
    return this.lock.shared(async () => {
      if ('ids' in where && where.ids.length === 0) return [];
      const rows = await this.chunksTable
        .query()
        .where('ids' in where ? inList('id', where.ids) : `doc_id = ${sqlString(where.docId)}`)
        .select([...CHUNK_COLUMNS])
        .toArray();
      return rows.map((row) => toHit(row as Record<string, unknown>, 0)).sort((a, b) => a.ord - b.ord);
    });
  }

  async close(): Promise<void> {
    await this.annBuild;
    this.documents.close();
    this.chunksTable.close();
    this.db.close();
  }
}

function toDocument(row: Record<string, unknown>): DocumentRow {
  return {
    id: String(row.id),
    collection_id: String(row.collection_id),
    name: String(row.name),
    path: String(row.path),
    kind: String(row.kind),
    size_bytes: Number(row.size_bytes),
    content_hash: String(row.content_hash),
    chunk_count: Number(row.chunk_count),
    page_count: row.page_count === null || row.page_count === undefined ? null : Number(row.page_count),
    indexed_at: String(row.indexed_at),
    note: row.note === null || row.note === undefined ? null : String(row.note),
  };
}

function toHit(row: Record<string, unknown>, score: number): ChunkHit {
  return {
    id: String(row.id),
    doc_id: String(row.doc_id),
    collection_id: String(row.collection_id),
    ord: Number(row.ord),
    text: String(row.text),
    heading_path: String(row.heading_path),
    page: row.page === null || row.page === undefined ? null : Number(row.page),
    char_start: Number(row.char_start),
    char_end: Number(row.char_end),
    score,
  };
}
