// The contract fuzzer: 10,000 random and mutated payloads against every method, through both
// transports (the real WebSocket host, and the IPC transport's own steps: sender check, shape check,
// Dispatcher), on the real engine. Every answer must be a result or a typed error (never INTERNAL,
// never silence); afterwards the engine still loads a model and answers, and nothing on disk is
// damaged. Seeded: HEARTH_FUZZ_SEED=<n> replays a run, HEARTH_FUZZ_PAYLOADS=<n> sizes it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppSettings, methodNames, type MethodName } from '../common/api/contract.js';
import { Dispatcher, type Outcome } from '../common/api/dispatch.js';
import { ErrorCode, isErrorCode } from '../common/api/errors.js';
import type { ServerMessage } from '../common/api/wire.js';
import { createEngine, type Engine } from '../core/Engine.js';
import { answerIpcCall } from '../main/ipc/callHandler.js';
import { APP_ENTRY_URL, appOrigins } from '../main/origins.js';
import { Fuzz, mutatePayload, randomRequestId, randomValue } from '../../test/support/hostile/payloads.js';
import { validParams } from './contractSamples.js';
import { MAX_FRAME_BYTES, startHost, type RunningHost } from './index.js';
import { makeRendererFixture, type RendererFixture } from './testing.js';
import { makeTestHome, TEST_MODEL_ID, type TestHome } from './testEngine.js';

const SEED = Number(process.env['HEARTH_FUZZ_SEED'] ?? 7_2026);
const PAYLOADS = Number(process.env['HEARTH_FUZZ_PAYLOADS'] ?? 10_000);
/** Calls in flight at once per transport: hostile clients do not wait politely. */
const BATCH = 32;

let fixture: RendererFixture;
let home: TestHome;
let sandbox: string;
let engine: Engine;
let host: RunningHost;
let modelHash: string;
let keptConversationId: string;

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const callContext = (requestId: string) => ({
  requestId,
  signal: new AbortController().signal,
  emit: () => {},
});

beforeAll(async () => {
  fixture = await makeRendererFixture();
  home = await makeTestHome({ models: true });
  sandbox = join(home.home, 'fuzz-sandbox');
  await mkdir(sandbox);
  // hf: and catalog downloads point at a closed loopback port: nothing here may reach the internet.
  engine = await createEngine({
    home: home.home,
    version: '0.0.0-fuzz',
    threads: 1,
    hfBase: 'http://127.0.0.1:9',
  });
  host = await startHost({ engine, rendererDir: fixture.rendererDir });
  modelHash = await sha256(join(home.modelsDir, TEST_MODEL_ID));
  const kept = await engine.handlers['conversations.create'](
    { title: 'Kept through the fuzzing' },
    callContext('setup'),
  );
  keptConversationId = kept.id;
}, 60_000);

afterAll(async () => {
  await host?.close();
  await engine?.dispose();
  await home?.cleanup();
  if (fixture) await rm(fixture.root, { recursive: true, force: true });
});

/**
 * Paths a payload names must not lead the engine to real files of this machine (a fuzzed
 * `library.add` of `/` would index the disk): an existing path outside the sandbox becomes a
 * missing one inside it. Everything else about the payload stays as generated.
 */
function confinePaths(method: unknown, params: unknown): unknown {
  if (method !== 'library.add' && method !== 'models.import') return params;
  const confine = (value: unknown): unknown => {
    if (typeof value !== 'string' || value.length > 4096 || value.includes('\0')) return value;
    const absolute = resolve(sandbox, value);
    const inside = !relative(sandbox, absolute).startsWith('..');
    return existsSync(absolute) && !inside ? join(sandbox, 'missing') : value;
  };
  if (typeof params !== 'object' || params === null) return params;
  const copy = params as Record<string, unknown>;
  if (Array.isArray(copy['paths'])) copy['paths'] = copy['paths'].map(confine);
  if ('path' in copy) copy['path'] = confine(copy['path']);
  return copy;
}

interface FuzzCase {
  serial: number;
  method: unknown;
  params: unknown;
  requestId: unknown;
}

function makeCase(fuzz: Fuzz, serial: number, cloneable: boolean): FuzzCase {
  const method: unknown = fuzz.chance(0.96)
    ? methodNames[serial % methodNames.length]
    : fuzz.pick<unknown>([
        '',
        'app',
        'app.info ',
        'APP.INFO',
        '__proto__',
        'constructor',
        'toString',
        42,
        null,
      ]);
  const valid = (
    typeof method === 'string' && Object.hasOwn(validParams, method) ? validParams[method as MethodName] : {}
  ) as Record<string, unknown>;
  const roll = fuzz.next();
  const params =
    roll < 0.55
      ? mutatePayload(fuzz, valid, cloneable)
      : roll < 0.8
        ? randomValue(fuzz, cloneable)
        : roll < 0.9
          ? JSON.parse(JSON.stringify(valid))
          : undefined;
  return { serial, method, params: confinePaths(method, params), requestId: randomRequestId(fuzz, serial) };
}

