// The offline reranker on node-llama-cpp's ranking context: a generated cross-encoder whose score
// is known to grow with the share of one word, and a real one where HEARTH_TEST_RERANK_MODEL names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestRerankerModel, RERANK_TEST_WORD } from '../../../test/support/index.js';
import { createReranker, rerank, type Reranker } from './Reranker.js';

const WORD = RERANK_TEST_WORD;

describe('the reranker on a generated cross-encoder', () => {
  let reranker: Reranker;
  beforeAll(async () => {
    reranker = await createReranker({ modelPath: await ensureTestRerankerModel(), threads: 1 });
  });
  afterAll(async () => {
    await reranker?.dispose();
  });

  it('scores every passage, in order, and orders them as the model ranks them', async () => {
    const passages = [
      'the house is quiet',
      `the ${WORD} is warm`,
      `${WORD} ${WORD} by the ${WORD}`,
      'a tree by the river',
    ];
    const scores = await reranker.rerank(`where is the ${WORD}`, passages);
    expect(scores).toHaveLength(4);
    for (const score of scores) expect(score).toBeGreaterThan(0);
    const order = passages
      .map((p, i) => ({ p, s: scores[i]! }))
      .sort((a, b) => b.s - a.s)
      .map((x) => x.p);
    expect(order.slice(0, 2)).toEqual([passages[2], passages[1]]);
  });

  it('gives the same scores one by one as in a batch, and stops when cancelled', async () => {
    const passages = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0 ? `${WORD} and tea` : `bread and tea ${i}`,
    );
    const all = await reranker.rerank('tea', passages);
    expect(await reranker.rerank('tea', [passages[3]!])).toEqual([all[3]]);
    const controller = new AbortController();
    controller.abort();
    await expect(reranker.rerank('tea', passages, controller.signal)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('has a one-shot form for scripts (the retrieval bench)', async () => {
    const scores = await rerank('tea', ['the tea', `the ${WORD}`], {
      modelPath: await ensureTestRerankerModel(),
      threads: 1,
    });
    expect(scores[1]).toBeGreaterThan(scores[0]!);
  });
});

const realModel = process.env.HEARTH_TEST_RERANK_MODEL;
if (!realModel) {
  console.log(
    'Reranker: no real reranker test (set HEARTH_TEST_RERANK_MODEL to a cross-encoder .gguf to run it).',
  );
}
describe.skipIf(!realModel)('the reranker on a real cross-encoder (HEARTH_TEST_RERANK_MODEL)', () => {
  it('puts the passage that answers the question first', async () => {
    const scores = await rerank(
      'When is the harbour survey invoice due?',
      [
        'River otters eat fish and sleep in holts by the water.',
        'The invoice for the harbour survey must be paid by 14 March 2026.',
        'Leek soup needs leeks, potatoes and stock.',
      ],
      { modelPath: realModel! },
    );
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  }, 120_000);
});
