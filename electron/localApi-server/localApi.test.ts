/**
 * The local API against the official `openai` client (a real client, written by others), on a
 * real server and engine with the generated test model. The model writes random words, so
 * structure (JSON schema, tool calls) is checked, not meaning: node-llama-cpp's grammars make it hold.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApiLogEntry } from '../common/api/contract.js';
import {
  createApiTestEngine,
  EMBED_MODEL_ID,
  rawHttp,
  TEST_MODEL_ID,
  type ApiTestEngine,
} from './testing.js';
import { startLocalApiServer, type RunningLocalApiServer } from './server.js';

let t: ApiTestEngine;
let server: RunningLocalApiServer;
let openai: OpenAI;
const log: LocalApiLogEntry[] = [];

beforeAll(async () => {
  t = await createApiTestEngine();
  t.engine.onEvent((event, payload) => {
    if (event === 'localApi.request') log.push(payload);
  });
  server = await startLocalApiServer({
    api: t.engine.localApi,
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 64 * 1024,
  });
  openai = new OpenAI({ baseURL: server.baseUrl, apiKey: t.engine.localApi.key, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await t?.dispose();
});

afterEach(async () => {
  await t.client.call('localApi.set', { queueLimit: 8, switchPolicy: 'never' });
});

const user = (content: string) => [{ role: 'user' as const, content }];

describe('models', () => {
  it('lists the installed models and the embedding model', async () => {
    const ids: string[] = [];
    for await (const model of openai.models.list()) {
      expect(model).toMatchObject({ object: 'model', owned_by: 'hearth' });
      ids.push(model.id);
    }
    expect(ids).toEqual(expect.arrayContaining([TEST_MODEL_ID, EMBED_MODEL_ID]));
    expect((await openai.models.retrieve(TEST_MODEL_ID)).id).toBe(TEST_MODEL_ID);
  });
});

describe('chat completions', () => {
  it('answers without streaming, loading the model on demand, with usage', async () => {
    const completion = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: [{ role: 'system', content: 'Be brief.' }, ...user('Hello')],
      max_tokens: 6,
      temperature: 0.7,
      top_p: 0.9,
      seed: 42,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    const [choice] = completion.choices;
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content?.trim().length).toBeGreaterThan(0);
    expect(choice?.finish_reason).toBe('length');
    expect(completion.usage).toMatchObject({ completion_tokens: 6 });
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + 6);
    expect((await t.client.call('models.status', {})).modelId).toBe(TEST_MODEL_ID);
  });

  it('gives the same answer for the same seed', async () => {
    const ask = () =>
      openai.chat.completions.create({
        model: 'tiny', // the id without .gguf works too
        messages: user('Tell me'),
        max_completion_tokens: 6,
        temperature: 1,
        seed: 7,
      });
    const [a, b] = [await ask(), await ask()];
    expect(a.choices[0]?.message.content).toBe(b.choices[0]?.message.content);
  });

  it('streams deltas, then the finish reason, then usage when asked', async () => {
    const stream = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('Stream please'),
      max_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text.trim().split(/\s+/).length).toBeGreaterThan(0);
    const finish = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0]?.choices[0]?.finish_reason).toBe('length');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.completion_tokens).toBe(5);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('stops at a stop sequence', async () => {
    const free = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('x'),
      max_tokens: 12,
      seed: 3,
    });
    const words = free.choices[0]!.message.content!.trim().split(/\s+/);
    const stopWord = words[2]!;
    const stopped = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('x'),
      max_tokens: 12,
      seed: 3,
      stop: [stopWord],
    });
    expect(stopped.choices[0]?.finish_reason).toBe('stop');
    expect(stopped.choices[0]?.message.content).not.toContain(stopWord);
  });

  it('returns JSON that parses and matches the schema (json_schema, grammar-enforced)', async () => {
    const schema = {
      type: 'object',
      properties: {
        mood: { type: 'string', enum: ['calm', 'busy', 'tired'] },
        count: { type: 'integer' },
        ok: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string', maxLength: 12 }, maxItems: 2 },
      },
      required: ['mood', 'count', 'ok', 'tags'],
      additionalProperties: false,
    };
    const completion = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('Describe your day'),
      max_tokens: 400,
      response_format: { type: 'json_schema', json_schema: { name: 'day', schema, strict: true } },
    });
    const value = JSON.parse(completion.choices[0]!.message.content!) as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(['count', 'mood', 'ok', 'tags']);
    expect(['calm', 'busy', 'tired']).toContain(value.mood);
    expect(Number.isInteger(value.count)).toBe(true);
    expect(typeof value.ok).toBe('boolean');
    expect(Array.isArray(value.tags)).toBe(true);
    expect((value.tags as unknown[]).length).toBeLessThanOrEqual(2);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('returns a JSON object for json_object', async () => {
    const completion = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('JSON please'),
      max_tokens: 200,
      response_format: { type: 'json_object' },
    });
    const { content } = completion.choices[0]!.message;
    if (completion.choices[0]?.finish_reason === 'stop')
      expect(() => JSON.parse(content!) as unknown).not.toThrow();
    expect(content!.trimStart().startsWith('{') || content!.trimStart().startsWith('[')).toBe(true);
  });

  it('does a tool call round trip: the forced call has valid arguments, the result is answered', async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'The weather in a city',
          parameters: {
            type: 'object',
            // Days from a list: a free integer lets the random test model write hundreds of digits,
            // more than a JSON number holds (a real model writes a small one).
            properties: { city: { type: 'string', maxLength: 20 }, days: { enum: [1, 2, 3, 7, 14] } },
            required: ['city', 'days'],
            additionalProperties: false,
          },
        },
      },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = user('What is the weather in Oslo?');
    const first = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages,
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_tokens: 400,
    });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('not a function call');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as { city: unknown; days: unknown };
    expect(typeof args.city).toBe('string');
    expect([1, 2, 3, 7, 14]).toContain(args.days);

    const second = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: [
        ...messages,
        choice.message,
        { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ forecast: 'sunny' }) },
      ],
      tools,
      max_tokens: 6,
    });
    expect(second.choices[0]?.message.role).toBe('assistant');
    expect(second.usage!.prompt_tokens).toBeGreaterThan(first.usage!.prompt_tokens);
  });

  it('lets the model choose with tool_choice auto (node-llama-cpp function calling)', async () => {
    const completion = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('Maybe call a tool'),
      tools: [
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ],
      parallel_tool_calls: false,
      max_tokens: 6,
    });
    const choice = completion.choices[0]!;
    // The generated model writes words, so it answers; a real one may call get_time instead.
    expect(['length', 'stop', 'tool_calls']).toContain(choice.finish_reason);
    if (choice.finish_reason === 'tool_calls') expect(choice.message.tool_calls?.[0]?.type).toBe('function');
    else expect(choice.message.content?.length).toBeGreaterThan(0);
    // The functions are described to the model in its prompt.
    const plain = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('Maybe call a tool'),
      max_tokens: 1,
    });
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(plain.usage!.prompt_tokens);
  });

  it('streams a required tool call as one tool_calls delta', async () => {
    const stream = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('time?'),
      tools: [
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'required',
      max_tokens: 400,
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_time' } });
    expect(JSON.parse(calls[0]!.function!.arguments!)).toEqual({});
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('completions and embeddings', () => {
  it('completes a prompt', async () => {
    const completion = await openai.completions.create({
      model: TEST_MODEL_ID,
      prompt: 'Once upon',
      max_tokens: 4,
    });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text.length).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(4);
  });

  it('embeds an array of inputs with the library embedding model (base64 by default in the client, and float)', async () => {
    const inputs = ['first text', 'second text', 'first text'];
    const encoded = await openai.embeddings.create({ model: EMBED_MODEL_ID, input: inputs });
    expect(encoded.data.map((item) => item.index)).toEqual([0, 1, 2]);
    for (const item of encoded.data) expect(item.embedding).toHaveLength(64);
    expect(encoded.data[0]?.embedding).toEqual(encoded.data[2]?.embedding);
    expect(encoded.data[0]?.embedding).not.toEqual(encoded.data[1]?.embedding);
    expect(encoded.usage.prompt_tokens).toBeGreaterThan(0);

    const float = await openai.embeddings.create({
      model: EMBED_MODEL_ID,
      input: 'first text',
      encoding_format: 'float',
    });
    expect(float.data).toHaveLength(1);
    float.data[0]!.embedding.forEach((value, index) =>
      expect(value).toBeCloseTo(encoded.data[0]!.embedding[index]!, 5),
    );
  });
});

describe('errors in the OpenAI shape', () => {
  async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof OpenAI.APIError) return error;
      throw error;
    }
    throw new Error('expected the request to fail');
  }

  it('401 without the key or with a wrong one', async () => {
    const wrong = new OpenAI({ baseURL: server.baseUrl, apiKey: 'hearth-not-the-key', maxRetries: 0 });
    const error = await failure(wrong.models.list());
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
    const none = await rawHttp(server.port, { path: '/v1/models' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key' },
    });
  });

  it('400 for an invalid parameter, naming it', async () => {
    const error = await failure(
      openai.chat.completions.create({ model: TEST_MODEL_ID, messages: user('x'), temperature: 5 }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('temperature');
  });

  it.each([
    ['n > 1', { n: 2 }, 'n'],
    ['logprobs', { logprobs: true }, 'logprobs'],
    ['logit_bias', { logit_bias: { '1': 5 } }, 'logit_bias'],
    ['an unknown argument', { reasoning_shenanigans: 1 }, 'reasoning_shenanigans'],
    [
      'an image part',
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
      'messages[0].content[0]',
    ],
    ['tool_choice without tools', { tool_choice: 'required' }, 'tool_choice'],
  ])('400 refuses %s clearly, never ignoring it', async (_name, extra, param) => {
    const error = await failure(
      openai.chat.completions.create({
        model: TEST_MODEL_ID,
        messages: user('x'),
        max_tokens: 2,
        ...extra,
      } as never),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('400 for a prompt longer than the context, instead of silently cutting it', async () => {
    // About 6,000 words: more tokens than the test model's context, well under the body limit.
    const long = Array.from({ length: 6000 }, (_, index) => (index % 2 ? 'sun' : 'rain')).join(' ');
    const error = await failure(
      openai.chat.completions.create({
        model: TEST_MODEL_ID,
        messages: user(long),
        max_tokens: 2,
        stream: true,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages');
    expect(error.message).toMatch(/context/);
  });

  it('400 for a body that is not JSON', async () => {
    const reply = await rawHttp(server.port, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${t.engine.localApi.key}`, 'content-type': 'application/json' },
      body: '{"model": ',
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('404 for an unknown model, and for an unknown URL', async () => {
    const error = await failure(openai.chat.completions.create({ model: 'gpt-4o', messages: user('x') }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
    const embedError = await failure(
      openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
    );
    expect(embedError.status).toBe(404);
    const unknown = await rawHttp(server.port, {
      path: '/v1/files',
      headers: { authorization: `Bearer ${t.engine.localApi.key}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('413 for a body over the limit', async () => {
    const error = await failure(
      openai.chat.completions.create({ model: TEST_MODEL_ID, messages: user('x'.repeat(100 * 1024)) }),
    );
    expect(error.status).toBe(413);
    expect(error.code).toBe('request_too_large');
  });

  it('429 when the model queue is full', async () => {
    await t.client.call('localApi.set', { queueLimit: 0 });
    const controller = new AbortController();
    const long = await openai.chat.completions.create(
      { model: TEST_MODEL_ID, messages: user('long'), max_tokens: 2000, stream: true },
      { signal: controller.signal },
    );
    const iterator = long[Symbol.asyncIterator]();
    await iterator.next();
    const error = await failure(
      openai.chat.completions.create({ model: TEST_MODEL_ID, messages: user('x'), max_tokens: 2 }),
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    controller.abort();
    await iterator.next().catch(() => undefined);
  });

  it('503 while a model is loading, and when switching models is not allowed', async () => {
    await t.client.call('models.unload', {});
    const release = t.holdLoads();
    const loading = t.client.call('models.load', { modelId: EMBED_MODEL_ID });
    while ((await t.client.call('models.status', {})).state !== 'loading')
      await new Promise((r) => setTimeout(r, 5));
    const whileLoading = await failure(
      openai.chat.completions.create({ model: TEST_MODEL_ID, messages: user('x'), max_tokens: 2 }),
    );
    expect(whileLoading.status).toBe(503);
    expect(whileLoading.code).toBe('model_not_ready');
    release();
    await loading;

    // The app now has another model loaded and the policy is 'never'.
    const refused = await failure(
      openai.chat.completions.create({ model: TEST_MODEL_ID, messages: user('x'), max_tokens: 2 }),
    );
    expect(refused.status).toBe(503);
    expect(refused.message).toMatch(/may not switch/);

    await t.client.call('localApi.set', { switchPolicy: 'whenIdle' });
    const switched = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('x'),
      max_tokens: 2,
    });
    expect(switched.choices[0]?.message.content).toBeTruthy();
    expect((await t.client.call('models.status', {})).modelId).toBe(TEST_MODEL_ID);
  });
});

describe('concurrency and cancellation', () => {
  it('a client that goes away cancels its generation', async () => {
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: TEST_MODEL_ID, messages: user('never ending'), max_tokens: 3000, stream: true },
      { signal: controller.signal },
    );
    const before = log.length;
    let received = 0;
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) received++;
        if (received === 3) controller.abort();
      }
    } catch {
      // The client reports the abort as an error or as the stream's end, depending on timing.
    }
    expect(received).toBe(3);
    // The server logs the request when the generation has stopped: long before 3,000 tokens.
    while (log.length === before) await new Promise((r) => setTimeout(r, 10));
    const entry = log.at(-1)!;
    expect(entry.path).toBe('/v1/chat/completions');
    expect(entry.completionTokens ?? 0).toBeLessThan(500);
    // The lane is free again: with no queue at all, the next request is served, not refused.
    await t.client.call('localApi.set', { queueLimit: 0 });
    const next = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('x'),
      max_tokens: 2,
    });
    expect(next.choices[0]?.finish_reason).toBe('length');
  });

  it('answers 20 concurrent requests or refuses them with 429; none is lost', async () => {
    await t.client.call('localApi.set', { queueLimit: 8 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        openai.chat.completions
          .create({ model: TEST_MODEL_ID, messages: user(`request ${index}`), max_tokens: 3 })
          .then(
            (completion) => (completion.choices[0]?.message.content ? 'answered' : 'empty'),
            (error: unknown) => (error instanceof OpenAI.RateLimitError ? '429' : `failed: ${String(error)}`),
          ),
      ),
    );
    const answered = outcomes.filter((outcome) => outcome === 'answered').length;
    const refused = outcomes.filter((outcome) => outcome === '429').length;
    expect(answered + refused).toBe(20);
    // One runs and eight wait: at least nine are answered.
    expect(answered).toBeGreaterThanOrEqual(9);
  });

  it('tells a streaming client when the app unloads the model under it, then loads it again on demand', async () => {
    const stream = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('long answer'),
      max_tokens: 3000,
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await t.client.call('models.unload', {});
    const failure = await (async () => {
      try {
        for (;;) if ((await iterator.next()).done) return null;
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toMatch(/unloaded or switched/);
    const again = await openai.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: user('x'),
      max_tokens: 2,
    });
    expect(again.choices[0]?.message.content).toBeTruthy();
  });

  it('the desktop chat keeps answering while the API generates', async () => {
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: TEST_MODEL_ID, messages: user('busy'), max_tokens: 400, stream: true },
      { signal: controller.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const conversation = await t.client.call('conversations.create', {});
    const answer = await t.client.call('chat.send', {
      conversationId: conversation.id,
      text: 'Hi',
      maxTokens: 4,
    });
    expect(answer.text.length).toBeGreaterThan(0);
    controller.abort();
    await iterator.next().catch(() => undefined);
  });
});
