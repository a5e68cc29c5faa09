import { describe, expect, it } from 'vitest';
import type { Params, Passage } from '../../../../electron/common/api/contract.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { SearchState } from './SearchState.svelte.js';

function passage(text: string): Passage {
  return {
    chunkId: text,
    documentId: 'd',
    documentName: 'fox.md',
    path: '/fox.md',
    collectionId: 'c',
    text,
    headingPath: [],
    charStart: 0,
    charEnd: text.length,
    score: 1,
    highlights: [],
  };
}

describe('SearchState', () => {
  it('asks in the chosen mode within the selected collection and keeps the query its results belong to', async () => {
    const asked: Params<'library.search'>[] = [];
    const transport = new LoopbackTransport({
      'library.search': async (params) => {
        asked.push(params);
        return [passage(`about ${params.query}`)];
      },
    });
    const search = new SearchState(new HearthClient(transport));
    search.query = '  lantern  ';
    search.mode = 'text';
    await search.run('c1');
    expect(asked).toEqual([{ query: 'lantern', mode: 'text', limit: 20, collections: ['c1'] }]);
    expect(search.resultsQuery).toBe('lantern');
    expect(search.active).toBe(true);
    expect(search.results.map((result) => result.text)).toEqual(['about lantern']);

    search.query = '   ';
    await search.run(null);
    expect(asked).toHaveLength(1);
    expect(search.active).toBe(false);
  });

  it('cancels an older search when a newer one starts, so late results never replace newer ones', async () => {
    let releaseFirst = () => {};
    const transport = new LoopbackTransport({
      'library.search': async ({ query }, call) => {
        if (query === 'slow') {
          await new Promise<void>((resolve) => (releaseFirst = resolve));
          if (call.signal.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
        }
        return [passage(query)];
      },
    });
    const search = new SearchState(new HearthClient(transport));
    search.query = 'slow';
    const first = search.run(null);
    search.query = 'fast';
    await search.run(null);
    releaseFirst();
    await first;
    expect(transport.cancelled).toHaveLength(1);
    expect(search.resultsQuery).toBe('fast');
    expect(search.results.map((result) => result.text)).toEqual(['fast']);
    expect(search.searching).toBe(false);
    expect(search.error).toBeNull();
  });
});
