// Issue 7's proof: a whole session through the real engine (load a model, chat, ingest every document
// type, search the library and past chats, list the catalog, a download in offline mode, the local
// API turned on and used by the official openai client over 127.0.0.1) with a guard
// on Node's socket layer in this process and in every worker thread. No connection other than
// loopback may even be attempted. The same session's log must hold no prompt, document name or text
// until debug logging is turned on.
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestModel,
  ensureTestEmbeddingModel,
  ensureTestModel,
  SECRET_WORDS,
  startDownloadServer,
  writeEveryType,
  type DownloadServer,
} from '../../../test/support/index.js';
import { installNetworkGuard, type NetworkGuard } from '../../../test/support/privacy/networkGuard.js';
import type { DownloadInfo, LedgerEntry, Passage, PrivacyStatus } from '../../common/api/contract.js';
import { Dispatcher, type Outcome } from '../../common/api/dispatch.js';
import { ErrorCode } from '../../common/api/errors.js';
import { createEngine, type Engine } from '../Engine.js';
import type { HearthGroundedFields } from '../localApi/openaiShapes.js';
import { controlLocalApi, type LocalApiController } from '../../localApi-server/controller.js';

const SECRET_PROMPT = 'quinceblossom is the password to my diary';

let root: string;
let home: string;
let guard: NetworkGuard;
let server: DownloadServer;
let engine: Engine;
let dispatcher: Dispatcher;
let localApi: LocalApiController | undefined;
const logLines: string[] = [];
const consoleLines: string[] = [];
let requests = 0;

async function ok<T>(method: string, params: unknown = {}): Promise<T> {
  const settled: Outcome = await dispatcher.call(method, params, `req-${++requests}`);
  if (!settled.ok) throw new Error(`${method}: ${settled.error.code}: ${settled.error.message}`);
  return settled.result as T;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hearth-session-'));
  guard = installNetworkGuard(join(root, 'guard.jsonl'));
  // Anything the engine or a library prints goes through console here: kept, to be searched below.
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      consoleLines.push(args.map(String).join(' '));
      original(...args);
    };
  }
  home = join(root, 'data');
  await mkdir(join(home, 'models'), { recursive: true, mode: 0o755 });
  await copyFile(await ensureTestModel(), join(home, 'models', 'tiny.gguf'));
  server = await startDownloadServer();
  server.serve('hearth/tiny-GGUF/tiny-Q8_0.gguf', { bytes: buildTestModel({ seed: 5 }) });
  engine = await createEngine({
    home,
    version: '0.0.0-test',
    threads: 1,
    hfBase: server.url,
    library: { embedModel: await ensureTestEmbeddingModel() },
    downloads: { baseDelayMs: 5 },
    log: (line) => logLines.push(line),
  });
  dispatcher = new Dispatcher(engine.handlers, () => undefined);
});

