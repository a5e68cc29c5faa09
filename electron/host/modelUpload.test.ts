// The browser's import route: a dropped .gguf's bytes over HTTP into a temporary file, then the
// contract's models.import on it; over a real host and real HTTP.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Params } from '../common/api/contract.js';
import { ErrorCode, HearthError } from '../common/api/errors.js';
import { startHost, type HostEngine, type RunningHost } from './index.js';
import { makeRendererFixture, type RendererFixture } from './testing.js';
import { createTestEngine, type TestEngine } from './testEngine.js';
import { uploadFileName } from './modelUpload.js';

let fixture: RendererFixture;
let engine: TestEngine;
let host: RunningHost;
let uploadDir: string;
/** What the import handler saw: its params and the uploaded bytes as they were at that moment. */
let imports: { params: Params<'models.import'>; bytes: string }[] = [];
let importOutcome: 'ok' | 'duplicate' = 'ok';

beforeAll(async () => {
  fixture = await makeRendererFixture();
  engine = await createTestEngine();
  uploadDir = join(await mkdtemp(join(tmpdir(), 'hearth-upload-')), 'tmp', 'uploads');
  // The real engine, with models.import recording what the route hands it (the import itself is
  // the core's and tested there).
  const hostEngine: HostEngine = {
    onEvent: (listener) => engine.onEvent(listener),
    libraryUploadsDir: engine.libraryUploadsDir,
    handlers: {
      ...engine.handlers,
      'models.import': async (params) => {
        imports.push({ params, bytes: await readFile(params.path, 'utf8') });
        if (importOutcome === 'duplicate') {
          throw new HearthError(ErrorCode.ModelDuplicate, 'The same file is installed as tiny.gguf.');
        }
        return {
          id: 'dropped.gguf',
          fileName: 'dropped.gguf',
          path: '/models/dropped.gguf',
          sizeBytes: 11,
          usable: true,
        };
      },
    },
  };
  host = await startHost({ engine: hostEngine, rendererDir: fixture.rendererDir, uploadDir });
});

afterEach(() => {
  imports = [];
  importOutcome = 'ok';
});

afterAll(async () => {
  await host?.close();
  await engine?.dispose();
  await rm(fixture.root, { recursive: true, force: true });
  await rm(join(uploadDir, '..', '..'), { recursive: true, force: true });
});

function upload(query: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${host.port}/upload/model?${query}`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${host.token}`, ...headers },
  });
}

describe('POST /upload/model', () => {
  it('streams the body to a temporary file, imports it by copy, answers the entry and deletes the file', async () => {
    const response = await upload('fileName=dropped.gguf&mode=link', 'GGUF bytes!');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'dropped.gguf', usable: true });
    expect(imports).toHaveLength(1);
    expect(imports[0]?.bytes).toBe('GGUF bytes!');
    // A temporary file is never linked into the models folder.
    expect(imports[0]?.params.mode).toBe('copy');
    expect(imports[0]?.params.path.startsWith(uploadDir)).toBe(true);
    // The file keeps its name: the import names the installed model after it.
    expect(imports[0]?.params.path.endsWith('/dropped.gguf')).toBe(true);
    expect(await readdir(uploadDir)).toEqual([]);
  });

  it('passes the import’s refusal on with its code, and still deletes the file', async () => {
    importOutcome = 'duplicate';
    const response = await upload('fileName=again.gguf', 'same bytes');
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: 'MODEL_DUPLICATE',
        name: 'HearthError',
        message: 'The same file is installed as tiny.gguf.',
      },
    });
    expect(await readdir(uploadDir)).toEqual([]);
  });

  it('refuses a name that is not a .gguf file before reading anything', async () => {
    const response = await upload('fileName=notes.txt', 'hello');
    expect(response.status).toBe(400);
    expect((await response.json()) as unknown).toMatchObject({ error: { code: 'MODEL_INVALID' } });
    expect(imports).toEqual([]);
  });

  it('needs the token, and refuses a POST from another origin', async () => {
    const anonymous = await fetch(`http://127.0.0.1:${host.port}/upload/model?fileName=a.gguf`, {
      method: 'POST',
      body: 'x',
    });
    expect(anonymous.status).toBe(401);
    const foreign = await upload('fileName=a.gguf', 'x', { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(imports).toEqual([]);
  });

  it('keeps only the file name of what the page sent', () => {
    expect(uploadFileName('../../etc/model.gguf')).toBe('model.gguf');
    expect(uploadFileName('C:\\Users\\me\\Qwen3.GGUF')).toBe('Qwen3.GGUF');
    expect(uploadFileName('.hidden.gguf')).toBeNull();
    expect(uploadFileName('model.bin')).toBeNull();
    expect(uploadFileName(null)).toBeNull();
    expect(existsSync(uploadDir)).toBe(true);
  });
});
