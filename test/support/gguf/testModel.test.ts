import { randomInt } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatMLChatWrapper, getLlama, LlamaChatSession, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNotAGguf, writeTruncatedCopy } from './badFiles.js';
import {
  buildTestModel,
  ensureTestModel,
  testModelCacheDir,
  writeSplitTestModel,
  writeTestModel,
} from './testModel.js';
import { PUNCTUATION, WORDS } from './vocabulary.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-gguf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the GGUF test model writer', () => {
  it('is deterministic from its seed', () => {
    const a = buildTestModel({ seed: 7 });
    expect(buildTestModel({ seed: 7 }).equals(a)).toBe(true);
    expect(buildTestModel({ seed: 8 }).equals(a)).toBe(false);
    expect(a.length).toBeGreaterThan(200_000);
    expect(a.length).toBeLessThan(1_000_000);
  });

  it('writes a llama GGUF v3 header that node-llama-cpp reads', async () => {
    const path = await writeTestModel(join(dir, 'model.gguf'), {
      seed: 3,
      name: 'Tiny',
      contextLength: 2048,
    });
    const info = await readGgufFileInfo(path, { logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata.general?.architecture).toBe('llama');
    expect(info.metadata.general?.name).toBe('Tiny');
    expect(info.architectureMetadata.context_length).toBe(2048);
    expect(info.metadata.tokenizer?.ggml?.model).toBe('llama');
    expect(info.metadata.tokenizer?.chat_template).toContain('<|im_start|>');
    const tokens = info.metadata.tokenizer?.ggml?.tokens ?? [];
    expect(tokens).toContain('<0xFF>');
    expect(tokens).toContain('\u2581house');
    const names = (info.fullTensorInfo ?? []).map((tensor) => tensor.name);
    expect(names).toEqual(
      expect.arrayContaining(['token_embd.weight', 'output.weight', 'blk.1.ffn_down.weight']),
    );
    expect(names).toHaveLength(3 + 2 * 9);
  });

  it('caches by seed and is safe to ask for from many callers at once', async () => {
    const seed = randomInt(1_000_000, 2_000_000);
    const paths = await Promise.all([1, 2, 3, 4].map(() => ensureTestModel({ seed })));
    expect(new Set(paths).size).toBe(1);
    const path = paths[0] ?? '';
    expect(path.startsWith(testModelCacheDir())).toBe(true);
    expect((await readFile(path)).equals(buildTestModel({ seed }))).toBe(true);
    const first = await stat(path);
    expect(await ensureTestModel({ seed })).toBe(path);
    expect((await stat(path)).mtimeMs).toBe(first.mtimeMs);
    await rm(path);
  });

  it('writes truncated and not-a-GGUF files', async () => {
    const source = await ensureTestModel();
    const truncated = await writeTruncatedCopy(source, join(dir, 'cut.gguf'));
    expect((await stat(truncated)).size).toBe(Math.floor((await stat(source)).size / 2));
    const text = await writeNotAGguf(join(dir, 'notes.gguf'));
    expect((await readFile(text, 'utf8')).startsWith('This is a text file')).toBe(true);
  });
});

describe('the test model in node-llama-cpp', () => {
  let llama: Llama;
  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never' });
  });
  afterAll(async () => {
    await llama.dispose();
  });

  it('chats through its ChatML template and streams English words, without stopping by itself', async () => {
    const model = await llama.loadModel({ modelPath: await ensureTestModel() });
    const context = await model.createContext({ contextSize: 2048, threads: 1 });
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    expect(session.chatWrapper).toBeInstanceOf(ChatMLChatWrapper);

    const chunks: string[] = [];
    const result = await session.promptWithMeta('Tell me about the house by the river.', {
      maxTokens: 40,
      temperature: 0.8,
      seed: 1,
      onTextChunk: (text) => chunks.push(text),
    });
    expect(result.stopReason).toBe('maxTokens');
    expect(chunks.length).toBeGreaterThanOrEqual(20);
    const text = result.responseText;
    expect(text).not.toContain('\uFFFD');
    const vocabulary = new Set([...WORDS, ...PUNCTUATION]);
    const pieces = text.split(/\s+|(?=[.,!?])/).filter(Boolean);
    expect(pieces.length).toBeGreaterThanOrEqual(20);
    for (const piece of pieces) expect(vocabulary).toContain(piece);
    await context.dispose();
    await model.dispose();
  });

  it('loads a split model (gguf-split layout) from its first part and answers the same as the whole file', async () => {
    const paths = await writeSplitTestModel(join(dir, 'split'), 'tiny', { seed: 5 }, 3);
    const info = await readGgufFileInfo(paths[0] ?? '', { logWarnings: false });
    expect(info.splicedParts).toBe(3);
    expect((info.fullTensorInfo ?? []).length).toBe(3 + 2 * 9);
    const whole = await writeTestModel(join(dir, 'whole.gguf'), { seed: 5 });

    const answer = async (modelPath: string) => {
      const model = await llama.loadModel({ modelPath });
      const context = await model.createContext({ contextSize: 512, threads: 1 });
      const session = new LlamaChatSession({ contextSequence: context.getSequence() });
      const text = await session.prompt('Hello there.', { maxTokens: 12, temperature: 0, seed: 1 });
      await context.dispose();
      await model.dispose();
      return text;
    };
    const fromParts = await answer(paths[0] ?? '');
    expect(fromParts.split(/\s+/).filter(Boolean).length).toBeGreaterThan(3);
    expect(fromParts).toBe(await answer(whole));
  });
});
