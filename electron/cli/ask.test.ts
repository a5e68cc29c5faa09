// `hearth ask` in-process against the real engine: library, generated chat model, grounded answer.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../test/support/index.js';
import { parseCommand } from './args.js';
import { runCliToEnd } from './testing.js';

let home: string;
let dir: string;
let options: Parameters<typeof runCliToEnd>[1];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-cli-ask-'));
  dir = await mkdtemp(join(tmpdir(), 'hearth-cli-ask-docs-'));
  const model = await ensureTestModel();
  await mkdir(join(home, 'models'));
  await copyFile(model, join(home, 'models', 'hearth-test.gguf'));
  await writeFile(
    join(dir, 'invoices.md'),
    '# Invoices\n\n## Zephyrine\n\nThe Zephyrine invoice is due on 14 March 2026.\n',
  );
  options = { home, cwd: dir, library: { embedModel: model } };
  const added = await runCliToEnd(['add', 'invoices.md', '--collection', 'Work'], options);
  expect(added.code).toBe(0);
}, 60_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

describe('hearth ask', () => {
  it('prints one JSON object with the answer, its citations and its sources', async () => {
    const { code, stdout } = await runCliToEnd(
      [
        'ask',
        'When is the Zephyrine invoice due?',
        '--collection',
        'Work',
        '--model',
        'hearth-test.gguf',
        '--max-tokens',
        '6',
        '--json',
      ],
      options,
    );
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as {
      answer: string;
      citations: number[];
      sources: Array<{ n: number; path: string; heading?: string; text: string; score: number }>;
    };
    expect(typeof result.answer).toBe('string');
    expect(Array.isArray(result.citations)).toBe(true);
    expect(result.sources[0]).toMatchObject({
      n: 1,
      path: join(dir, 'invoices.md'),
      heading: 'Invoices > Zephyrine',
      text: expect.stringContaining('14 March 2026'),
      score: expect.any(Number),
    });
  });

  it('streams the answer, then lists the sources; the last chat model is the default', async () => {
    const { code, stdout } = await runCliToEnd(
      ['ask', 'When is the Zephyrine invoice due?', '-c', 'Work', '--max-tokens', '6'],
      options,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nSources.*:\n\[1\][* ] invoices\.md \(Invoices > Zephyrine\)/);
    expect(stdout).toContain('14 March 2026');
  });

  it('refuses a collection that does not exist, and a question without a collection', async () => {
    const missing = await runCliToEnd(
      ['ask', 'Anything?', '--collection', 'Nope', '--model', 'hearth-test.gguf'],
      options,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No collection "Nope"/);
    expect(() => parseCommand(['ask', 'Anything?'])).toThrow(/--collection/);
    expect(() => parseCommand(['ask', '--collection', 'Work'])).toThrow(/needs a question/);
  });
});
