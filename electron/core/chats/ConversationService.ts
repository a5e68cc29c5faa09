/**
 * The conversation operations that need no model: views of the active path, rename, pin,
 * delete with undo (soft delete, restorable for the store's retention window), switching
 * branches, search, export and import.
 */
import { randomUUID } from 'node:crypto';
import type {
  AttachedCollection,
  Conversation,
  ConversationSummary,
  SearchHit,
} from '../../common/api/contract.js';
import { ChatBusyError } from '../errors/index.js';
import type { ConversationFile } from './conversationFile.js';
import { exportJson, exportMarkdown, parseImport, type ExportedFile } from './exchange.js';
import type { ConversationStore, LoadedConversation } from './store/ConversationStore.js';

export interface ConversationServiceOptions {
  store: ConversationStore;
  /** Whether an answer is streaming in a conversation now (it cannot be deleted meanwhile). */
  isRunning?: (conversationId: string) => boolean;
  onChanged?: (conversationId: string | null) => void;
  now?: () => number;
  /** Grounded answers: the collections attached to a conversation, as they are now. */
  collectionsOf?: (file: ConversationFile) => AttachedCollection[];
}

export function viewOf(
  conversation: LoadedConversation,
  summary: ConversationSummary,
  collectionsOf?: (file: ConversationFile) => AttachedCollection[],
): Conversation {
  const { file, tree } = conversation;
  return {
    ...summary,
    systemPrompt: file.systemPrompt,
    settings: file.settings,
    path: tree.activePathView(),
    ...(collectionsOf ? { collections: collectionsOf(file) } : {}),
  };
}

export class ConversationService {
  private readonly store: ConversationStore;
  private readonly now: () => number;

  constructor(private readonly options: ConversationServiceOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
  }

  list(includeDeleted = false): ConversationSummary[] {
    return this.store.list({ includeDeleted });
  }

  async get(conversationId: string): Promise<Conversation> {
    return this.view(await this.store.get(conversationId));
  }

  view(conversation: LoadedConversation): Conversation {
    return viewOf(conversation, this.store.summary(conversation.file.id), this.options.collectionsOf);
  }

  async rename(conversationId: string, title: string): Promise<ConversationSummary> {
    return this.change(conversationId, (conversation) => {
      conversation.file.title = title.trim();
      conversation.file.titleSource = 'user';
    });
  }

  async pin(conversationId: string, pinned: boolean): Promise<ConversationSummary> {
    return this.change(conversationId, (conversation) => {
      conversation.file.pinned = pinned;
    });
  }

  async delete(conversationId: string): Promise<{ conversationId: string; restorableUntil: number }> {
    if (this.options.isRunning?.(conversationId)) {
      throw new ChatBusyError('This conversation is still answering. Stop it before deleting it.');
    }
    const deletedAt = this.now();
    await this.change(conversationId, (conversation) => {
      conversation.file.deletedAt = deletedAt;
    });
    return { conversationId, restorableUntil: deletedAt + this.store.restoreWindowMs };
  }

  async restore(conversationId: string): Promise<ConversationSummary> {
    return this.change(conversationId, (conversation) => {
      conversation.file.deletedAt = null;
    });
  }

  async switchBranch(conversationId: string, messageId: string): Promise<Conversation> {
    if (this.options.isRunning?.(conversationId)) {
      throw new ChatBusyError('This conversation is still answering. Stop it before switching branches.');
    }
    const conversation = await this.store.get(conversationId);
    conversation.tree.activate(conversation.tree.get(messageId));
    await this.store.save(conversation);
    this.options.onChanged?.(conversationId);
    return this.view(conversation);
  }

  async search(query: string, limit = 20): Promise<SearchHit[]> {
    return this.store.search(query, limit);
  }

  async export(conversationId: string, format: 'markdown' | 'json'): Promise<ExportedFile> {
    const conversation = await this.store.get(conversationId);
    return format === 'json'
      ? exportJson(conversation.file)
      : exportMarkdown(conversation.file, conversation.tree);
  }

  /** Imports a JSON export as a new conversation; the original's id is never reused. */
  async import(content: string): Promise<Conversation> {
    const file = parseImport(content);
    file.id = randomUUID();
    file.deletedAt = null;
    const conversation = await this.store.add(file);
    this.options.onChanged?.(file.id);
    return this.view(conversation);
  }

  private async change(
    conversationId: string,
    apply: (conversation: LoadedConversation) => void,
  ): Promise<ConversationSummary> {
    const conversation = await this.store.get(conversationId);
    apply(conversation);
    await this.store.save(conversation);
    this.options.onChanged?.(conversationId);
    return this.store.summary(conversationId);
  }
}