const knownFailures: string[] = [];

function preview(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? typeof value
    ).slice(0, 160);
  } catch {
    return `<${typeof value}: not JSON>`;
  }
}

/** Records a failure when an answer is neither a result nor a typed error. */
function checkOutcome(transport: string, fuzzCase: FuzzCase, outcome: Outcome | undefined): void {
  const where = `${transport} seed ${SEED} #${fuzzCase.serial} ${String(fuzzCase.method)} ${preview(fuzzCase.params)}`;
  if (!outcome) return void knownFailures.push(`${where}: no answer`);
  if (outcome.ok) return;
  const { code, message } = outcome.error;
  if (!isErrorCode(code) || code === ErrorCode.Internal || typeof message !== 'string' || !message) {
    knownFailures.push(`${where}: ${code}: ${message}`);
  }
}

/** A bare WebSocket client that matches answers to ids in O(1) (10,000 calls). */
async function openFuzzSocket(): Promise<{
  call(frame: string, id: string): Promise<Outcome>;
  sendRaw(frame: string | Buffer): void;
  isPending(id: string): boolean;
  socket: WebSocket;
}> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, {
    origin: `http://127.0.0.1:${host.port}`,
  });
  const pending = new Map<string, (outcome: Outcome) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if ((message.type === 'result' || message.type === 'error') && message.id !== null) {
      const settle = pending.get(message.id);
      pending.delete(message.id);
      settle?.(
        message.type === 'result'
          ? { ok: true, result: message.result }
          : { ok: false, error: message.error },
      );
    }
  });
  // A closed socket fails every waiting call at once, saying why.
  socket.on('close', (code) => {
    for (const [id, settle] of pending) {
      settle({
        ok: false,
        error: {
          code: 'SOCKET_CLOSED' as ErrorCode,
          name: 'Closed',
          message: `socket closed (${code}) before ${id}`,
        },
      });
    }
    pending.clear();
  });
  await new Promise<void>((resolveOpen, reject) => {
    socket.once('open', () => resolveOpen());
    socket.once('error', reject);
  });
  return {
    socket,
    sendRaw: (frame) => socket.send(frame),
    isPending: (id) => pending.has(id),
    call: (frame, id) =>
      new Promise<Outcome>((settle, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no answer to ${id.slice(0, 40)} (${id.length} chars) within 30 s: ${frame.slice(0, 120)}…${frame.slice(-200)}`,
              ),
            ),
          30_000,
        );
        pending.set(id, (outcome) => {
          clearTimeout(timer);
          settle(outcome);
        });
        socket.send(frame);
      }),
  };
}

/** Frames that are not calls at all: binary junk, broken JSON, the wrong message shapes. */
function garbageFrame(fuzz: Fuzz): string | Buffer {
  switch (fuzz.int(5)) {
    case 0:
      return Buffer.from(Array.from({ length: 1 + fuzz.int(512) }, () => fuzz.int(256)));
    case 1:
      return '{"type":"call","id":"x","method":"app.info","params":{'.slice(0, 1 + fuzz.int(50));
    case 2:
      return JSON.stringify(randomValue(fuzz, false));
    case 3:
      return JSON.stringify({
        type: fuzz.pick(['cancel', 'call', 'event', 'result']),
        id: randomValue(fuzz, false),
      });
    default:
      return JSON.stringify({ type: 'cancel', id: `fuzz-${fuzz.int(PAYLOADS)}` });
  }
}

describe(`the contract fuzzer (seed ${SEED}, ${PAYLOADS} payloads per transport)`, () => {
  it('answers every WebSocket payload with a result or a typed error', async () => {
    const fuzz = new Fuzz(SEED);
    const client = await openFuzzSocket();
    for (let start = 0; start < PAYLOADS; start += BATCH) {
      const batch: Promise<void>[] = [];
      for (let serial = start; serial < Math.min(start + BATCH, PAYLOADS); serial++) {
        if (fuzz.chance(0.04)) client.sendRaw(garbageFrame(fuzz));
        const fuzzCase = makeCase(fuzz, serial, false);
        // Over the wire a non-string id cannot be matched: send it under a string id and the bad one
        // inside a second frame the host must answer with a typed error too.
        let wireId = typeof fuzzCase.requestId === 'string' ? fuzzCase.requestId : `fuzz-${serial}`;
        // The host answers a malformed message under its id only when the id is sane (<= 128
        // characters); otherwise the answer has id null, which this client cannot match. (Malformed: no
        // params or a method that is not a string, as wire.ts checks.)
        const malformed = fuzzCase.params === undefined || typeof fuzzCase.method !== 'string';
        const unmatchable = wireId.length > 128 && malformed;
        if (client.isPending(wireId) || unmatchable) wireId = `fuzz-${serial}`;
        const frame = JSON.stringify({
          type: 'call',
          id: wireId,
          method: fuzzCase.method,
          params: fuzzCase.params,
        });
        expect(Buffer.byteLength(frame), `frame #${serial}`).toBeLessThan(MAX_FRAME_BYTES);
        batch.push(client.call(frame, wireId).then((outcome) => checkOutcome('ws', fuzzCase, outcome)));
      }
      await Promise.all(batch);
    }
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
    expect(knownFailures.filter((failure) => failure.startsWith('ws'))).toEqual([]);
  }, 240_000);

  it('answers every IPC payload as the router would, refusing foreign senders before the dispatcher', async () => {
    const fuzz = new Fuzz(SEED + 1);
    const origins = appOrigins();
    const mainFrame = { url: APP_ENTRY_URL, processId: 4, routingId: 1 };
    const foreignFrames = [
      { senderFrame: { url: APP_ENTRY_URL, processId: 4, routingId: 2 }, mainFrame }, // an iframe of the app
      { senderFrame: { url: 'https://evil.example/', processId: 4, routingId: 1 }, mainFrame },
      { senderFrame: { url: 'file:///etc/passwd', processId: 9, routingId: 1 }, mainFrame },
      { senderFrame: null, mainFrame },
      { senderFrame: mainFrame, mainFrame: null },
    ];
    const dispatcher = new Dispatcher(engine.handlers, () => {});
    let dispatcherAskedForForeign = 0;
    for (let start = 0; start < PAYLOADS; start += BATCH) {
      const batch: Promise<void>[] = [];
      for (let serial = start; serial < Math.min(start + BATCH, PAYLOADS); serial++) {
        const fuzzCase = makeCase(fuzz, serial, true);
        const foreign = fuzz.chance(0.08) ? fuzz.pick(foreignFrames) : null;
        const message = fuzz.chance(0.04)
          ? randomValue(fuzz, true)
          : { method: fuzzCase.method, params: fuzzCase.params, requestId: fuzzCase.requestId };
        const answer = answerIpcCall(
          foreign ?? { senderFrame: mainFrame, mainFrame },
          message,
          origins,
          () => {
            if (foreign) dispatcherAskedForForeign++;
            return dispatcher;
          },
        );
        batch.push(
          answer.then((outcome) => {
            if (foreign && (outcome.ok || outcome.error.code !== ErrorCode.Unauthorized)) {
              knownFailures.push(`ipc seed ${SEED + 1} #${serial}: a foreign sender got ${preview(outcome)}`);
            }
            checkOutcome('ipc', fuzzCase, outcome);
          }),
        );
      }
      await Promise.all(batch);
    }
    expect(dispatcherAskedForForeign).toBe(0);
    expect(knownFailures.filter((failure) => failure.startsWith('ipc'))).toEqual([]);
  }, 240_000);

  it('leaves a live engine: a new client loads the model and gets an answer', async () => {
    const client = await openFuzzSocket();
    try {
      expect(
        await client.call(
          JSON.stringify({ type: 'call', id: 'alive', method: 'app.info', params: {} }),
          'alive',
        ),
      ).toMatchObject({ ok: true });
      const load = await client.call(
        JSON.stringify({
          type: 'call',
          id: 'load',
          method: 'models.load',
          params: { modelId: TEST_MODEL_ID },
        }),
        'load',
      );
      expect(load).toMatchObject({ ok: true, result: { state: 'loaded' } });
      const conversation = await client.call(
        JSON.stringify({ type: 'call', id: 'create', method: 'conversations.create', params: {} }),
        'create',
      );
      const conversationId = (conversation as { result: { id: string } }).result.id;
      const answer = await client.call(
        JSON.stringify({
          type: 'call',
          id: 'send',
          method: 'chat.send',
          params: { conversationId, text: 'Hello', maxTokens: 4 },
        }),
        'send',
      );
      expect(answer).toMatchObject({ ok: true });
    } finally {
      client.socket.close();
    }
  }, 60_000);

  it('loses and damages nothing on disk', async () => {
    expect(await sha256(join(home.modelsDir, TEST_MODEL_ID))).toBe(modelHash);
    const kept = await engine.handlers['conversations.get'](
      { conversationId: keptConversationId },
      callContext('check'),
    );
    expect(kept.title).toBe('Kept through the fuzzing');
    expect(
      AppSettings.safeParse(await engine.handlers['settings.get']({}, callContext('settings'))).success,
    ).toBe(true);
    // Every JSON file the engine wrote still parses (no torn or half-written state).
    const jsonFiles = (await readdir(home.home, { recursive: true })).filter((name) =>
      name.endsWith('.json'),
    );
    expect(jsonFiles.length).toBeGreaterThan(0);
    for (const name of jsonFiles) {
      const text = await readFile(join(home.home, name), 'utf8');
      expect(() => JSON.parse(text), name).not.toThrow();
    }
  });
});
