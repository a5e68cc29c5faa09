import { readFile, rm } from 'node:fs/promises';
import {
  ChatMLChatWrapper,
  JinjaTemplateChatWrapper,
  LlamaChat,
  readGgufFileInfo,
  type ChatHistoryItem,
  type Llama,
  type LlamaChatResponseChunk,
  type LlamaModel,
} from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaRuntime } from '../../../electron/core/inference/runtime.js';
import { buildScriptedModel, ensureScriptedModel, THINKING_TEMPLATE } from './scriptedModel.js';

const ANSWER = ['The', ' keeper', ' is', ' Marguerite', ' [1]', '.'];
const THINKING = ['<think>', 'Checking', ' the', ' notes', '</think>', ...ANSWER];

describe('the scripted model writer', () => {
  it('is deterministic and refuses a script whose tokens would need two successors', () => {
    const bytes = buildScriptedModel({ script: ANSWER });
    expect(buildScriptedModel({ script: ANSWER }).equals(bytes)).toBe(true);
    expect(buildScriptedModel({ script: [...ANSWER, '!'] }).equals(bytes)).toBe(false);
    expect(bytes.length).toBeLessThan(500_000);
    expect(() => buildScriptedModel({ script: ['The', ' end', ' [1]', ' end'] })).toThrow(
      /" end" appears twice/,
    );
    expect(() => buildScriptedModel({ script: ['One\ntwo'] })).toThrow(/no newline/);
    expect(() => buildScriptedModel({ script: [] })).toThrow(/at least one piece/);
  });

  it('adds the words the shared vocabulary lacks, markers as control tokens, and picks the template', async () => {
    const path = await ensureScriptedModel({ script: THINKING });
    expect((await readFile(path)).equals(buildScriptedModel({ script: THINKING }))).toBe(true);
    const info = await readGgufFileInfo(path, { logWarnings: false });
    expect(info.metadata.tokenizer?.chat_template).toBe(THINKING_TEMPLATE);
    const tokens = info.metadata.tokenizer?.ggml?.tokens ?? [];
    const types = info.metadata.tokenizer?.ggml?.token_type ?? [];
    expect(tokens).toEqual(expect.arrayContaining(['\u2581Marguerite', '\u2581[1]', 'The', '</think>']));
    expect(types[tokens.indexOf('</think>')]).toBe(3);
    expect(types[tokens.indexOf('\u2581Marguerite')]).toBe(1);
    expect(new Set(tokens).size).toBe(tokens.length);
    const plain = await readGgufFileInfo(await ensureScriptedModel({ script: ANSWER }), {
      logWarnings: false,
    });
    expect(plain.metadata.tokenizer?.chat_template).toContain('<|im_start|>');
    expect(plain.metadata.tokenizer?.chat_template).not.toContain('<think>');
  });
});

describe('the scripted model in node-llama-cpp', () => {
  let llama: Llama;
  beforeAll(async () => {
    llama = await createLlamaRuntime();
  });
  afterAll(async () => {
    await llama.dispose();
  });

  /** The app's default sampling (the default preset). */
  const APP_SAMPLING = { temperature: 0.7, topK: 40, topP: 0.9, minP: 0.05 };
  /** Hot and untruncated: every token keeps a chance, so only the logits' margin holds the script. */
  const HOT_SAMPLING = { temperature: 2, topK: 0, topP: 1, minP: 0 };

  /** Generates one answer to `history`; the chunks as they came. */
  async function answer(
    model: LlamaModel,
    history: ChatHistoryItem[],
    seed: number,
    sampling: typeof APP_SAMPLING = APP_SAMPLING,
  ) {
    const context = await model.createContext({ contextSize: 1024, threads: 1 });
    const chat = new LlamaChat({ contextSequence: context.getSequence() });
    const chunks: LlamaChatResponseChunk[] = [];
    try {
      const response = await chat.generateResponse(history, {
        ...sampling,
        seed,
        maxTokens: 100,
        onResponseChunk: (chunk) => chunks.push(chunk),
      });
      return { wrapper: chat.chatWrapper, response, chunks };
    } finally {
      chat.dispose();
      await context.dispose();
    }
  }

  it('writes its script token by token and ends by itself, whatever it is asked and however hot the sampling', async () => {
    const model = await llama.loadModel({ modelPath: await ensureScriptedModel({ script: ANSWER }) });
    try {
      const questions: ChatHistoryItem[][] = [
        [{ type: 'user', text: 'Who keeps the lighthouse?' }],
        [
          { type: 'system', text: 'Answer from the sources. Cite them as [n].' },
          { type: 'user', text: 'Tell me a long story about a fox, with many twists.' },
          { type: 'model', response: ['Once upon a time.'] },
          { type: 'user', text: 'Again?' },
        ],
      ];
      const runs = questions.flatMap((question, index) =>
        [APP_SAMPLING, HOT_SAMPLING].map((sampling) => ({ question, seed: index + 1, sampling })),
      );
      for (const { question, seed, sampling } of runs) {
        const { wrapper, response, chunks } = await answer(
          model,
          [...question, { type: 'model', response: [] }],
          seed,
          sampling,
        );
        expect(wrapper).toBeInstanceOf(ChatMLChatWrapper);
        expect(response.response).toBe('The keeper is Marguerite [1].');
        expect(response.metadata.stopReason).toBe('eogToken');
        // Streamed: one chunk per piece of the script.
        expect(chunks.map((chunk) => chunk.text).filter(Boolean)).toEqual(ANSWER);
      }
    } finally {
      await model.dispose();
    }
  });

  it('streams the thinking of a thinking script as a thought segment, apart from the answer', async () => {
    const model = await llama.loadModel({ modelPath: await ensureScriptedModel({ script: THINKING }) });
    try {
      const { wrapper, response, chunks } = await answer(
        model,
        [
          { type: 'user', text: 'Who keeps the lighthouse?' },
          { type: 'model', response: [] },
        ],
        7,
      );
      expect(wrapper).toBeInstanceOf(JinjaTemplateChatWrapper);
      expect(response.response).toBe('The keeper is Marguerite [1].');
      expect(response.fullResponse[0]).toMatchObject({
        type: 'segment',
        segmentType: 'thought',
        text: 'Checking the notes',
        ended: true,
      });
      expect(response.metadata.stopReason).toBe('eogToken');
      const thought = chunks.filter((chunk) => chunk.type === 'segment' && chunk.segmentType === 'thought');
      expect(thought.map((chunk) => chunk.text).join('')).toBe('Checking the notes');
      const text = chunks.filter((chunk) => chunk.type === undefined);
      expect(text.map((chunk) => chunk.text).join('')).toBe('The keeper is Marguerite [1].');
    } finally {
      await model.dispose();
    }
  });

  it('ends at once when it is not asked through its chat template', async () => {
    const path = await ensureScriptedModel({ script: ['Only', ' after', ' a', ' prompt', '.'] });
    const model = await llama.loadModel({ modelPath: path });
    try {
      const context = await model.createContext({ contextSize: 256, threads: 1 });
      const sequence = context.getSequence();
      const generated: number[] = [];
      for await (const token of sequence.evaluate(model.tokenize('The house by the river'), {
        temperature: 0.7,
      })) {
        if (model.isEogToken(token) || generated.length >= 10) break;
        generated.push(token);
      }
      expect(generated).toEqual([]);
      await context.dispose();
    } finally {
      await model.dispose();
      await rm(path, { force: true });
    }
  });
});
