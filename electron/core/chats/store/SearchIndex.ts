/**
 * Word search over every stored message: MiniSearch (BM25-style ranking, prefix matching on
 * the word being typed) in memory, with snippets cut around the matched words. Built once from
 * the conversation files on first use; kept current as messages are written.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type { SearchHit } from '../../../common/api/contract.js';

export interface IndexedMessage {
  conversationId: string;
  messageId: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: number;
}

interface Doc extends IndexedMessage {
  key: string;
}

const SNIPPET_CHARS = 180;

const keyOf = (conversationId: string, messageId: string) => `${conversationId}\u0000${messageId}`;

export interface SearchOptions {
  limit: number;
  /** Only hits whose conversation passes; the title to show for it. */
  titleOf(conversationId: string): string | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text around the first matched word, and where each matched word sits in it. */
export function makeSnippet(
  text: string,
  terms: readonly string[],
): { snippet: string; highlights: Array<[number, number]> } {
  const pattern =
    terms.length > 0
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map(escapeRegExp).join('|')})[\\p{L}\\p{N}]*`, 'giu')
      : null;
  const first = pattern ? pattern.exec(text) : null;
  const center = first?.index ?? 0;
  let start = Math.max(0, center - Math.floor(SNIPPET_CHARS / 3));
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  start = Math.max(0, Math.min(start, end - SNIPPET_CHARS));
  // Whole words at the edges.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < center) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > center) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const body = text.slice(start, end).replace(/\s/g, ' ');
  const snippet = `${prefix}${body}${end < text.length ? '…' : ''}`;
  const highlights: Array<[number, number]> = [];
  if (pattern) {
    pattern.lastIndex = 0;
    for (const match of body.matchAll(pattern)) {
      const at = prefix.length + (match.index ?? 0);
      highlights.push([at, at + match[0].length]);
    }
  }
  return { snippet, highlights };
}

export class SearchIndex {
  private readonly mini = new MiniSearch<Doc>({
    idField: 'key',
    fields: ['text'],
    storeFields: ['conversationId', 'messageId', 'role', 'text', 'createdAt'],
    searchOptions: {
      // The last word may still be being typed.
      prefix: (_term, index, terms) => index === terms.length - 1,
      combineWith: 'AND',
    },
  });
  private readonly byConversation = new Map<string, Set<string>>();

  get documentCount(): number {
    return this.mini.documentCount;
  }

  /** Adds or replaces one message. Empty messages are not indexed. */
  put(message: IndexedMessage): void {
    const key = keyOf(message.conversationId, message.messageId);
    if (this.mini.has(key)) this.mini.discard(key);
    if (!message.text.trim()) return;
    this.mini.add({ key, ...message });
    let keys = this.byConversation.get(message.conversationId);
    if (!keys) this.byConversation.set(message.conversationId, (keys = new Set()));
    keys.add(key);
  }

  /** Adds a message only when it is not indexed yet (building from files while writes go on). */
  putIfAbsent(message: IndexedMessage): void {
    if (!this.mini.has(keyOf(message.conversationId, message.messageId))) this.put(message);
  }

  removeConversation(conversationId: string): void {
    for (const key of this.byConversation.get(conversationId) ?? []) {
      if (this.mini.has(key)) this.mini.discard(key);
    }
    this.byConversation.delete(conversationId);
  }

  search(query: string, options: SearchOptions): SearchHit[] {
    if (!query.trim()) return [];
    const filter = (result: SearchResult) => options.titleOf(result.conversationId as string) !== undefined;
    let results = this.mini.search(query, { filter });
    // No message has every word: show those with some of them, still ranked.
    if (results.length === 0) results = this.mini.search(query, { filter, combineWith: 'OR' });
    return results.slice(0, options.limit).map((result) => {
      const text = result.text as string;
      const conversationId = result.conversationId as string;
      const { snippet, highlights } = makeSnippet(text, result.terms);
      return {
        conversationId,
        conversationTitle: options.titleOf(conversationId) ?? '',
        messageId: result.messageId as string,
        role: result.role as 'user' | 'assistant',
        snippet,
        highlights,
        score: result.score,
        createdAt: result.createdAt as number,
      };
    });
  }
}
