/**
 * Conversations on disk: one JSON file per conversation in <data>/chats/conversations/, each
 * replaced atomically (write, fsync, rename), plus <data>/chats/index.json, a cache of every
 * conversation's summary so listing 10,000 conversations reads one file. The conversation files
 * are the truth: on open, any file whose modification time differs from the index (a crash
 * between the two writes, another Hearth process) is read again, and an answer left
 * 'streaming' by a killed process is marked 'interrupted'.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConversationSummary, type SearchHit } from '../../../common/api/contract.js';
import { ConversationNotFoundError, StorageFailedError } from '../../errors/index.js';
import { ConversationFile, StoredMessage } from '../conversationFile.js';
import { MessageTree } from '../MessageTree.js';
import { TEMP_SUFFIX, writeFileAtomic } from './atomicWrite.js';
import { SearchIndex } from './SearchIndex.js';

const INDEX_VERSION = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A conversation's summary as the API gives it, plus what the index needs to check it against its file. */
const IndexEntry = ConversationSummary.extend({
  /** The conversation's file name, and its modification time when this entry was made. */
  file: z.string(),
  mtimeMs: z.number(),
  /** An answer was streaming at the last write: check it on open. */
  streaming: z.boolean(),
});
type IndexEntry = z.infer<typeof IndexEntry>;

const IndexFile = z.object({
  version: z.literal(INDEX_VERSION),
  /** Wall clock of the write, compared with files' modification times. */
  writtenAt: z.number(),
  /** Written by close(): every conversation write before it is reflected. */
  clean: z.boolean(),
  entries: z.array(IndexEntry),
});
type IndexFile = z.infer<typeof IndexFile>;

/** What the search index reads from each file (a light check, not the whole schema). */
const SearchableFile = ConversationFile.pick({ id: true }).extend({
  messages: z.array(StoredMessage.pick({ id: true, role: true, text: true, createdAt: true, status: true })),
});

/**
 * File times tick coarsely (milliseconds apart at best), so after an unclean stop every file
 * changed around or after the last index write is read again, not only those whose time differs.
 */
const UNCLEAN_RECHECK_MS = 10_000;

/** A conversation loaded in memory: its file's data and the tree over its messages. */
export interface LoadedConversation {
  readonly file: ConversationFile;
  readonly tree: MessageTree;
}

export interface ConversationStoreOptions {
  /** The store's folder, <data>/chats. */
  dir: string;
  now?: () => number;
  /** How long a deleted conversation can be restored; then its file is removed. */
  trashRetentionMs?: number;
  /** Index writes are coalesced over this long. */
  indexDelayMs?: number;
  /** Conversations kept parsed in memory (besides those streaming). */
  cacheSize?: number;
}

export interface OpenReport {
  /** Conversation files read again because the index was missing or stale. */
  reread: number;
  /** Answers found 'streaming' from a previous run and marked 'interrupted'. */
  interrupted: number;
  /** Files that could not be read as conversations (left in place, not listed). */
  unreadable: string[];
  /** Deleted conversations whose restore window ended, removed now. */
  purged: number;
}

export function fileNameFor(id: string): string {
  // Ids from clients can be anything; only plain ones become file names as they are.
  return /^[A-Za-z0-9_-]{1,100}$/.test(id)
    ? `${id}.json`
    : `x-${createHash('sha256').update(id).digest('hex').slice(0, 40)}.json`;
}

function summaryOf(entry: IndexEntry): ConversationSummary {
  const { file: _file, mtimeMs: _mtimeMs, streaming: _streaming, ...summary } = entry;
  return summary;
}

function latestModelId(messages: readonly StoredMessage[]): string | null {
  let latest: StoredMessage | undefined;
  for (const message of messages) {
    if (message.model && (!latest || message.createdAt >= latest.createdAt)) latest = message;
  }
  return latest?.model?.id ?? null;
}

function storageError(action: string, error: unknown): StorageFailedError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StorageFailedError(`Could not ${action}: ${reason}`, { cause: error });
}

