/**
 * A conversation's messages as a tree: regenerated answers and edited messages are siblings
 * (same parent). Each message remembers its active child, so the active path is a walk from the
 * active root down, and switching to a sibling brings back the branch last used below it.
 */
import type { PathMessage } from '../../common/api/contract.js';
import { MessageNotFoundError } from '../errors/index.js';
import type { ConversationFile, StoredMessage } from './conversationFile.js';

export class MessageTree {
  private readonly byId = new Map<string, StoredMessage>();
  /** Children in creation order, by parent id ('' for first messages). */
  private readonly children = new Map<string, string[]>();

  constructor(private readonly file: ConversationFile) {
    for (const message of file.messages) this.index(message);
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): StoredMessage {
    const message = this.byId.get(id);
    if (!message) throw new MessageNotFoundError(`No message ${id} in this conversation.`);
    return message;
  }

  siblingsOf(message: StoredMessage): string[] {
    return this.children.get(message.parentId ?? '') ?? [];
  }

  /** Adds a message under its parent and makes it the active child there. */
  add(message: StoredMessage): void {
    if (message.parentId !== null) this.get(message.parentId);
    this.file.messages.push(message);
    this.index(message);
    this.activate(message);
  }

  /** The active path from the first message down to the leaf. */
  activePath(): StoredMessage[] {
    const path: StoredMessage[] = [];
    const seen = new Set<string>();
    let id = this.file.activeRootId;
    while (id !== null && !seen.has(id)) {
      const message = this.byId.get(id);
      if (!message) break;
      seen.add(id);
      path.push(message);
      id = message.activeChildId;
    }
    return path;
  }

  /** The ancestors of a message and itself, root first. */
  pathTo(id: string): StoredMessage[] {
    const path: StoredMessage[] = [];
    const seen = new Set<string>();
    let current: StoredMessage | undefined = this.get(id);
    while (current && !seen.has(current.id)) {
      seen.add(current.id);
      path.unshift(current);
      current = current.parentId === null ? undefined : this.byId.get(current.parentId);
    }
    return path;
  }

  /** Makes a message active at its place and all its ancestors active at theirs. */
  activate(message: StoredMessage): void {
    for (const node of this.pathTo(message.id)) {
      if (node.parentId === null) this.file.activeRootId = node.id;
      else this.get(node.parentId).activeChildId = node.id;
    }
  }

  /** The active path with each message's place among its siblings. */
  activePathView(): PathMessage[] {
    return this.activePath().map((message) => {
      const { activeChildId: _activeChildId, ...rest } = message;
      const siblingIds = this.siblingsOf(message);
      return { ...rest, siblingIds: [...siblingIds], siblingIndex: siblingIds.indexOf(message.id) };
    });
  }

  private index(message: StoredMessage): void {
    this.byId.set(message.id, message);
    const key = message.parentId ?? '';
    const list = this.children.get(key);
    if (list) list.push(message.id);
    else this.children.set(key, [message.id]);
  }
}
