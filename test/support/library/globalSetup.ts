/** Vitest global setup: the parse worker is bundled before any test file runs. */
import { ensureParseWorker } from './parseWorker.js';

export default async function setup(): Promise<void> {
  process.env.HEARTH_PARSE_WORKER = await ensureParseWorker();
}
