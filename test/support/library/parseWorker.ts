/**
 * The parse worker for tests. The app's build emits parseWorker.js next to its entry; tests run
 * from source, so they bundle the worker once, keyed by the parser sources' content.
 */
import { bundleForTests } from './bundle.js';

export function ensureParseWorker(): Promise<string> {
  return bundleForTests('electron/core/library/parse/parseWorker.ts', ['electron/core/library/parse']);
}