afterAll(async () => {
  await localApi?.stop();
  await engine?.dispose();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForDownload(id: string, until: (info: DownloadInfo) => boolean): Promise<DownloadInfo> {
  for (let i = 0; i < 200; i++) {
    const info = (await ok<DownloadInfo[]>('downloads.list')).find((d) => d.id === id);
    if (info && until(info)) return info;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`download ${id} did not settle`);
}

describe('a whole session under the socket guard', () => {
  it('the guard sees and refuses a connection to the internet (so the checks below can fail)', async () => {
    const socket = connect(443, '203.0.113.7'); // TEST-NET-3: never routed
    const error = await new Promise<Error>((resolve) => socket.on('error', resolve));
    expect(error.message).toMatch(/network guard: refused/);
    const attempt = guard.attempts().find((a) => a.host === '203.0.113.7');
    expect(attempt).toMatchObject({ kind: 'socket', loopback: false });
  });

  it('loads, chats, ingests, searches and downloads offline without one non-loopback attempt', async () => {
    const before = guard.attempts().length;

    // Chat with the real model.
    await ok('models.load', { modelId: 'tiny.gguf' });
    const answer = await ok<{ text: string }>('chat.send', {
      conversationId: 'private',
      text: SECRET_PROMPT,
      maxTokens: 8,
    });
    expect(answer.text.length).toBeGreaterThan(0);
    await ok('chat.send', { conversationId: 'private', text: 'and again', maxTokens: 4 });

    // Ingest every document type (the parse worker runs with the guard in it), then search.
    const docs = join(root, 'docs');
    await mkdir(docs);
    await writeEveryType(docs);
    await ok('library.add', { paths: [docs] });
    await ok('library.waitIdle');
    const hits = await ok<Passage[]>('library.search', { query: SECRET_WORDS['notes.md'] });
    expect(hits.length).toBeGreaterThan(0);
    expect(await ok<unknown[]>('conversations.search', { query: 'quinceblossom' })).not.toEqual([]);
    expect(guard.guardedWorkers()).toBeGreaterThan(0);

    // The bundled catalog needs no network.
    expect((await ok<unknown[]>('catalog.list')).length).toBeGreaterThan(10);

    // Offline mode: a download from the local test server is refused before it connects.
    const status = await ok<PrivacyStatus>('privacy.set', { offline: true });
    expect(status.offline).toBe(true);
    const started = await ok<DownloadInfo>('downloads.start', {
      source: 'hf:hearth/tiny-GGUF/tiny-Q8_0.gguf',
    });
    const failed = await waitForDownload(started.id, (info) => info.state === 'failed');
    expect(failed.error).toMatchObject({ code: ErrorCode.NetworkBlocked });
    expect(failed.error?.message).toMatch(/offline mode is on.*Settings > Privacy/);
    expect(server.requests).toEqual([]);
    const [blocked] = await ok<LedgerEntry[]>('privacy.ledger', {});
    expect(blocked).toMatchObject({
      host: '127.0.0.1',
      purpose: 'model-download',
      description: 'model download: tiny-Q8_0',
      allowed: false,
      reason: 'offline mode is on',
      bytes: 0,
    });

    // Online again, the same download goes through the gate to loopback only, and the ledger counts it.
    await ok('privacy.set', { offline: false });
    await ok('downloads.resume', { downloadId: started.id });
    await waitForDownload(started.id, (info) => info.state === 'done');
    const ledger = await ok<LedgerEntry[]>('privacy.ledger', {});
    expect(ledger.filter((e) => e.allowed).every((e) => e.host === '127.0.0.1')).toBe(true);
    expect(ledger.find((e) => e.allowed && e.status === 200)?.bytes).toBeGreaterThan(0);
    const counts = (await ok<PrivacyStatus>('privacy.status')).connections;
    expect(counts.blocked).toBe(1);
    expect(counts.allowed).toBe(ledger.filter((e) => e.allowed).length);

    // The local API (issue 8), turned on as in Settings, used by the official openai client over
    // 127.0.0.1: models, a chat, a grounded answer from the library, embeddings.
    localApi = controlLocalApi({ api: engine.localApi, onEvent: engine.onEvent });
    const port = await freePort();
    await ok('localApi.set', { enabled: true, port });
    await localApi.settled();
    expect(engine.localApi.state().server).toEqual({
      state: 'running',
      baseUrl: `http://127.0.0.1:${port}/v1`,
    });
    const openai = new OpenAI({
      baseURL: `http://127.0.0.1:${port}/v1`,
      apiKey: engine.localApi.key,
      maxRetries: 0,
    });
    const models: string[] = [];
    for await (const model of openai.models.list()) models.push(model.id);
    expect(models).toContain('tiny.gguf');
    const reply = await openai.chat.completions.create({
      model: 'tiny.gguf',
      messages: [{ role: 'user', content: `${SECRET_PROMPT}, said the API` }],
      max_tokens: 4,
    });
    expect(reply.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const grounded = (await openai.chat.completions.create({
      model: 'tiny.gguf',
      messages: [{ role: 'user', content: `What about ${SECRET_WORDS['notes.md']}?` }],
      max_tokens: 4,
      hearth: { collections: ['Library'] },
    } as ChatCompletionCreateParamsNonStreaming)) as { hearth?: HearthGroundedFields };
    expect(grounded.hearth?.sources?.some((source) => source.document_name === 'notes.md')).toBe(true);
    const embeddingModel = basename(await ensureTestEmbeddingModel());
    expect(models).toContain(embeddingModel);
    const vectors = await openai.embeddings.create({ model: embeddingModel, input: ['one', 'two'] });
    expect(vectors.data).toHaveLength(2);
    await ok('localApi.set', { enabled: false });
    await localApi.settled();
    expect(engine.localApi.state().server).toEqual({ state: 'off' });
    // The guard saw the client's connections to the API (so it was watching them).
    expect(
      guard.attempts().some((a) => a.loopback && a.host === '127.0.0.1' && Number(a.port) === port),
    ).toBe(true);

    const attempts = guard.attempts().slice(before);
    expect(attempts.some((a) => a.kind === 'socket' && a.loopback)).toBe(true); // the download's
    expect(attempts.filter((a) => !a.loopback)).toEqual([]);
  });

  it('wrote no prompt, answer, document name or text to the log, until debug logging was turned on', async () => {
    const secrets = ['quinceblossom', 'diary', ...Object.keys(SECRET_WORDS), ...Object.values(SECRET_WORDS)];
    const everything = [...logLines, ...consoleLines].join('\n');
    for (const secret of secrets) expect(everything, secret).not.toContain(secret);

    await ok('privacy.set', { debugLogging: true });
    const more = join(root, 'more');
    await mkdir(more);
    await writeFile(join(more, 'debug-visible.md'), '# Shown\n\nOnly debug logs name this file.\n');
    await ok('library.add', { paths: [more] });
    await ok('library.waitIdle');
    expect(logLines.some((line) => line.startsWith('[debug]') && line.includes('debug-visible.md'))).toBe(
      true,
    );
    await ok('privacy.set', { debugLogging: false });
  });

  it('keeps the data folder to the user alone', async () => {
    if (process.platform === 'win32') return;
    // The models folder was made 0755 above, before the engine: the data folder is tightened anyway.
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const written = [
      'privacy/settings.json',
      'privacy/network-ledger.jsonl',
      'models.json',
      'downloads/downloads.json',
    ];
    for (const file of written) expect((await stat(join(home, file))).mode & 0o777, file).toBe(0o600);
  });
});
