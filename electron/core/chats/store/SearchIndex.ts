/**
 * Word search over every stored message: an in-memory inverted index ranked with BM25, AND of
 * the words (falling back to any of them), the last word matched as a prefix (it may still be
 * being typed), with snippets cut around the matched words. Built once from the conversation
 * files on first use; kept current as messages are written.
 *
 * Hand-written rather than MiniSearch: at 100,000 messages MiniSearch's radix tree took about
 * nine times longer to build here (bench/benchmarks/chatStore.ts), and build time is what a user waits for.
 */
import type { SearchHit } from '../../../common/api/contract.js';

export interface IndexedMessage {
  conversationId: string;
  messageId: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: number;
}

interface Doc extends IndexedMessage {
  length: number;
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

/** Lower-case words of letters and digits, any script. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** BM25's usual constants. */
interface Scored {
  score: number;
  /** The indexed words this document matched (for highlighting). */
  terms: Set<string>;
}

const K1 = 1.2;
const B = 0.75;
/** A prefix expands to at most this many indexed words (the most frequent win). */
const MAX_PREFIX_EXPANSIONS = 24;
/** Shorter words are matched whole only (a one- or two-letter prefix matches too much). */
const MIN_PREFIX_CHARS = 3;
const MAX_TERM_CHARS = 64;

export class SearchIndex {
  /** Documents by number; null once removed (postings skip them). */
  private readonly docs: Array<Doc | null> = [];
  private readonly numberOf = new Map<string, number>();
  private readonly byConversation = new Map<string, Set<number>>();
  /** term -> [doc, count, doc, count, ...] */
  private readonly postings = new Map<string, number[]>();
  private totalLength = 0;
  private liveCount = 0;

  get documentCount(): number {
    return this.liveCount;
  }

  /** Adds or replaces one message. Empty messages are not indexed. */
  put(message: IndexedMessage): void {
    const key = keyOf(message.conversationId, message.messageId);
    this.remove(key);
    const terms = tokenize(message.text);
    if (terms.length === 0) return;
    const number = this.docs.length;
    this.docs.push({ ...message, length: terms.length });
    this.numberOf.set(key, number);
    let numbers = this.byConversation.get(message.conversationId);
    if (!numbers) this.byConversation.set(message.conversationId, (numbers = new Set()));
    numbers.add(number);
    this.totalLength += terms.length;
    this.liveCount++;
    for (const term of terms) {
      if (term.length > MAX_TERM_CHARS) continue;
      const list = this.postings.get(term);
      if (!list) this.postings.set(term, [number, 1]);
      // This document is the last one in the list when the word came up earlier in it.
      else if (list[list.length - 2] === number)
        list[list.length - 1] = (list[list.length - 1] as number) + 1;
      else list.push(number, 1);
    }
  }

  /** Adds a message only when it is not indexed yet (building from files while writes go on). */
  putIfAbsent(message: IndexedMessage): void {
    if (!this.numberOf.has(keyOf(message.conversationId, message.messageId))) this.put(message);
  }

  removeConversation(conversationId: string): void {
    for (const number of this.byConversation.get(conversationId) ?? []) {
      const doc = this.docs[number];
      if (doc) this.remove(keyOf(doc.conversationId, doc.messageId));
    }
    this.byConversation.delete(conversationId);
  }

  search(query: string, options: SearchOptions): SearchHit[] {
    const words = [...new Set(tokenize(query))].filter((word) => word.length <= MAX_TERM_CHARS);
    if (words.length === 0) return [];
    // Each query word matches itself, and the last one also longer words it begins.
    const groups = words.map((word, index) => (index === words.length - 1 ? this.expand(word) : [word]));
    let scored = this.score(groups, 'all', options);
    // No message has every word: show those with some of them, still ranked.
    if (scored.size === 0 && groups.length > 1) scored = this.score(groups, 'any', options);
    const candidates = groups.flat();
    return [...scored]
      .sort((a, b) => b[1].score - a[1].score)
      .slice(0, options.limit)
      .map(([number, { score }]) => {
        const doc = this.docs[number] as Doc;
        const words = new Set(tokenize(doc.text));
        const { snippet, highlights } = makeSnippet(
          doc.text,
          candidates.filter((term) => words.has(term)),
        );
        return {
          conversationId: doc.conversationId,
          conversationTitle: options.titleOf(doc.conversationId) ?? '',
          messageId: doc.messageId,
          role: doc.role,
          snippet,
          highlights,
          score,
          createdAt: doc.createdAt,
        };
      });
  }

  private remove(key: string): void {
    const number = this.numberOf.get(key);
    if (number === undefined) return;
    const doc = this.docs[number];
    if (doc) {
      this.totalLength -= doc.length;
      this.liveCount--;
      this.byConversation.get(doc.conversationId)?.delete(number);
    }
    this.docs[number] = null;
    this.numberOf.delete(key);
  }

  private expand(word: string): string[] {
    const exact = this.postings.has(word) ? [word] : [];
    if (word.length < MIN_PREFIX_CHARS) return exact.length > 0 ? exact : [word];
    const longer: Array<[string, number]> = [];
    for (const [term, list] of this.postings) {
      if (term.length > word.length && term.startsWith(word)) longer.push([term, list.length]);
    }
    longer.sort((a, b) => b[1] - a[1]);
    return [...exact, ...longer.slice(0, MAX_PREFIX_EXPANSIONS).map(([term]) => term)];
  }

  /** BM25 over the groups: a document must match every group ('all') or at least one ('any'). */
  private score(groups: string[][], mode: 'all' | 'any', options: SearchOptions): Map<number, Scored> {
    const total = Math.max(1, this.liveCount);
    const averageLength = this.totalLength / total || 1;
    // Flat arrays by document number: a common word touches most documents.
    const scores = new Float64Array(this.docs.length);
    const lastGroup = new Int32Array(this.docs.length).fill(-1);
    const touched: number[] = [];
    const visible = new Map<string, boolean>();
    groups.forEach((group, groupIndex) => {
      for (const term of group) {
        const list = this.postings.get(term);
        if (!list) continue;
        const frequency = list.length / 2;
        const idf = Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
        for (let i = 0; i < list.length; i += 2) {
          const number = list[i] as number;
          const previous = lastGroup[number] as number;
          // With 'all', only documents that matched every earlier group go on.
          if (mode === 'all' && previous < groupIndex - 1) continue;
          const doc = this.docs[number];
          if (!doc) continue;
          if (previous === -1) {
            let shown = visible.get(doc.conversationId);
            if (shown === undefined) {
              shown = options.titleOf(doc.conversationId) !== undefined;
              visible.set(doc.conversationId, shown);
            }
            if (!shown) continue;
            touched.push(number);
          }
          const count = list[i + 1] as number;
          scores[number] =
            (scores[number] as number) +
            (idf * count * (K1 + 1)) / (count + K1 * (1 - B + (B * doc.length) / averageLength));
          lastGroup[number] = groupIndex;
        }
      }
    });
    const result = new Map<number, Scored>();
    const last = groups.length - 1;
    for (const number of touched) {
      if (mode === 'all' && lastGroup[number] !== last) continue;
      result.set(number, { score: scores[number] as number, terms: new Set() });
    }
    // The matched words, for highlighting, only for the documents shown.
    return result;
  }
}
