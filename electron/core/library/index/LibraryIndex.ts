/**
 * The library's LanceDB index under <data>/library/index: a documents table and a chunks table
 * with explicit Arrow schemas, a full-text (BM25) index on chunk text, vector search, and an ANN
 * index built in the background once the chunks table is big enough for brute force to be slow.
 */
import { connect, Index, type Connection, type Table } from '@lancedb/lancedb';
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
  /** Writes between two optimize() runs (compaction + index refresh). */
  optimizeEvery: number;
}

export const DEFAULT_TUNING: IndexTuning = { annThreshold: 50_000, optimizeEvery: 50 };

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
    this.hasAnn = indices.some((i) => i.columns.includes('vector'));
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
  async putDocument(document: DocumentRow, chunks: ChunkRow[]): Promise<void> {
    await this.lock.shared(async () => {
      await this.chunksTable.delete(`doc_id = ${sqlString(document.id)}`);
      await this.documents.delete(`id = ${sqlString(document.id)}`);
      if (chunks.length > 0) await this.chunksTable.add(chunks as unknown as Record<string, unknown>[]);
      await this.documents.add([document as unknown as Record<string, unknown>]);
      this.writes++;
      await this.ensureFts();
    });
    await this.afterWrite();
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
    this.maybeBuildAnn();
  }

  /** Compacts small fragments and brings the indices up to date with new rows. */
  async optimize(): Promise<void> {
    await this.lock.exclusive(async () => {
      await this.chunksTable.optimize();
      await this.documents.optimize();
    });
  }

  private maybeBuildAnn(): void {
    if (this.hasAnn || this.annBuild) return;
    this.annBuild = this.lock
      .shared(async () => {
        const rows = await this.chunksTable.countRows();
        if (rows < this.tuning.annThreshold) return;
        const numPartitions = Math.max(1, Math.min(1024, Math.round(Math.sqrt(rows))));
        const numSubVectors =
          this.dimension % 8 === 0 ? this.dimension / 8 : this.dimension % 4 === 0 ? this.dimension / 4 : 1;
        this.log(`library: building the ANN index over ${rows} chunks`);
        await this.chunksTable.createIndex('vector', {
          config: Index.ivfPq({ distanceType: 'cosine', numPartitions, numSubVectors }),
          replace: true,
        });
        this.hasAnn = true;
      })
      .catch((error: unknown) => this.log(`library: ANN index build failed: ${(error as Error).message}`))
      .finally(() => {
        this.annBuild = undefined;
      });
  }

  /** Resolves when a background ANN build (if any) is done. */
  async settle(): Promise<void> {
    await this.annBuild;
  }

  async vectorSearch(
    vector: number[],
    limit: number,
    collectionIds?: readonly string[],
  ): Promise<ChunkHit[]> {
    return this.lock.shared(async () => {
      let query = this.chunksTable
        .vectorSearch(vector)
        .distanceType('cosine')
        .select([...CHUNK_COLUMNS, '_distance'])
        .limit(limit);
      if (this.hasAnn) query = query.nprobes(30).refineFactor(10);
      if (collectionIds) query = query.where(inList('collection_id', collectionIds));
      const rows = await query.toArray();
      // Cosine distance is 0..2; similarity reads better as a score.
      return rows.map((row) =>
        toHit(row as Record<string, unknown>, 1 - Number((row as { _distance: number })._distance)),
      );
    });
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
