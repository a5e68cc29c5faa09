// Malformed GGUF files against model import, load and listing, on the real engine: a bad magic or
// version, absurd tensor and key counts, absurd string and array lengths, unknown types, and the
// generated test model cut short at every section of its header (and in its data). Each is refused
// with MODEL_INVALID, quickly (a header claiming 2^63 tensors once kept node-llama-cpp busy for
// minutes), and the engine then loads the real model and answers.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, Params, Result } from '../../common/api/contract.js';
import { ErrorCode, serializeError } from '../../common/api/errors.js';
import { ensureTestModel } from '../../../test/support/index.js';
import { hostileGgufHeaders, truncationPoints } from '../../../test/support/gguf/hostileHeaders.js';
import { createEngine, type Engine } from '../Engine.js';

let home: string;
let outside: string;
let engine: Engine;
let good: Buffer;
const cases: Array<{ name: string; file: string }> = [];

async function call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
  const handler = engine.handlers[method] as (p: Params<M>, c: unknown) => Promise<Result<M>>;
  return handler(params, { requestId: method, signal: new AbortController().signal, emit: () => {} });
}

async function failure(method: MethodName, params: object): Promise<{ code: string; message: string }> {
  const handler = engine.handlers[method] as (p: object, c: unknown) => Promise<unknown>;
  return handler(params, { requestId: method, signal: new AbortController().signal, emit: () => {} }).then(
    () => ({ code: 'SUCCEEDED', message: '' }),
    (error: unknown) => serializeError(error),
  );
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-bad-gguf-'));
  outside = await mkdtemp(join(tmpdir(), 'hearth-bad-gguf-src-'));
  const modelsDir = join(home, 'models');
  await mkdir(modelsDir, { recursive: true });
  good = await readFile(await ensureTestModel());
  await writeFile(join(modelsDir, 'good.gguf'), good);
  for (const [index, [name, bytes]] of hostileGgufHeaders().entries()) {
    cases.push({ name, file: `hostile-${index}.gguf` });
    await writeFile(join(modelsDir, `hostile-${index}.gguf`), bytes);
    await writeFile(join(outside, `hostile-${index}.gguf`), bytes);
  }
  for (const point of truncationPoints(good)) {
    cases.push({ name: `the test model cut at byte ${point}`, file: `cut-${point}.gguf` });
    await writeFile(join(modelsDir, `cut-${point}.gguf`), good.subarray(0, point));
    await writeFile(join(outside, `cut-${point}.gguf`), good.subarray(0, point));
  }
  engine = await createEngine({ home, version: '0.0.0-test', threads: 1 });
}, 60_000);

afterAll(async () => {
  await engine?.dispose();
  await rm(home, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('malformed GGUF files', () => {
  it('covers every section: hand-made headers and well over a hundred cut points', () => {
    expect(cases.filter((c) => c.file.startsWith('hostile-')).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.file.startsWith('cut-')).length).toBeGreaterThan(100);
  });

  it('lists each one as unusable, with the problem, next to the good model', async () => {
    const entries = new Map((await call('models.list', {})).map((entry) => [entry.id, entry]));
    expect(entries.get('good.gguf')?.usable).toBe(true);
    const usable = cases.filter(({ file }) => entries.get(file)?.usable !== false);
    expect(usable.map(({ name }) => name)).toEqual([]);
    for (const { file } of cases) expect(entries.get(file)?.problem?.length ?? 0).toBeGreaterThan(0);
  });

  it('refuses to import each one with MODEL_INVALID, copying nothing', async () => {
    const before = (await readdir(join(home, 'models'))).sort();
    const wrong: string[] = [];
    for (const { name, file } of cases) {
      const error = await failure('models.import', { path: join(outside, file), mode: 'copy' });
      if (error.code !== ErrorCode.ModelInvalid || !error.message) {
        wrong.push(`${name}: ${error.code} ${error.message}`);
      }
    }
    expect(wrong).toEqual([]);
    expect((await readdir(join(home, 'models'))).sort()).toEqual(before);
  }, 60_000);

  it('refuses to load each one with MODEL_INVALID and stays unloaded', async () => {
    const wrong: string[] = [];
    for (const { name, file } of cases) {
      const error = await failure('models.load', { modelId: file });
      if (error.code !== ErrorCode.ModelInvalid || !error.message)
        wrong.push(`${name}: ${error.code} ${error.message}`);
    }
    expect(wrong).toEqual([]);
    expect((await call('models.status', {})).state).toBe('none');
  }, 60_000);

  it('then loads the real model and answers', async () => {
    expect((await call('models.load', { modelId: 'good.gguf' })).state).toBe('loaded');
    const { id } = await call('conversations.create', {});
    const answer = await call('chat.send', { conversationId: id, text: 'Hello', maxTokens: 4 });
    expect(answer.text.length).toBeGreaterThan(0);
  }, 60_000);
});
