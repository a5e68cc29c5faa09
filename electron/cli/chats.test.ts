// `hearth chats ...` in-process with the real engine: a conversation made by `hearth chat` is
// listed, found, exported, re-imported; bad input exits 1 or 2 with one clear line.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, SearchHit } from '../common/api/contract.js';
import { makeTestHome, TEST_MODEL_ID, type TestHome } from '../host/testEngine.js';
import { runCliToEnd } from './testing.js';

let home: TestHome;
const run = (argv: string[]) => runCliToEnd(argv, { home: home.home, cwd: home.home });

beforeAll(async () => {
  home = await makeTestHome({ models: true });
  const chat = await run(['chat', '-m', TEST_MODEL_ID, '--max-tokens', '6', 'Where do penguins live?']);
  expect(chat.code).toBe(0);
});
afterAll(async () => {
  await home?.cleanup();
});

describe('hearth chats', () => {
  it('lists conversations as a table and as JSON', async () => {
    const json = await run(['chats', 'list', '--json']);
    expect(json.code).toBe(0);
    const [conversation] = JSON.parse(json.stdout) as ConversationSummary[];
    expect(conversation).toMatchObject({
      title: 'Where do penguins live?',
      messageCount: 2,
      modelId: TEST_MODEL_ID,
    });
    const table = await run(['chats', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+UPDATED \(UTC\)\s+MESSAGES\s+TITLE$/);
    expect(table.stdout).toContain(`${conversation?.id}  `);
    expect(table.stdout).toMatch(/2\s+Where do penguins live\?\n$/);
  });

  it('searches by words', async () => {
    const json = await run(['chats', 'search', 'penguins', 'live', '--json']);
    const hits = JSON.parse(json.stdout) as SearchHit[];
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ role: 'user', snippet: 'Where do penguins live?' });
    const text = await run(['chats', 'search', 'penguin']);
    expect(text.stdout).toMatch(
      /^Where do penguins live\? \(.+\), you, \d{4}-\d\d-\d\d \d\d:\d\d\n {2}Where do penguins live\?\n$/,
    );
    expect((await run(['chats', 'search', 'zebra'])).stdout).toBe('No messages match.\n');
  });

  it('exports Markdown to stdout and JSON to a file, and imports it back as a new conversation', async () => {
    const [conversation] = JSON.parse(
      (await run(['chats', 'list', '--json'])).stdout,
    ) as ConversationSummary[];
    const id = conversation?.id ?? '';
    const markdown = await run(['chats', 'export', id, '--format', 'md']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(
      /^# Where do penguins live\?\n[\s\S]*## You\n\nWhere do penguins live\?\n\n## Assistant \(/,
    );

    const exported = await run(['chats', 'export', id, '--format', 'json', '-o', 'penguins.json']);
    expect(exported).toMatchObject({ code: 0, stdout: '' });
    expect(exported.stderr).toContain('penguins.json');
    expect(JSON.parse(await readFile(join(home.home, 'penguins.json'), 'utf8'))).toMatchObject({
      id,
      version: 1,
    });
    // An existing file is never overwritten.
    expect(await run(['chats', 'export', id, '--format', 'json', '-o', 'penguins.json'])).toMatchObject({
      code: 2,
    });

    const imported = await run(['chats', 'import', 'penguins.json']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /^Imported "Where do penguins live\?" as [0-9a-f-]{36} \(2 messages\)\.\n$/,
    );
    expect(JSON.parse((await run(['chats', 'list', '--json'])).stdout)).toHaveLength(2);
  });

  it('refuses bad input with one line and exit 2 (runtime) or 1 (usage)', async () => {
    await writeFile(
      join(home.home, 'future.json'),
      JSON.stringify({ format: 'hearth.conversation', version: 9 }),
    );
    const future = await run(['chats', 'import', 'future.json']);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(
      /^hearth: This file cannot be imported: it was made by a newer Hearth.*\n$/,
    );
    expect((await run(['chats', 'import', 'missing.json'])).stderr).toMatch(/Could not read .*missing\.json/);
    expect((await run(['chats', 'export', 'no-such-id'])).stderr).toBe(
      'hearth: No conversation no-such-id.\n',
    );
    expect((await run(['chats', 'export', 'x', '--format', 'pdf'])).code).toBe(1);
    expect((await run(['chats'])).code).toBe(1);
    expect((await run(['chats', 'search'])).code).toBe(1);
    expect((await run(['chats', 'list', '--format', 'md'])).code).toBe(1);
  });
});
