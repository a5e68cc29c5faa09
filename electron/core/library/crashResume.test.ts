// The app killed during ingestion: a child process indexes a folder and is killed (SIGKILL) after
// its first file is ready. A fresh engine on the same data folder resumes the persisted queue
// and finishes the batch with every document exactly once and no duplicate chunks.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from '@lancedb/lancedb';
import {
  bundleForTests,
  ensureTestEmbeddingModel,
  sentence,
  writeEveryType,
} from '../../../test/support/index.js';
import { openHarness } from './testing.js';

let home: string;
let dir: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-crash-home-'));
  dir = await mkdtemp(join(tmpdir(), 'hearth-crash-docs-'));
  await writeEveryType(dir);
  for (let i = 0; i < 6; i++) {
    const paragraphs = Array.from(
      { length: 20 },
      (_, p) => `Paragraph ${p} of essay ${i}. ${sentence(`word${i}x${p}`)}`,
    );
    await writeFile(join(dir, `essay-${String(i).padStart(2, '0')}.txt`), paragraphs.join('\n\n'));
  }
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

it('resumes after a kill mid-batch without duplicates', async () => {
  const child = spawn(
    process.execPath,
    [await bundleForTests('test/support/library/ingestChild.ts', ['electron', 'test/support']), dir],
    {
      env: { ...process.env, HEARTH_HOME: home, HEARTH_EMBED_MODEL: await ensureTestEmbeddingModel() },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  let readyBeforeKill = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const item = JSON.parse(line) as { state: string };
    if (item.state === 'ready') {
      readyBeforeKill++;
      child.kill('SIGKILL');
      break;
    }
  }
  expect(await exited).toBe('SIGKILL');
  expect(readyBeforeKill).toBe(1);

  const harness = await openHarness({}, home);
  let documents;
  try {
    const before = await harness.call('library.status', {});
    // The killed run left files queued (or mid-way); the new engine picked them up by itself.
    expect(before.items.length).toBeGreaterThan(15);
    const status = await harness.call('library.waitIdle', {});
    // A file finished just before the kill may be redone: found unchanged, it is skipped as such.
    const notReady = status.items.filter((item) => item.state !== 'ready');
    for (const item of notReady)
      expect(item).toMatchObject({ state: 'skipped', reason: 'already in the library (unchanged)' });
    expect(notReady.length).toBeLessThanOrEqual(1);
    documents = await harness.call('library.documents', {});
  } finally {
    await harness.close();
  }
  expect(documents).toHaveLength(20);
  expect(new Set(documents.map((d) => d.path)).size).toBe(20);

  const db = await connect(join(home, 'library', 'index'));
  const chunks = await db.openTable('chunks');
  const rows = await chunks.query().select(['id', 'doc_id']).toArray();
  expect(new Set(rows.map((row) => String(row.id))).size).toBe(rows.length);
  expect(rows.length).toBe(documents.reduce((sum, d) => sum + d.chunkCount, 0));
  chunks.close();
  db.close();
}, 120_000);
