// `hearth models pull | info | rm | import` in-process against the real engine and a local
// download server on 127.0.0.1.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestModel,
  serveTinyCatalog,
  startDownloadServer,
  writeTestModel,
  type DownloadServer,
} from '../../test/support/index.js';
import type { DownloadInfo, ModelInfo } from '../common/api/contract.js';
import { parseCommand } from './args.js';
import { runCliToEnd, startCli } from './testing.js';

let server: DownloadServer;
let home: string;
let env: Record<string, string>;
const modelBytes = buildTestModel({ seed: 3 });

beforeEach(async () => {
  server = await startDownloadServer();
  serveTinyCatalog(server, modelBytes);
  home = await mkdtemp(join(tmpdir(), 'hearth-cli-models-'));
  await mkdir(join(home, 'models'));
  env = { HEARTH_CATALOG_URL: `${server.url}/catalog.json`, HEARTH_HF_BASE: server.url };
});
afterEach(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

describe('hearth models pull', () => {
  it('downloads a catalog id with progress on stderr, verifies it, and lists it with sha256 and fit', async () => {
    const run = await runCliToEnd(['models', 'pull', 'tiny'], { home, env });
    expect(run.stderr).toMatch(/Tiny F32: (queued|downloading|verifying)/);
    expect(run.stderr).toMatch(/Tiny F32: done 100%/);
    expect(run).toMatchObject({
      code: 0,
      stdout: `Installed tiny-F32.gguf (sha256 ${server.sha256('hearth/tiny-GGUF/tiny-F32.gguf')})\n`,
    });

    const list = await runCliToEnd(['models', 'list', '--json'], { home, env });
    const [entry] = JSON.parse(list.stdout) as Array<{
      sha256?: string;
      fit?: { label: string };
      source?: string;
    }>;
    expect(entry).toMatchObject({ sha256: server.sha256('hearth/tiny-GGUF/tiny-F32.gguf'), source: 'tiny' });
    expect(entry?.fit?.label).toMatch(/CPU only, slow|runs fully on GPU/);
  });

  it('pulls hf: references with --json, and fails a corrupted download with exit 2', async () => {
    const run = await runCliToEnd(['models', 'pull', 'hf:hearth/tiny-GGUF/tiny-F32.gguf', '--json'], {
      home,
      env,
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as DownloadInfo).state).toBe('done');
    expect(
      run.stderr
        .trim()
        .split('\n')
        .every((line) => JSON.parse(line) as unknown),
    ).toBeTruthy();

    server.serve('hearth/tiny-GGUF/other.gguf', { bytes: modelBytes });
    server.faults.corrupt = true;
    const bad = await runCliToEnd(['models', 'pull', 'hf:hearth/tiny-GGUF/other.gguf'], { home, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hearth: other.gguf failed verification: .*deleted/);
    expect(await readdir(join(home, 'models'))).toEqual(['tiny-F32.gguf']);
  });

  it('stops on Ctrl-C keeping the partial download, and the next pull resumes it', async () => {
    server.faults.bytesPerSecond = 300_000;
    const first = startCli(['models', 'pull', 'tiny'], { home, env });
    await first.stderr.waitFor(/downloading [1-9]\d*%/);
    first.interrupt.abort();
    expect(await first.exit).toBe(130);
    expect(first.stderr.text).toMatch(/Run the same pull again to resume/);
    expect(await readdir(join(home, 'models'))).toEqual([]);

    server.faults.bytesPerSecond = undefined;
    const second = await runCliToEnd(['models', 'pull', 'tiny'], { home, env });
    expect(second.code).toBe(0);
    const resumed = server.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/')).at(-1);
    expect(resumed?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await readdir(join(home, 'models'))).toEqual(['tiny-F32.gguf']);
  });
});

describe('hearth models info | rm | import', () => {
  it('imports, shows info with sha256 and fit, refuses a duplicate, and removes', async () => {
    const source = await writeTestModel(join(home, 'elsewhere', 'mine.gguf'), { seed: 21, name: 'Mine' });
    const imported = await runCliToEnd(['models', 'import', source], { home, env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported mine.gguf \(sha256 [0-9a-f]{64}\)\n$/);
    expect(imported.stderr).toMatch(/hashing 100%/);

    const info = await runCliToEnd(['models', 'info', 'Mine', '--json'], { home, env });
    const parsed = JSON.parse(info.stdout) as ModelInfo;
    expect(parsed.entry).toMatchObject({
      id: 'mine.gguf',
      verification: 'verified',
      sha256: expect.any(String),
    });
    expect(parsed.entry.fit?.level).toBeDefined();
    expect(parsed.metadata['general.name']).toBe('Mine');
    const text = await runCliToEnd(['models', 'info', 'mine'], { home, env });
    expect(text.stdout).toMatch(/sha256\s+[0-9a-f]{64}\s+verified/);

    const again = await runCliToEnd(['models', 'import', source, '--link'], { home, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already installed as "mine.gguf"/);

    const removed = await runCliToEnd(['models', 'rm', 'mine', '--json'], { home, env });
    expect(removed).toMatchObject({ code: 0, stdout: '{"deleted":"mine.gguf"}\n' });
    expect(await readdir(join(home, 'models'))).toEqual([]);
    expect((await runCliToEnd(['models', 'rm', 'mine'], { home, env })).code).toBe(2);
  });
});

describe('parsing models commands', () => {
  it('reads each action and refuses what does not fit', () => {
    expect(parseCommand(['models', 'pull', 'qwen3-4b', '--quant', 'Q8_0'])).toEqual({
      name: 'models.pull',
      source: 'qwen3-4b',
      quantization: 'Q8_0',
      json: false,
    });
    expect(parseCommand(['models', 'import', 'a.gguf', '--link', '--json'])).toEqual({
      name: 'models.import',
      path: 'a.gguf',
      link: true,
      json: true,
    });
    expect(parseCommand(['models', 'rm', 'x'])).toEqual({ name: 'models.rm', model: 'x', json: false });
    expect(() => parseCommand(['models', 'pull'])).toThrow(/needs a catalog id/);
    expect(() => parseCommand(['models', 'info', 'a', 'b'])).toThrow(/takes one/);
    expect(() => parseCommand(['models', 'rm', 'x', '--link'])).toThrow(/--link is not an option/);
    expect(() => parseCommand(['models', 'fly'])).toThrow(/Unknown models action 'fly'/);
  });
});
