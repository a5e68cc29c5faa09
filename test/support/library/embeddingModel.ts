/**
 * The embedding model for tests: the generated test GGUF (64-dimension vectors, meaningless but
 * deterministic: the same text always gives the same vector). Set it as HEARTH_EMBED_MODEL.
 */
import { ensureTestModel } from '../gguf/index.js';

export function ensureTestEmbeddingModel(): Promise<string> {
  return ensureTestModel();
}
