// `hearth library embedder [NAME|default] [--json]` in-process against the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbedderChoice } from '../common/api/contract.js';
import { ensureTestModel } from '../../test/support/index.js';
import { parseCommand } from './args.js';
import { runCliToEnd } from './testing.js';

let home: string;
let options: Parameters<typeof runCliToEnd>[1];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-cli-embedder-'));
  await mkdir(join(home, 'models'), { recursive: true });
  await copyFile(await ensureTestModel({ seed: 21 }), join(home, 'models', 'embed-one.gguf'));
  await copyFile(await ensureTestModel({ seed: 22 }), join(home, 'models', 'embed-two.gguf'));
  await writeFile(join(home, 'note.txt'), 'A short note about lanterns and rivers.\n');
  // No HEARTH_EMBED_MODEL and no engine option: the setting decides.
  options = { home, cwd: home, env: { HEARTH_PARSE_WORKER: process.env.HEARTH_PARSE_WORKER } };
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('hearth library embedder', () => {
  it('parses show, set and default, and refuses extra words', () => {
    expect(parseCommand(['library', 'embedder'])).toEqual({ name: 'library.embedder', json: false });
    expect(parseCommand(['library', 'embedder', 'embed-two', '--json'])).toEqual({
      name: 'library.embedder',
      model: 'embed-two',
      json: true,
    });
    expect(() => parseCommand(['library'])).toThrow(/needs an action/);
    expect(() => parseCommand(['library', 'embedder', 'a', 'b'])).toThrow(/one model/);
  });

  it('shows the model and why, sets another (re-embedding the documents), and goes back to the default', async () => {
    expect((await runCliToEnd(['add', 'note.txt'], options)).code).toBe(0);
    const shown = await runCliToEnd(['library', 'embedder'], options);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Embedding model: embed-one \(found in the models folder\)/);
    expect(shown.stdout).toMatch(/embed-two\.gguf/);

    const set = await runCliToEnd(['library', 'embedder', 'embed-two', '--json'], options);
    expect(set.code).toBe(0);
    expect(set.stderr).toMatch(/Re-embedding 1 document with embed-two/);
    const choice = JSON.parse(set.stdout) as EmbedderChoice;
    expect(choice).toMatchObject({ setting: 'embed-two.gguf', documentCount: 1 });
    expect(choice.current).toMatchObject({ name: 'embed-two', origin: 'setting' });

    const missing = await runCliToEnd(['library', 'embedder', 'nope'], options);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No embedding model 'nope'/);

    const back = await runCliToEnd(['library', 'embedder', 'default', '--json'], options);
    expect((JSON.parse(back.stdout) as EmbedderChoice).current?.origin).toBe('detected');
  });
});
