// The conversation and preset methods through the engine's contract handlers (no model needed),
// with the broadcasts a sidebar refreshes on.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreClient } from '../cli/client.js';
import { ErrorCode, type ErrorCode as Code } from '../common/api/errors.js';
import { createEngine, type Engine } from './Engine.js';

let home: string;
let engine: Engine;
let client: CoreClient;
let broadcasts: string[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-engine-chats-'));
  engine = await createEngine({ home, version: '0.0.0-test', threads: 1 });
  client = new CoreClient(engine.handlers);
  broadcasts = [];
  engine.onEvent((event, payload) => {
    if (event === 'conversations.changed') broadcasts.push(`${event}:${payload.conversationId}`);
    if (event === 'presets.changed') broadcasts.push(event);
  });
});
afterEach(async () => {
  await engine.dispose();
  await rm(home, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<Code | undefined> {
  return promise.then(
    () => undefined,
    (error: { code?: Code }) => error.code,
  );
}

describe('conversations through the contract', () => {
  it('creates from a preset, renames, pins, deletes with undo, and keeps it all on disk', async () => {
    const writer = await client.call('presets.create', { name: 'Writer', systemPrompt: 'You edit prose.' });
    const created = await client.call('conversations.create', { presetId: writer.id });
    expect(created).toMatchObject({
      title: 'New chat',
      presetId: writer.id,
      systemPrompt: 'You edit prose.',
      path: [],
    });
    await client.call('conversations.rename', { conversationId: created.id, title: 'Draft' });
    await client.call('conversations.pin', { conversationId: created.id, pinned: true });
    const other = await client.call('conversations.create', {});
    expect(other.systemPrompt).toMatch(/helpful/);
    expect((await client.call('conversations.list', {})).map((c) => c.title)).toEqual(['Draft', 'New chat']);

    const { restorableUntil } = await client.call('conversations.delete', { conversationId: created.id });
    expect(restorableUntil).toBeGreaterThan(Date.now() + 24 * 60 * 60 * 1000);
    expect((await client.call('conversations.list', {})).map((c) => c.id)).toEqual([other.id]);
    expect(await client.call('conversations.list', { includeDeleted: true })).toHaveLength(2);
    await client.call('conversations.restore', { conversationId: created.id });
    expect(broadcasts).toEqual([
      'presets.changed',
      `conversations.changed:${created.id}`,
      `conversations.changed:${created.id}`,
      `conversations.changed:${created.id}`,
      `conversations.changed:${other.id}`,
      `conversations.changed:${created.id}`,
      `conversations.changed:${created.id}`,
    ]);

    await engine.dispose();
    engine = await createEngine({ home, version: '0.0.0-test', threads: 1 });
    client = new CoreClient(engine.handlers);
    expect(await client.call('conversations.get', { conversationId: created.id })).toMatchObject({
      title: 'Draft',
      pinned: true,
      deletedAt: null,
    });
    expect((await client.call('presets.list', {})).map((p) => p.name)).toEqual([
      'General assistant',
      'Writer',
    ]);
  });

  it('answers unknown ids and wrong targets with their codes', async () => {
    expect(await codeOf(client.call('conversations.get', { conversationId: 'nope' }))).toBe(
      ErrorCode.ConversationNotFound,
    );
    expect(await codeOf(client.call('conversations.create', { presetId: 'nope' }))).toBe(
      ErrorCode.PresetNotFound,
    );
    expect(await codeOf(client.call('presets.delete', { presetId: 'default' }))).toBe(
      ErrorCode.InvalidOperation,
    );
    expect(await codeOf(client.call('conversations.import', { content: '{' }))).toBe(ErrorCode.ImportInvalid);
    const { id } = await client.call('conversations.create', {});
    expect(
      await codeOf(client.call('conversations.switchBranch', { conversationId: id, messageId: 'm' })),
    ).toBe(ErrorCode.MessageNotFound);
    expect(await codeOf(client.call('chat.send', { conversationId: id, text: 'hi' }))).toBe(
      ErrorCode.NoModelLoaded,
    );
  });
});
