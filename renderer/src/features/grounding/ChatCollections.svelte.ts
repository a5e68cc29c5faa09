/**
 * The collections a chat answers from, and the files dropped into it. The conversation keeps the
 * attached list (it is part of the stored conversation); this class makes the calls that change it
 * and uploads a browser's dropped files first. Indexing progress of those files comes from the
 * library's own `library.progress` broadcasts (LibraryState), filtered to the chat's collection.
 */
import type { AttachedCollection, IngestItem } from '../../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';
import type { Conversation } from '../chat/Conversation.svelte.js';
import type { Intake } from '../library/droppedFiles.js';
import type { LibraryState, UploadProgress } from '../library/LibraryState.svelte.js';
import { uploadAll, type Uploader } from '../library/uploader.js';

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export class ChatCollections {
  /** Upload progress of a browser drop, before the core has queued the files. */
  uploading = $state.raw<UploadProgress | null>(null);
  /** A change in flight (the control is disabled meanwhile). */
  saving = $state(false);
  error = $state.raw<RemoteError | null>(null);

  private readonly api: HearthClient;
  private readonly conversation: Conversation;
  private readonly uploader: Uploader | null;
  private readonly library: LibraryState;
  /** The attached ids the latest change asked for, until the core has answered it. */
  private pending = $state.raw<string[] | null>(null);
  /** The change in flight; the next one starts after it. */
  private queue: Promise<unknown> = Promise.resolve();

  /** `library` follows the indexing of the chat's files; `uploader` is null inside Electron (paths only). */
  constructor(
    api: HearthClient,
    conversation: Conversation,
    library: LibraryState,
    uploader: Uploader | null,
  ) {
    this.api = api;
    this.conversation = conversation;
    this.library = library;
    this.uploader = uploader;
  }

  /** The files of this chat's own collection in the current indexing batch, with their state. */
  get files(): readonly IngestItem[] {
    const own = this.own;
    return own ? this.library.items.filter((item) => item.collectionId === own.id) : [];
  }

  get attached(): readonly AttachedCollection[] {
    return this.conversation.collections;
  }

  /** The chat's own collection (dropped files), once it exists. */
  get own(): AttachedCollection | null {
    return this.conversation.collections.find((collection) => collection.own) ?? null;
  }

  /** Documents in a collection now (from the library's list; 0 when it is gone). */
  documentCount(collectionId: string): number {
    return this.library.collections.find((collection) => collection.id === collectionId)?.documentCount ?? 0;
  }

  /** Attached, or about to be: a box just ticked stays ticked while the change is on its way. */
  isAttached(collectionId: string): boolean {
    return (this.pending ?? this.currentIds()).includes(collectionId);
  }

  attach(collectionId: string): Promise<boolean> {
    return this.change((ids) => (ids.includes(collectionId) ? ids : [...ids, collectionId]));
  }

  detach(collectionId: string): Promise<boolean> {
    return this.change((ids) => ids.filter((id) => id !== collectionId));
  }

  toggle(collectionId: string): Promise<boolean> {
    return this.change((ids) =>
      ids.includes(collectionId) ? ids.filter((id) => id !== collectionId) : [...ids, collectionId],
    );
  }

  /** Adds dropped files to this chat's own collection (created and attached on first use). */
  async addFiles(intake: Intake): Promise<boolean> {
    const conversationId = this.conversation.ensureId();
    return this.run(async () => {
      if (intake.paths.length > 0) {
        const added = await this.api.call('chat.addFiles', { conversationId, paths: intake.paths });
        this.noteAdded(conversationId, added.queued, added.collections);
      }
      if (intake.files.length === 0) return;
      if (!this.uploader) throw new Error('This window cannot upload files.');
      try {
        const uploads = await uploadAll(this.uploader, intake.files, (done, total) => {
          this.uploading = { done, total };
        });
        const added = await this.api.call('chat.addFiles', { conversationId, uploads });
        this.noteAdded(conversationId, added.queued, added.collections);
      } finally {
        this.uploading = null;
      }
    });
  }

  dismissError(): void {
    this.error = null;
  }

  private noteAdded(
    conversationId: string,
    queued: readonly IngestItem[],
    collections: readonly AttachedCollection[],
  ): void {
    this.library.track(queued);
    // The chat may have changed while the files were on their way; the list is that chat's.
    if (this.conversation.id === conversationId) this.conversation.collections = collections;
  }

  /**
   * Sets the attached list to `next(ids)`, from the list the changes already asked for, so quick
   * toggles of several collections all count. Changes reach the core one after another; until the
   * last one is answered, `pending` is what the controls show.
   */
  private change(next: (ids: string[]) => string[]): Promise<boolean> {
    const conversationId = this.conversation.ensureId();
    const base = this.pending ?? this.currentIds();
    const wanted = next(base);
    if (wanted.length === base.length && wanted.every((id, index) => id === base[index])) {
      return Promise.resolve(true);
    }
    this.pending = wanted;
    return this.run(async () => {
      try {
        if (this.conversation.id !== conversationId) return;
        const collections = await this.api.call('chat.collections.set', {
          conversationId,
          collections: wanted,
        });
        if (this.conversation.id === conversationId) this.conversation.collections = collections;
      } finally {
        // The newest wish answered (or refused): the core's list is what shows again.
        if (this.pending === wanted) this.pending = null;
      }
    });
  }

  private currentIds(): string[] {
    return this.conversation.collections.map((collection) => collection.id);
  }

  private run(step: () => Promise<void>): Promise<boolean> {
    const done = this.queue.then(async () => {
      this.saving = true;
      try {
        await step();
        this.error = null;
        return true;
      } catch (error) {
        const remote = asRemoteError(error);
        if (remote.code !== ErrorCode.Cancelled) this.error = remote;
        return false;
      } finally {
        this.saving = false;
      }
    });
    this.queue = done;
    return done;
  }
}
