// `hearth setup recommend | detect` in-process against the real engine, a catalog served on
// 127.0.0.1, and a fake home holding an Ollama store and an LM Studio folder.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  serveSetupCatalog,
  startDownloadServer,
  writeTestModel,
  type DownloadServer,
} from '../../test/support/index.js';
import type { DetectedFolder, SetupRecommendations } from '../common/api/contract.js';
import { parseCommand } from './args.js';
import { runCliToEnd } from './testing.js';

let server: DownloadServer;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  server = await startDownloadServer();
  dir = await mkdtemp(join(tmpdir(), 'hearth-cli-setup-'));
  env = {
    HEARTH_CATALOG_URL: serveSetupCatalog(server),
    HEARTH_HF_BASE: server.url,
    HEARTH_DETECT_HOME: join(dir, 'home'),
  };
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hearth setup', () => {
  it('recommend prints the machine and one chat and one embedding model with size, license and why', async () => {
    const run = await runCliToEnd(['setup', 'recommend'], { home: join(dir, 'data'), env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Memory: +\d/m);
    expect(run.stdout).toMatch(/CPU cores: +\d+/);
    expect(run.stdout).toMatch(/^Chat model: Tiny \(F32, about .+, license mit\)/m);
    expect(run.stdout).toMatch(/^Embedding model: Tiny Embed \(F32, about .+, license apache-2.0\)/m);
    expect(run.stdout).toContain('hearth models pull tiny-embed');

    const json = await runCliToEnd(['setup', 'recommend', '--json'], { home: join(dir, 'data'), env });
    const parsed = JSON.parse(json.stdout) as SetupRecommendations;
    expect(parsed.chat?.entryId).toBe('tiny');
    expect(parsed.embedding?.entryId).toBe('tiny-embed');
  });

  it("detect lists other apps' models with the command that imports each by reference", async () => {
    const home = join(dir, 'home');
    const lmStudio = join(home, '.lmstudio', 'models', 'pub', 'repo', 'Phi-4-mini-Q4_K_M.gguf');
    await mkdir(join(lmStudio, '..'), { recursive: true });
    await writeTestModel(lmStudio, { seed: 8 });
    const blobs = join(home, '.ollama', 'models', 'blobs');
    await mkdir(blobs, { recursive: true });
    const source = join(dir, 'source.gguf');
    await writeTestModel(source, { seed: 9 });
    const bytes = await readFile(source);
    const digest = createHash('sha256').update(bytes).digest('hex');
    await writeFile(join(blobs, `sha256-${digest}`), bytes);
    const manifestDir = join(
      home,
      '.ollama',
      'models',
      'manifests',
      'registry.ollama.ai',
      'library',
      'gemma3',
    );
    await mkdir(manifestDir, { recursive: true });
    await writeFile(
      join(manifestDir, '1b'),
      JSON.stringify({
        schemaVersion: 2,
        layers: [
          { mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${digest}`, size: bytes.length },
        ],
      }),
    );

    const run = await runCliToEnd(['setup', 'detect'], { home: join(dir, 'data'), env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`LM Studio: ${join(home, '.lmstudio', 'models')}`);
    expect(run.stdout).toContain('Phi-4-mini-Q4_K_M.gguf');
    expect(run.stdout).toContain('gemma3:1b');
    expect(run.stdout).toContain(`hearth models import --link "${lmStudio}"`);

    const json = await runCliToEnd(['setup', 'detect', '--json'], { home: join(dir, 'data'), env });
    const folders = JSON.parse(json.stdout) as DetectedFolder[];
    expect(folders.map((folder) => folder.app)).toEqual(['LM Studio', 'Ollama']);
  });

  it('says plainly when nothing was found, and refuses unknown actions', async () => {
    const run = await runCliToEnd(['setup', 'detect'], { home: join(dir, 'data'), env });
    expect(run.stdout).toMatch(/No models from LM Studio, Jan, Ollama or GPT4All were found/);
    expect(() => parseCommand(['setup', 'frobnicate'])).toThrow(/Unknown setup action/);
    expect(() => parseCommand(['setup'])).toThrow(/needs an action/);
  });
});