/** Runs `work` on every item with at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class ConversationStore {
  private readonly entries = new Map<string, IndexEntry>();
  private readonly cache = new Map<string, LoadedConversation>();
  /** Conversations with an answer streaming: never evicted from the cache. */
  private readonly live = new Set<string>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly loading = new Map<string, Promise<LoadedConversation>>();
  private readonly conversationsDir: string;
  private readonly indexPath: string;
  private readonly now: () => number;
  private readonly trashRetentionMs: number;
  private readonly indexDelayMs: number;
  private readonly cacheSize: number;
  private indexTimer: NodeJS.Timeout | null = null;
  private indexWrite: Promise<void> = Promise.resolve();
  private searchBuild: Promise<SearchIndex> | null = null;
  private sorted: ConversationSummary[] | null = null;
  private warmTimer: NodeJS.Timeout | null = null;
  /** Aborted on close: a search build in progress stops reading files. */
  private readonly closing = new AbortController();
  private closed = false;

  private constructor(options: ConversationStoreOptions) {
    this.conversationsDir = join(options.dir, 'conversations');
    this.indexPath = join(options.dir, 'index.json');
    this.now = options.now ?? Date.now;
    this.trashRetentionMs = options.trashRetentionMs ?? 30 * DAY_MS;
    this.indexDelayMs = options.indexDelayMs ?? 300;
    this.cacheSize = options.cacheSize ?? 64;
  }

  static async open(
    options: ConversationStoreOptions,
  ): Promise<{ store: ConversationStore; report: OpenReport }> {
    const store = new ConversationStore(options);
    const report = await store.load();
    return { store, report };
  }

  get restoreWindowMs(): number {
    return this.trashRetentionMs;
  }

  /** Pinned first, then the most recently active. */
  list(options: { includeDeleted?: boolean } = {}): ConversationSummary[] {
    // Sorted once per change, not per call: the sidebar lists often, conversations change rarely.
    this.sorted ??= [...this.entries.values()]
      .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt)
      .map(summaryOf);
    return options.includeDeleted ? [...this.sorted] : this.sorted.filter((c) => c.deletedAt === null);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  summary(id: string): ConversationSummary {
    const entry = this.entries.get(id);
    if (!entry) throw new ConversationNotFoundError(`No conversation ${id}.`);
    return summaryOf(entry);
  }

  async get(id: string): Promise<LoadedConversation> {
    const cached = this.cache.get(id);
    if (cached) {
      // Most recently used last.
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    const entry = this.entries.get(id);
    if (!entry) throw new ConversationNotFoundError(`No conversation ${id}.`);
    // One object per conversation: two loads at once must not give two copies to edit.
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.readConversation(entry.file).then((file) => {
        const loaded = { file, tree: new MessageTree(file) };
        this.remember(id, loaded);
        return loaded;
      });
      this.loading.set(id, loading);
      void loading.then(
        () => this.loading.delete(id),
        () => this.loading.delete(id),
      );
    }
    return loading;
  }

  /** Adds a new conversation (its file is written before this returns). */
  async add(file: ConversationFile): Promise<LoadedConversation> {
    const loaded = { file, tree: new MessageTree(file) };
    this.remember(file.id, loaded);
    await this.save(loaded);
    const search = await this.searchIfBuilt();
    if (search) this.indexMessages(search, file, file.messages);
    return loaded;
  }

  /** Writes a conversation after a change; writes of one conversation happen in order. */
  save(conversation: LoadedConversation): Promise<void> {
    const { file } = conversation;
    const previous = this.writes.get(file.id) ?? Promise.resolve();
    const write = previous.then(() => this.writeNow(file));
    const tail = write.catch(() => undefined);
    this.writes.set(file.id, tail);
    void tail.then(() => {
      if (this.writes.get(file.id) === tail) this.writes.delete(file.id);
    });
    return write;
  }

  /** Marks a conversation as having an answer streaming (kept in memory) or not. */
  setLive(id: string, live: boolean): void {
    if (live) this.live.add(id);
    else this.live.delete(id);
  }

  /** Puts messages into the search index (when it is built; otherwise it reads them from disk later). */
  async indexForSearch(file: ConversationFile, messages: readonly StoredMessage[]): Promise<void> {
    const search = await this.searchIfBuilt();
    if (search) this.indexMessages(search, file, messages);
  }

  async search(query: string, limit: number): Promise<SearchHit[]> {
    // A cleared search box answers at once, even while the index is still being built.
    if (!query.trim()) return [];
    const search = await this.searchIndex();
    return search.search(query, {
      limit,
      titleOf: (id) => {
        const entry = this.entries.get(id);
        return entry && entry.deletedAt === null ? entry.title : undefined;
      },
    });
  }

  /**
   * Starts building the search index in the background after `delayMs`, so the first search
   * does not wait for it. Does not keep the process alive, and stops when the store closes.
   */
  warmSearchSoon(delayMs = 1000): void {
    if (this.searchBuild || this.warmTimer) return;
    this.warmTimer = setTimeout(() => void this.searchIndex().catch(() => undefined), delayMs);
    this.warmTimer.unref();
  }

  /** Builds the search index now (the first search would otherwise). */
  async searchIndex(): Promise<SearchIndex> {
    this.searchBuild ??= this.buildSearch();
    return this.searchBuild;
  }

  /** Removes deleted conversations whose restore window has ended. */
  async purgeTrash(): Promise<number> {
    const cutoff = this.now() - this.trashRetentionMs;
    const expired = [...this.entries.values()].filter((e) => e.deletedAt !== null && e.deletedAt < cutoff);
    for (const entry of expired) {
      await this.writes.get(entry.id);
      await rm(join(this.conversationsDir, entry.file), { force: true });
      this.entries.delete(entry.id);
      this.sorted = null;
      this.cache.delete(entry.id);
      (await this.searchIfBuilt())?.removeConversation(entry.id);
    }
    if (expired.length > 0) this.scheduleIndexWrite();
    return expired.length;
  }

  /** Finishes pending writes (conversations, then the index). */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
    if (this.indexTimer) {
      clearTimeout(this.indexTimer);
      this.indexTimer = null;
      this.indexWrite = this.indexWrite.then(() => this.writeIndex());
    }
    await this.indexWrite;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.closing.abort();
    await this.searchBuild?.catch(() => undefined);
    await this.flush();
    await Promise.all(this.writes.values());
    await this.indexWrite;
    await this.writeIndex(true).catch(() => undefined);
  }

  private remember(id: string, loaded: LoadedConversation): void {
    this.cache.set(id, loaded);
    for (const key of this.cache.keys()) {
      if (this.cache.size <= this.cacheSize) break;
      if (!this.live.has(key) && !this.writes.has(key)) this.cache.delete(key);
    }
  }

  private async writeNow(file: ConversationFile): Promise<void> {
    const name = fileNameFor(file.id);
    const path = join(this.conversationsDir, name);
    try {
      await writeFileAtomic(path, JSON.stringify(file));
      const { mtimeMs } = await stat(path);
      this.entries.set(file.id, this.entryOf(file, name, mtimeMs));
      this.sorted = null;
    } catch (error) {
      throw storageError(`save the conversation "${file.title || file.id}"`, error);
    }
    this.scheduleIndexWrite();
  }

  private entryOf(file: ConversationFile, name: string, mtimeMs: number): IndexEntry {
    return {
      id: file.id,
      title: file.title,
      createdAt: file.createdAt,
      updatedAt: file.updatedAt,
      pinned: file.pinned,
      deletedAt: file.deletedAt,
      messageCount: file.messages.length,
      presetId: file.presetId,
      modelId: latestModelId(file.messages),
      file: name,
      mtimeMs,
      streaming: file.messages.some((m) => m.status === 'streaming'),
    };
  }

  private scheduleIndexWrite(): void {
    if (this.closed || this.indexTimer) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = null;
      this.indexWrite = this.indexWrite.then(() => this.writeIndex()).catch(() => undefined);
    }, this.indexDelayMs);
  }

  private async writeIndex(clean = false): Promise<void> {
    const index: IndexFile = {
      version: INDEX_VERSION,
      writtenAt: Date.now(),
      clean,
      entries: [...this.entries.values()],
    };
    await writeFileAtomic(this.indexPath, JSON.stringify(index));
  }

  private async readConversation(name: string): Promise<ConversationFile> {
    let text: string;
    try {
      text = await readFile(join(this.conversationsDir, name), 'utf8');
    } catch (error) {
      throw storageError(`read ${name}`, error);
    }
    try {
      return ConversationFile.parse(JSON.parse(text));
    } catch (error) {
      throw storageError(`read ${name} (not a valid conversation file)`, error);
    }
  }

  /** The index by file name, and the time after which files must be read again (unclean stop). */
  private async readIndex(): Promise<{ byFile: Map<string, IndexEntry>; recheckAfter: number }> {
    const byFile = new Map<string, IndexEntry>();
    let recheckAfter = Infinity;
    try {
      const parsed = IndexFile.safeParse(JSON.parse(await readFile(this.indexPath, 'utf8')));
      if (parsed.success) {
        for (const entry of parsed.data.entries) byFile.set(entry.file, entry);
        if (!parsed.data.clean) recheckAfter = parsed.data.writtenAt - UNCLEAN_RECHECK_MS;
      }
    } catch {
      // No index yet, or an unreadable one: it is rebuilt from the conversation files.
    }
    return { byFile, recheckAfter };
  }

  private async load(): Promise<OpenReport> {
    const report: OpenReport = { reread: 0, interrupted: 0, unreadable: [], purged: 0 };
    try {
      await mkdir(this.conversationsDir, { recursive: true });
    } catch (error) {
      throw storageError('create the chats folder', error);
    }
    const [{ byFile: indexed, recheckAfter }, names] = await Promise.all([
      this.readIndex(),
      readdir(this.conversationsDir),
    ]);
    let changed = indexed.size === 0 && names.length > 0;
    const files: string[] = [];
    for (const name of names) {
      // A crash can leave a temporary file behind; the real file is intact beside it.
      if (name.endsWith(TEMP_SUFFIX)) await rm(join(this.conversationsDir, name), { force: true });
      else if (name.endsWith('.json')) files.push(name);
    }
    changed ||= files.length !== indexed.size;
    await eachLimited(files, 32, async (name) => {
      let entry = indexed.get(name);
      const { mtimeMs } = await stat(join(this.conversationsDir, name));
      if (entry && entry.mtimeMs === mtimeMs && !entry.streaming && mtimeMs < recheckAfter) {
        this.entries.set(entry.id, entry);
        return;
      }
      changed = true;
      report.reread++;
      let file: ConversationFile;
      try {
        file = await this.readConversation(name);
      } catch {
        report.unreadable.push(name);
        return;
      }
      let interrupted = 0;
      for (const message of file.messages) {
        if (message.status !== 'streaming') continue;
        message.status = 'interrupted';
        interrupted++;
      }
      entry = this.entryOf(file, name, mtimeMs);
      this.entries.set(file.id, entry);
      if (interrupted > 0) {
        report.interrupted += interrupted;
        await this.writeNow(file);
      }
    });
    report.purged = await this.purgeTrash();
    if (changed || report.purged > 0) {
      this.indexWrite = this.writeIndex().catch(() => undefined);
      await this.indexWrite;
    }
    return report;
  }

  private async searchIfBuilt(): Promise<SearchIndex | null> {
    return this.searchBuild;
  }

  private indexMessages(search: SearchIndex, file: ConversationFile, messages: readonly StoredMessage[]) {
    for (const message of messages) {
      if (message.status === 'streaming') continue;
      search.put({
        conversationId: file.id,
        messageId: message.id,
        role: message.role,
        text: message.text,
        createdAt: message.createdAt,
      });
    }
  }

  private async buildSearch(): Promise<SearchIndex> {
    const search = new SearchIndex();
    const entries = [...this.entries.values()];
    await eachLimited(entries, 16, async (entry) => {
      if (this.closing.signal.aborted) return;
      let file: z.infer<typeof SearchableFile>;
      try {
        // Only the fields search needs, without validating the whole file: this reads every file.
        file =
          this.cache.get(entry.id)?.file ??
          SearchableFile.parse(JSON.parse(await readFile(join(this.conversationsDir, entry.file), 'utf8')));
      } catch {
        return;
      }
      for (const message of file.messages) {
        if (message.status === 'streaming') continue;
        search.putIfAbsent({
          conversationId: file.id,
          messageId: message.id,
          role: message.role,
          text: message.text,
          createdAt: message.createdAt,
        });
      }
    });
    return search;
  }
}
