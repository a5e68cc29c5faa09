// Reranking in grounded chat: on by default once a reranker is in the models folder, reordering
// the fused candidates by the cross-encoder's scores, which also decide what counts as relevant.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestRerankerModel, RERANK_TEST_WORD } from '../../../test/support/index.js';
import { findRerankerModel } from './rerankerModel.js';
import { openGroundedHarness, type GroundedHarness } from './testing.js';

let h: GroundedHarness;

beforeAll(async () => {
  h = await openGroundedHarness({
    // No reranker named: the one in the models folder is found and used.
    grounding: { rerankModel: undefined, relevance: { minVectorSimilarity: 0.95, minRerankScore: 0.45 } },
    models: { 'tiny-reranker.gguf': await ensureTestRerankerModel() },
  });
  await h.addDocuments('Kitchen', {
    'teahouse.md': '# Tea\n\nThe tea house sells green tea, black tea, tea cakes and tea pots.\n',
    'hearth.md': `# Hearth\n\nThe tea by the ${RERANK_TEST_WORD}, the ${RERANK_TEST_WORD} and the ${RERANK_TEST_WORD}.\n`,
  });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('reranked grounded chat', () => {
  it('orders the sources by the reranker, and keeps only those it scores as relevant', async () => {
    const byRetrieval = await h.call('library.search', {
      query: 'tea',
      mode: 'text',
      collections: ['Kitchen'],
    });
    expect(byRetrieval[0]?.documentName).toBe('teahouse.md');
    await h.call('chat.collections.set', { conversationId: 'rerank', collections: ['Kitchen'] });
    const answer = await h.call('chat.send', {
      conversationId: 'rerank',
      text: 'Where is the tea?',
      maxTokens: 4,
    });
    expect(answer.grounding).toMatchObject({ mode: 'passages', reranked: true });
    expect(answer.sources?.map((s) => s.documentName)).toEqual(['hearth.md']);
    expect(answer.sources?.[0]?.score).toBeGreaterThanOrEqual(0.45);
    expect(answer.sources?.[0]?.score).toBeLessThanOrEqual(1);
  });
});

describe('which reranker is used', () => {
  let modelsDir: string;
  beforeAll(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'hearth-rerankers-'));
    await mkdir(modelsDir, { recursive: true });
    await writeFile(join(modelsDir, 'chat.gguf'), 'x');
    await writeFile(join(modelsDir, 'my-cross-encoder.gguf'), 'x');
  });
  afterAll(async () => {
    await rm(modelsDir, { recursive: true, force: true });
  });
  const base = () => ({
    modelsDir,
    catalogRerankerIds: async () => new Set(['bge-reranker-v2-m3']),
    sourceOf: (id: string) => (id === 'my-cross-encoder.gguf' ? 'bge-reranker-v2-m3' : undefined),
    runtime: undefined,
  });

  it('an installed catalog reranker, by where it came from', async () => {
    expect(await findRerankerModel(base())).toBe(join(modelsDir, 'my-cross-encoder.gguf'));
  });

  it('a file named like a reranker when the catalog names none', async () => {
    await writeFile(join(modelsDir, 'bge-reranker-base.gguf'), 'x');
    expect(await findRerankerModel({ ...base(), sourceOf: () => undefined })).toBe(
      join(modelsDir, 'bge-reranker-base.gguf'),
    );
  });

  it('the one configured, or none when configured off', async () => {
    expect(await findRerankerModel({ ...base(), configured: 'chat.gguf' })).toBe(
      join(modelsDir, 'chat.gguf'),
    );
    expect(await findRerankerModel({ ...base(), configured: 'off' })).toBeUndefined();
  });
});
