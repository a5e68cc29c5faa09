/**
 * The library's search box: one query at a time (a newer one cancels the older), in the chosen mode,
 * within the selected collection or the whole library.
 */
import type { Passage, SearchMode } from '../../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';

export const searchModes: readonly { mode: SearchMode; label: string; hint: string }[] = [
  { mode: 'hybrid', label: 'Hybrid', hint: 'Words and meaning together' },
  { mode: 'text', label: 'Words', hint: 'Full-text match on the words' },
  { mode: 'vector', label: 'Meaning', hint: 'Similar meaning, even in other words' },
];

export class SearchState {
  query = $state('');
  mode = $state<SearchMode>('hybrid');
  results = $state.raw<readonly Passage[]>([]);
  /** The query the results belong to (what the highlights mark). */
  resultsQuery = $state('');
  searching = $state(false);
  error = $state.raw<RemoteError | null>(null);

  /** True while the box holds a query whose results (or their absence) are shown. */
  active = $derived(this.resultsQuery.length > 0);

  private readonly api: HearthClient;
  private controller: AbortController | null = null;

  constructor(api: HearthClient) {
    this.api = api;
  }

  async run(collectionId: string | null, limit = 20): Promise<void> {
    const query = this.query.trim();
    this.controller?.abort();
    if (!query) {
      this.clear();
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.searching = true;
    this.error = null;
    try {
      const results = await this.api.call(
        'library.search',
        { query, mode: this.mode, limit, ...(collectionId ? { collections: [collectionId] } : {}) },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      this.results = results;
      this.resultsQuery = query;
    } catch (error) {
      if (controller.signal.aborted) return;
      const remote =
        error instanceof RemoteError
          ? error
          : new RemoteError({ code: ErrorCode.Internal, name: 'Error', message: String(error) });
      if (remote.code !== ErrorCode.Cancelled) this.error = remote;
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.searching = false;
      }
    }
  }

  clear(): void {
    this.controller?.abort();
    this.controller = null;
    this.query = '';
    this.results = [];
    this.resultsQuery = '';
    this.searching = false;
    this.error = null;
  }
}
