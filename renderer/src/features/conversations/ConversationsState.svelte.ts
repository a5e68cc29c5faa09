/**
 * The sidebar's conversations: the list (kept fresh from the core's conversations.changed
 * broadcasts), search across every message, and rename, pin, delete with undo.
 */
import type { ConversationSummary, SearchHit } from '../../../../electron/common/api/contract.js';
import type { HearthClient } from '../../lib/api.js';

/** Typing pauses this long before a search is sent. */
const searchDelayMs = 150;
/** Bursts of change broadcasts (a streamed answer is saved every second) become one reload. */
const reloadDelayMs = 250;

export interface PendingUndo {
  conversationId: string;
  title: string;
}

export class ConversationsState {
  items = $state.raw<readonly ConversationSummary[]>([]);
  loaded = $state(false);
  query = $state('');
  /** Null when no search is active. */
  hits = $state.raw<readonly SearchHit[] | null>(null);
  /** The last deleted conversation, which Undo brings back. */
  undo = $state.raw<PendingUndo | null>(null);
  problem = $state<string | null>(null);

  private readonly api: HearthClient;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  private loadSeq = 0;

  constructor(api: HearthClient) {
    this.api = api;
  }

  /** Loads the list and follows changes; returns the function that stops following. */
  start(): () => void {
    void this.load();
    const stop = this.api.on('conversations.changed', () => {
      if (this.reloadTimer) return;
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = null;
        void this.load();
        if (this.hits !== null) this.runSearch(this.query);
      }, reloadDelayMs);
    });
    return () => {
      stop();
      if (this.searchTimer) clearTimeout(this.searchTimer);
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
    };
  }

  async load(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const items = await this.api.call('conversations.list', {});
      if (seq !== this.loadSeq) return;
      this.items = items;
      this.problem = null;
    } catch (error) {
      if (seq === this.loadSeq) this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      if (seq === this.loadSeq) this.loaded = true;
    }
  }

  setQuery(query: string): void {
    this.query = query;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    if (!query.trim()) {
      this.searchSeq += 1;
      this.hits = null;
      return;
    }
    this.searchTimer = setTimeout(() => this.runSearch(query), searchDelayMs);
  }

  async rename(conversationId: string, title: string): Promise<void> {
    const trimmed = title.trim();
    if (!trimmed) return;
    await this.api.call('conversations.rename', { conversationId, title: trimmed });
    await this.load();
  }

  async togglePin(conversation: ConversationSummary): Promise<void> {
    await this.api.call('conversations.pin', {
      conversationId: conversation.id,
      pinned: !conversation.pinned,
    });
    await this.load();
  }

  async remove(conversation: ConversationSummary): Promise<void> {
    await this.api.call('conversations.delete', { conversationId: conversation.id });
    this.undo = { conversationId: conversation.id, title: conversation.title };
    await this.load();
  }

  async restore(): Promise<void> {
    const pending = this.undo;
    if (!pending) return;
    this.undo = null;
    await this.api.call('conversations.restore', { conversationId: pending.conversationId });
    await this.load();
  }

  dismissUndo(): void {
    this.undo = null;
  }

  private runSearch(query: string): void {
    const seq = ++this.searchSeq;
    this.api
      .call('conversations.search', { query, limit: 50 })
      .then((hits) => {
        if (seq === this.searchSeq) this.hits = hits;
      })
      .catch(() => {
        if (seq === this.searchSeq) this.hits = [];
      });
  }
}
