/**
 * Which library collections a conversation answers from. Attachments are stored in the
 * conversation file with the name each had when attached, so a collection deleted later still
 * shows by name (as unavailable) and the next answer can say it was left out. Files dropped into a
 * chat go to the chat's own collection, created and attached on first use.
 */
import type { AttachedCollection, IngestItem, SourceLookup } from '../../common/api/contract.js';
import type { ConversationFile } from '../chats/conversationFile.js';
import type { ConversationStore, LoadedConversation } from '../chats/store/ConversationStore.js';
import { MessageNotFoundError } from '../errors/index.js';
import type { Library } from '../library/Library.js';

/** What this module needs from the library (a narrow view, so tests and callers stay honest). */
export type CollectionLibrary = Pick<
  Library,
  'findCollection' | 'ensureOwnCollection' | 'add' | 'document' | 'passages'
>;

export interface ChatCollectionsOptions {
  store: ConversationStore;
  library: CollectionLibrary;
  /** Opens a conversation, creating it (default preset) when the id is new. */
  openConversation: (conversationId: string) => Promise<LoadedConversation>;
  onChanged?: (conversationId: string) => void;
}

/** The chat's own collection's name: unique per chat, readable in the Library view. */
export function ownCollectionName(conversationId: string): string {
  return `Chat files ${conversationId.slice(0, 8)}`;
}

export class ChatCollections {
  constructor(private readonly options: ChatCollectionsOptions) {}

  /** The attachments as they are now: names refreshed, deleted ones marked unavailable. */
  attached(file: ConversationFile): AttachedCollection[] {
    return (file.collections ?? []).map((stored) => {
      const found = this.options.library.findCollection(stored.id);
      return { id: stored.id, name: found?.name ?? stored.name, available: !!found, own: stored.own };
    });
  }

  /** Attachments for collections named by id or name (a preset's); unknown ones are left out. */
  resolve(refs: readonly string[]): NonNullable<ConversationFile['collections']> {
    const attachments: NonNullable<ConversationFile['collections']> = [];
    for (const ref of refs) {
      const found = this.options.library.findCollection(ref);
      if (found && !attachments.some((c) => c.id === found.id))
        attachments.push({ id: found.id, name: found.name, own: false });
    }
    return attachments;
  }

  async set(conversationId: string, refs: readonly string[]): Promise<AttachedCollection[]> {
    const conversation = await this.options.openConversation(conversationId);
    const previous = conversation.file.collections ?? [];
    const next: NonNullable<ConversationFile['collections']> = [];
    for (const ref of refs) {
      const found = this.options.library.findCollection(ref);
      if (!found) {
        // A deleted collection the UI still lists: kept only if it was attached (so it shows as gone).
        const kept = previous.find((c) => c.id === ref);
        if (kept && !next.some((c) => c.id === kept.id)) next.push(kept);
        continue;
      }
      if (next.some((c) => c.id === found.id)) continue;
      const own = previous.find((c) => c.id === found.id)?.own ?? false;
      next.push({ id: found.id, name: found.name, own });
    }
    conversation.file.collections = next;
    await this.save(conversation);
    return this.attached(conversation.file);
  }

  async addFiles(
    conversationId: string,
    files: { paths?: string[]; uploads?: Array<{ handle: string; name: string }> },
  ): Promise<{ collectionId: string; queued: IngestItem[]; collections: AttachedCollection[] }> {
    const conversation = await this.options.openConversation(conversationId);
    const attached = conversation.file.collections ?? [];
    const ownAttached = attached.find((c) => c.own && this.options.library.findCollection(c.id));
    const own = ownAttached
      ? { id: ownAttached.id, name: ownAttached.name }
      : await this.options.library.ensureOwnCollection(conversationId, ownCollectionName(conversationId));
    const result = await this.options.library.add({ ...files, collection: own.id });
    if (!attached.some((c) => c.id === own.id)) {
      conversation.file.collections = [
        ...attached.filter((c) => !c.own),
        { id: own.id, name: own.name, own: true },
      ];
      await this.save(conversation);
    }
    return {
      collectionId: result.collectionId,
      queued: result.queued,
      collections: this.attached(conversation.file),
    };
  }

  /** One cited source of a stored answer, checked against the library now. */
  async source(conversationId: string, messageId: string, n: number): Promise<SourceLookup> {
    const conversation = await this.options.store.get(conversationId);
    const message = conversation.tree.get(messageId);
    const source = message.sources?.find((s) => s.n === n);
    if (!source) throw new MessageNotFoundError(`That answer has no source [${n}].`);
    const document = await this.options.library.document(source.documentId);
    if (!document) return { source, state: 'removed' };
    const [current] = await this.options.library.passages({ chunkIds: [source.chunkId] });
    if (!current) return { source, state: 'changed' };
    return { source, state: current.text === source.text ? 'available' : 'changed', current };
  }

  private async save(conversation: LoadedConversation): Promise<void> {
    await this.options.store.save(conversation);
    this.options.onChanged?.(conversation.file.id);
  }
}
