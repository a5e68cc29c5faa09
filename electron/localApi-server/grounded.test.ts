/**
 * The local API's grounding extension (`hearth: { collections }`) against the official `openai`
 * client, on a real server, the real engine (generated test model as chat model and embedder) and
 * a small real library (LanceDB). The tiny model writes random words, so these check what the app
 * decides (which sources, where they are in the response, what is refused), never the wording.
 */
import { join } from 'node:path';
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreClient } from '../cli/client.js';
import { createEngine } from '../core/Engine.js';
import { NOTHING_FOUND_ANSWER } from '../core/grounding/Grounder.js';
import { openGroundedHarness, TEST_CHAT_MODEL_ID, type GroundedHarness } from '../core/grounding/testing.js';
import type { HearthGroundedFields } from '../core/localApi/openaiShapes.js';
import { makeTestHome, TEST_MODEL_ID } from '../host/testEngine.js';
import { startLocalApiServer, type RunningLocalApiServer } from './server.js';

const INVOICE =
  '# Invoices\n\nThe Zephyrine invoice for the harbour survey is due on 14 March 2026.\n\n' +
  'It was sent by Marlowe Surveying Ltd of Bristol.\n';
const OTTERS =
  '# Otters\n\nRiver otters eat fish, frogs and crayfish, and they sleep in holts by the water.\n';

type Grounded<T> = T & { hearth?: HearthGroundedFields };

let h: GroundedHarness;
let server: RunningLocalApiServer;
let openai: OpenAI;

