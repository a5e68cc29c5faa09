// `hearth add | search | docs | collections` in-process against the real engine and library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestItem, LibraryDocument, Passage } from '../common/api/contract.js';
import { ensureTestEmbeddingModel, sentence } from '../../test/support/index.js';
import { parseCommand } from './args.js';
import { runCliToEnd, startCli } from './testing.js';

let home: string;
let dir: string;
let options: Parameters<typeof runCliToEnd>[1];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-cli-lib-'));
  dir = await mkdtemp(join(tmpdir(), 'hearth-cli-docs-'));
  await writeFile(join(dir, 'guide.md'), `# Guide\n\n## Setup\n\n${sentence('tarragon')}\n`);
  await writeFile(join(dir, 'notes.txt'), sentence('vanilla'));
  await writeFile(join(dir, 'empty.txt'), '');
  options = {
    home,
    cwd: dir,
    library: { embedModel: await ensureTestEmbeddingModel(), watchDebounceMs: 150 },
  };
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

describe('hearth add', () => {
  it('indexes a folder, with progress on stderr and the files as JSON on stdout', async () => {
    const { code, stdout, stderr } = await runCliToEnd(
      ['add', '.', '--collection', 'Notes', '--json'],
      options,
    );
    expect(code).toBe(0);
    const items = JSON.parse(stdout) as IngestItem[];
    expect(items.map((i) => [i.name, i.state]).sort()).toEqual([
      ['empty.txt', 'skipped'],
      ['guide.md', 'ready'],
      ['notes.txt', 'ready'],
    ]);
    expect(stderr).toMatch(/Adding 3 files/);
    expect(stderr).toMatch(/skipped\s+\S*empty\.txt: empty file/);
    expect(stderr).toMatch(/ready\s+\S*guide\.md \(1 chunks\)/);
  });

  it('says what happened in words without --json', async () => {
    const { code, stdout } = await runCliToEnd(['add', 'notes.txt', '--collection', 'Notes'], options);
    expect(code).toBe(0);
    expect(stdout).toBe('0 indexed, 1 skipped, 0 failed.\n');
  });

  it('keeps watching with --watch until interrupted', async () => {
    const run = startCli(['add', '.', '--collection', 'Notes', '--watch'], options);
    await run.stderr.waitFor(/Watching for changes/, 20_000);
    await writeFile(join(dir, 'new.txt'), sentence('wasabi'));
    await run.stderr.waitFor(/ready\s+\S*new\.txt/, 20_000);
    await run.stderr.waitFor(new RegExp(`synced\\s+${dir} is up to date`), 20_000);
    run.interrupt.abort();
    expect(await run.exit).toBe(0);
    expect(run.engines).toEqual({ opened: 1, disposed: 1 });
  });
});

describe('hearth search', () => {
  it('prints passages with file, heading, offsets and score', async () => {
    const { code, stdout } = await runCliToEnd(['search', 'tarragon', '--mode', 'text'], options);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. guide\.md \(Guide > Setup\) {2}score \d/);
    expect(stdout).toContain(`${join(dir, 'guide.md')} [`);
  });

  it('prints JSON with --json, scoped to a collection', async () => {
    const { stdout } = await runCliToEnd(
      ['search', 'vanilla', '--collection', 'Notes', '--limit', '3', '--json'],
      options,
    );
    const passages = JSON.parse(stdout) as Passage[];
    expect(passages[0]).toMatchObject({ documentName: 'notes.txt', text: sentence('vanilla') });
  });

  it('fails clearly for an unknown collection', async () => {
    const { code, stderr } = await runCliToEnd(['search', 'x', '--collection', 'Nope'], options);
    expect(code).toBe(2);
    expect(stderr).toBe('hearth: No collection "Nope".\n');
  });
});

describe('hearth docs and collections', () => {
  it('lists documents, removes one by path', async () => {
    const listed = JSON.parse(
      (await runCliToEnd(['docs', 'list', '--json'], options)).stdout,
    ) as LibraryDocument[];
    expect(listed.map((d) => d.name).sort()).toEqual(['guide.md', 'new.txt', 'notes.txt']);
    const table = (await runCliToEnd(['docs', 'list'], options)).stdout;
    expect(table).toMatch(/^ID\s+NAME\s+COLLECTION\s+KIND/);
    const removed = await runCliToEnd(['docs', 'rm', 'new.txt'], options);
    expect(removed).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Removed new\.txt/) });
    const after = JSON.parse(
      (await runCliToEnd(['docs', 'list', '--json'], options)).stdout,
    ) as LibraryDocument[];
    expect(after.map((d) => d.name).sort()).toEqual(['guide.md', 'notes.txt']);
  });

  it('creates, lists, renames and removes collections', async () => {
    expect((await runCliToEnd(['collections', 'create', 'Papers'], options)).stdout).toBe(
      'Created collection Papers.\n',
    );
    expect((await runCliToEnd(['collections', 'rename', 'Papers', 'Articles'], options)).stdout).toBe(
      'Renamed Papers to Articles.\n',
    );
    const list = JSON.parse((await runCliToEnd(['collections', 'list', '--json'], options)).stdout) as Array<{
      name: string;
    }>;
    expect(list.map((c) => c.name)).toEqual(['Notes', 'Articles']);
    expect((await runCliToEnd(['collections', 'rm', 'Articles'], options)).code).toBe(0);
    expect((await runCliToEnd(['collections', 'list'], options)).stdout).toMatch(/^Notes {2}\(2 documents\)/);
  });
});

describe('command lines', () => {
  it('parses the library commands', () => {
    expect(parseCommand(['add', 'a', 'b', '-c', 'X', '--watch'])).toEqual({
      name: 'add',
      paths: ['a', 'b'],
      collection: 'X',
      watch: true,
      json: false,
    });
    expect(
      parseCommand(['search', 'two', 'words', '-c', 'A', '-c', 'B', '--mode', 'vector', '--limit', '5']),
    ).toEqual({
      name: 'search',
      query: 'two words',
      collections: ['A', 'B'],
      mode: 'vector',
      limit: 5,
      json: false,
    });
  });

  it.each([
    [['add'], /needs at least one file/],
    [['search'], /needs a query/],
    [['search', 'x', '--mode', 'fuzzy'], /--mode takes hybrid, vector or text/],
    [['search', 'x', '--limit', '0'], /--limit must be between 1 and 200/],
    [['docs'], /needs an action: list or rm/],
    [['docs', 'rm'], /needs a document id or file path/],
    [['collections', 'create'], /needs a name/],
    [['collections', 'frob'], /Unknown collections action/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
