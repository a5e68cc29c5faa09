// "Delete all my data": refused without the typed words; with them, everything in the data folder
// goes (models only when asked), every list is empty, and the same engine keeps working.
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestEmbeddingModel, ensureTestModel } from '../../../test/support/index.js';
import {
  DELETE_DATA_CONFIRMATION,
  type ConversationSummary,
  type EventName,
  type LibraryDocument,
  type ModelEntry,
  type PrivacyStatus,
} from '../../common/api/contract.js';
import { Dispatcher, type Outcome } from '../../common/api/dispatch.js';
import { ErrorCode } from '../../common/api/errors.js';
import { createEngine, type Engine } from '../Engine.js';

let root: string;
let home: string;
let engine: Engine;
let dispatcher: Dispatcher;
const broadcasts: EventName[] = [];
let requests = 0;

async function call(method: string, params: unknown = {}): Promise<Outcome> {
  return dispatcher.call(method, params, `req-${++requests}`);
}
async function ok<T>(method: string, params: unknown = {}): Promise<T> {
  const settled = await call(method, params);
  if (!settled.ok) throw new Error(`${method}: ${settled.error.code}: ${settled.error.message}`);
  return settled.result as T;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hearth-delete-'));
  home = join(root, 'data');
  await mkdir(join(home, 'models'), { recursive: true });
  await copyFile(await ensureTestModel(), join(home, 'models', 'tiny.gguf'));
  // Somebody else's file in the data folder (a Chromium profile, a stray note) goes too.
  await writeFile(join(home, 'stray.txt'), 'left by something else');
  // ...but not the desktop shell's live lock, which it names.
  await writeFile(join(home, 'SingletonLock'), 'the shell holds this');
  engine = await createEngine({
    home,
    version: '0.0.0-test',
    threads: 1,
    library: { embedModel: await ensureTestEmbeddingModel() },
    keepOnDelete: ['SingletonLock'],
  });
  engine.onEvent((...args) => void broadcasts.push(args[0]));
  dispatcher = new Dispatcher(engine.handlers, () => undefined);
});
afterAll(async () => {
  await engine?.dispose();
  await rm(root, { recursive: true, force: true });
});

async function fillWithData(): Promise<void> {
  await ok('models.load', { modelId: 'tiny.gguf' });
  await ok('chat.send', { conversationId: 'c1', text: 'remember this', maxTokens: 4 });
  const docs = join(root, `docs-${requests}`);
  await mkdir(docs);
  await writeFile(join(docs, 'note.md'), '# Note\n\nA private note about figs.\n');
  await ok('library.add', { paths: [docs] });
  await ok('library.waitIdle');
  await ok('settings.set', { idleUnloadMinutes: 5 });
  expect(await ok<ConversationSummary[]>('conversations.list')).toHaveLength(1);
  expect(await ok<LibraryDocument[]>('library.documents')).toHaveLength(1);
}

describe('delete all my data', () => {
  it('refuses without the typed confirmation and deletes nothing', async () => {
    await fillWithData();
    const refused = await call('privacy.deleteAllData', { confirm: 'yes', keepModels: false });
    expect(refused.ok ? 'ok' : refused.error.code).toBe(ErrorCode.ConfirmationRequired);
    expect(await ok<ConversationSummary[]>('conversations.list')).toHaveLength(1);
    // A field left undefined (as a transport may hand it over) changes nothing and is not an error.
    expect(await ok('privacy.set', { offline: undefined })).toMatchObject({ offline: false });
  });

  it('removes everything but the models when asked to keep them, and the app goes on working', async () => {
    await ok('privacy.set', { offline: true });
    const result = await ok<{ removed: string[]; keptModels: boolean }>('privacy.deleteAllData', {
      confirm: DELETE_DATA_CONFIRMATION,
      keepModels: true,
    });
    expect(result.keptModels).toBe(true);
    expect(result.removed).toEqual(expect.arrayContaining(['chats', 'library', 'privacy', 'stray.txt']));
    expect(result.removed).not.toContain('models');
    expect(broadcasts).toEqual(expect.arrayContaining(['privacy.dataDeleted', 'conversations.changed']));

    expect(await ok<ConversationSummary[]>('conversations.list')).toEqual([]);
    expect(await ok<LibraryDocument[]>('library.documents')).toEqual([]);
    expect(await ok('settings.get')).toMatchObject({ idleUnloadMinutes: 15 });
    const status = await ok<PrivacyStatus>('privacy.status');
    expect(status).toMatchObject({ offline: true, connections: { allowed: 0, blocked: 0 } });
    expect((await ok<ModelEntry[]>('models.list')).map((m) => m.id)).toEqual(['tiny.gguf']);
    // No stray file, no old conversations on disk: only what the fresh engine made.
    expect((await readdir(home)).sort()).not.toContain('stray.txt');
    expect(await readdir(home)).toContain('SingletonLock');
    if (process.platform !== 'win32') expect((await stat(home)).mode & 0o777).toBe(0o700);

    // Usable at once: load, chat, ingest.
    await fillWithData();
  });

  it('removes the models too when not asked to keep them', async () => {
    await ok('privacy.deleteAllData', { confirm: 'Delete my data', keepModels: false });
    expect(await ok<ModelEntry[]>('models.list')).toEqual([]);
    expect(await ok<ConversationSummary[]>('conversations.list')).toEqual([]);
    expect(await readdir(join(home, 'models'))).toEqual([]);
    expect(await ok('models.status')).toMatchObject({ state: 'none' });
  });
});