beforeAll(async () => {
  h = await openGroundedHarness();
  await h.addDocuments('Work', { 'invoices.md': INVOICE, 'otters.md': OTTERS });
  await h.addDocuments('Kitchen', { 'soup.md': '# Soup\n\nLeek soup needs leeks, potatoes and stock.\n' });
  server = await startLocalApiServer({ api: h.engine.localApi, host: '127.0.0.1', port: 0 });
  openai = new OpenAI({ baseURL: server.baseUrl, apiKey: h.engine.localApi.key, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await h?.close();
});

/** A chat request naming collections; `hearth` is passed through by the client as an unknown field. */
function ask(question: string, collections: string[], extra: Record<string, unknown> = {}) {
  const body = {
    model: TEST_CHAT_MODEL_ID,
    messages: [{ role: 'user' as const, content: question }],
    max_tokens: 8,
    hearth: { collections },
    ...extra,
  };
  return body;
}

async function complete(body: ReturnType<typeof ask>): Promise<Grounded<ChatCompletion>> {
  return openai.chat.completions.create(body as ChatCompletionCreateParamsNonStreaming);
}

async function streamed(body: ReturnType<typeof ask>): Promise<Grounded<ChatCompletionChunk>[]> {
  const stream = await openai.chat.completions.create({
    ...body,
    stream: true,
  } as ChatCompletionCreateParamsStreaming);
  const chunks: Grounded<ChatCompletionChunk>[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function refusal(body: Record<string, unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await openai.chat.completions
    .create(body as unknown as ChatCompletionCreateParamsNonStreaming)
    .then(() => undefined)
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe('grounded chat completions (hearth.collections)', () => {
  it('returns the passage that holds a fact found in one file only, with the citations used', async () => {
    const completion = await complete(ask('When is the Zephyrine invoice due?', ['Work']));
    expect(completion.object).toBe('chat.completion');
    const hearth = completion.hearth!;
    expect(hearth.grounding).toEqual({
      mode: 'passages',
      collections: ['Work'],
      reranked: false,
      omitted_sources: 0,
    });
    const [first] = hearth.sources!;
    expect(first).toMatchObject({
      n: 1,
      document_name: 'invoices.md',
      collection: 'Work',
      heading_path: ['Invoices'],
      path: join(h.home, 'docs', 'Work', 'invoices.md'),
    });
    expect(first!.text).toContain('14 March 2026');
    expect(first!.char_end - first!.char_start).toBe(first!.text.length);
    // The other file shares no word with the question and is not a source.
    expect(hearth.sources!.some((source) => source.document_name === 'otters.md')).toBe(false);
    expect(hearth.sources!.map((source) => source.n)).toEqual(hearth.sources!.map((_, i) => i + 1));
    // Citations are exactly the [n] in the answer that match a source.
    const content = completion.choices[0]!.message.content ?? '';
    const cited = [...content.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(hearth.citations).toEqual(
      [...new Set(cited)].filter((n) => hearth.sources!.some((source) => source.n === n)),
    );
    // The model was asked: the sources are in the prompt.
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(40);
  });

  it('streams the sources on the first chunk, before any text, and the citations on the finish chunk', async () => {
    const chunks = await streamed(ask('Who sent the Zephyrine invoice?', ['Work']));
    const [first] = chunks;
    expect(first!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(first!.hearth?.grounding?.mode).toBe('passages');
    expect(first!.hearth?.sources?.[0]?.document_name).toBe('invoices.md');
    expect(first!.hearth?.sources?.[0]?.text).toContain('Marlowe Surveying');
    expect(first!.hearth?.citations).toBeUndefined();
    const finish = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0]!.hearth).toEqual({ citations: expect.any(Array) });
    // Only those two chunks carry the extension.
    expect(chunks.filter((chunk) => chunk.hearth)).toHaveLength(2);
  });

  it('answers honestly that the files do not hold the answer, citing nothing (streamed or not)', async () => {
    const completion = await complete(ask('What is the boiling point of tungsten?', ['Work', 'Kitchen']));
    expect(completion.choices[0]).toMatchObject({
      message: { role: 'assistant', content: NOTHING_FOUND_ANSWER },
      finish_reason: 'stop',
    });
    expect(completion.hearth).toEqual({
      grounding: {
        mode: 'nothing-found',
        collections: ['Work', 'Kitchen'],
        reranked: false,
        omitted_sources: 0,
      },
      sources: [],
      citations: [],
    });
    // The app answered by itself: the model generated nothing.
    expect(completion.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });

    const chunks = await streamed(ask('What is the boiling point of tungsten?', ['Work']));
    expect(chunks[0]!.hearth?.sources).toEqual([]);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(NOTHING_FOUND_ANSWER);
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.hearth).toEqual({ citations: [] });
  });

  it('searches only the collections named (by name or id)', async () => {
    const collections = await h.call('collections.list', {});
    const id = collections.find((collection) => collection.name === 'Kitchen')!.id;
    const completion = await complete(ask('What does leek soup need?', [id]));
    expect(completion.hearth?.sources?.[0]).toMatchObject({
      document_name: 'soup.md',
      collection: 'Kitchen',
    });
    const elsewhere = await complete(ask('What does leek soup need?', ['Work']));
    expect(elsewhere.hearth?.grounding?.mode).toBe('nothing-found');
  });

  it('leaves an ordinary request without the extension', async () => {
    const completion = await openai.chat.completions.create({
      model: TEST_CHAT_MODEL_ID,
      messages: [{ role: 'user', content: 'When is the Zephyrine invoice due?' }],
      max_tokens: 3,
    });
    expect('hearth' in completion).toBe(false);
  });

  it('answers 404 naming an unknown collection', async () => {
    const error = await refusal(ask('When is it due?', ['Work', 'Nope Nothing']));
    expect(error.status).toBe(404);
    expect(error.code).toBe('collection_not_found');
    expect(error.param).toBe('hearth.collections[1]');
    expect(error.message).toContain("'Nope Nothing'");
  });

  it('refuses what cannot be grounded clearly (400)', async () => {
    const empty = await refusal(ask('x', []));
    expect([empty.status, empty.param]).toEqual([400, 'hearth.collections']);
    const unknownField = await refusal({ ...ask('x', ['Work']), hearth: { collections: ['Work'], k: 3 } });
    expect([unknownField.status, unknownField.param]).toEqual([400, 'hearth.k']);
    const json = await refusal(ask('x', ['Work'], { response_format: { type: 'json_object' } }));
    expect([json.status, json.param]).toEqual([400, 'hearth.collections']);
    const tools = await refusal(
      ask('x', ['Work'], { tools: [{ type: 'function', function: { name: 'f' } }] }),
    );
    expect([tools.status, tools.param]).toEqual([400, 'hearth.collections']);
    const endsWithAnswer = await refusal({
      ...ask('x', ['Work']),
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y' },
      ],
    });
    expect([endsWithAnswer.status, endsWithAnswer.param]).toEqual([400, 'messages']);
  });
});

describe('grounding without an embedding model', () => {
  it('answers 503 saying the embedding model is missing', async () => {
    const home = await makeTestHome({ models: true });
    const engine = await createEngine({ home: home.home, version: '0.0.0-test', threads: 1 });
    const bare = await startLocalApiServer({ api: engine.localApi, host: '127.0.0.1', port: 0 });
    try {
      const client = new OpenAI({ baseURL: bare.baseUrl, apiKey: engine.localApi.key, maxRetries: 0 });
      const error = await client.chat.completions
        .create({ ...ask('x', ['Work']), model: TEST_MODEL_ID } as ChatCompletionCreateParamsNonStreaming)
        .catch((caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('embedding_model_unavailable');
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(/embedding model/);
      // Refused before queueing: no model was loaded for it.
      expect((await new CoreClient(engine.handlers).call('models.status', {})).state).toBe('none');
    } finally {
      await bare.close();
      await engine.dispose();
      await home.cleanup();
    }
  });
});
