import { describe, expect, it } from 'vitest';
import {
  makeSnippet,
  SearchIndex,
  tokenize,
  type IndexedMessage,
  type SearchOptions,
} from './SearchIndex.js';

const message = (messageId: string, text: string, conversationId = 'c'): IndexedMessage => ({
  conversationId,
  messageId,
  role: 'user',
  text,
  createdAt: 1,
});
const everyone: SearchOptions = { limit: 10, titleOf: () => 'Title' };
const ids = (index: SearchIndex, query: string, options: SearchOptions = everyone) =>
  index.search(query, options).map((hit) => hit.messageId);

describe('SearchIndex', () => {
  it('ranks by BM25: rarer words and denser matches first', () => {
    const index = new SearchIndex();
    index.put(message('dense', 'tomato tomato tomato salad'));
    index.put(message('sparse', `tomato ${'filler '.repeat(60)}`));
    index.put(message('none', 'cucumber salad'));
    expect(ids(index, 'tomato')).toEqual(['dense', 'sparse']);
    // Both words: only the message with both.
    expect(ids(index, 'salad tomato')).toEqual(['dense']);
  });

  it('requires every word, then falls back to any of them', () => {
    const index = new SearchIndex();
    index.put(message('a', 'the red house'));
    index.put(message('b', 'the blue house'));
    expect(ids(index, 'red house')).toEqual(['a']);
    expect(ids(index, 'red blue').sort()).toEqual(['a', 'b']);
    expect(ids(index, 'green')).toEqual([]);
  });

  it('matches the last word as a prefix, in any script, ignoring case and punctuation', () => {
    const index = new SearchIndex();
    index.put(message('a', 'Über die Brücke, bitte!'));
    index.put(message('b', 'Penguins live in Antarctica.'));
    expect(ids(index, 'brü')).toEqual(['a']);
    expect(ids(index, 'ÜBER')).toEqual(['a']);
    expect(ids(index, 'antarc')).toEqual(['b']);
    // Only the last word is a prefix: "pengu" matches nothing, so only "brücke" is found.
    expect(ids(index, 'pengu brücke')).toEqual(['a']);
    expect(tokenize("l'été, 2026!")).toEqual(['l', 'été', '2026']);
  });

  it('replaces and removes messages, and hides conversations the caller filters out', () => {
    const index = new SearchIndex();
    index.put(message('a', 'old words', 'one'));
    index.put(message('a', 'new words', 'one'));
    index.put(message('b', 'new things', 'two'));
    expect(ids(index, 'old')).toEqual([]);
    expect(ids(index, 'new').sort()).toEqual(['a', 'b']);
    expect(
      ids(index, 'new', { limit: 10, titleOf: (id: string) => (id === 'two' ? 'T' : undefined) }),
    ).toEqual(['b']);
    index.removeConversation('two');
    expect(ids(index, 'new')).toEqual(['a']);
    expect(index.documentCount).toBe(1);
  });

  it('cuts a snippet around the first match and marks every matched word', () => {
    const text = `${'lorem ipsum '.repeat(30)}the Garden is green and the garden grows ${'dolor '.repeat(40)}`;
    const { snippet, highlights } = makeSnippet(text, ['garden']);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(182);
    expect(highlights.map(([start, end]) => snippet.slice(start, end))).toEqual(['Garden', 'garden']);
  });
});
