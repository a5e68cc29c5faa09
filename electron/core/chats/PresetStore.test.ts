import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidOperationError, PresetNotFoundError } from '../errors/index.js';
import { DEFAULT_PRESET_ID, DEFAULT_SAMPLING, PresetStore } from './PresetStore.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-presets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PresetStore', () => {
  it('starts with one sensible default preset', async () => {
    const presets = await PresetStore.open(dir);
    const [only] = presets.list();
    expect(presets.list()).toHaveLength(1);
    expect(only).toMatchObject({
      id: DEFAULT_PRESET_ID,
      name: 'General assistant',
      isDefault: true,
      modelId: null,
    });
    expect(only?.systemPrompt).toMatch(/helpful/);
    expect(only?.sampling).toEqual(DEFAULT_SAMPLING);
  });

  it('creates, edits and keeps presets across a restart; one default at a time', async () => {
    const presets = await PresetStore.open(dir);
    const writer = await presets.create({
      name: '  Writer ',
      systemPrompt: 'You edit prose.',
      modelId: 'qwen.gguf',
      sampling: { temperature: 1.1 },
      collections: ['notes'],
    });
    expect(writer).toMatchObject({
      name: 'Writer',
      modelId: 'qwen.gguf',
      isDefault: false,
      collections: ['notes'],
    });
    expect(writer.sampling).toEqual({ ...DEFAULT_SAMPLING, temperature: 1.1 });
    await presets.update(writer.id, { isDefault: true, sampling: { topK: 20 }, modelId: '' });

    const again = await PresetStore.open(dir);
    expect(again.default()).toMatchObject({ id: writer.id, modelId: null });
    expect(again.default().sampling).toMatchObject({ temperature: 1.1, topK: 20 });
    expect(again.list().filter((p) => p.isDefault)).toHaveLength(1);

    await expect(again.delete(writer.id)).rejects.toBeInstanceOf(InvalidOperationError);
    await again.delete(DEFAULT_PRESET_ID);
    expect(again.list().map((p) => p.id)).toEqual([writer.id]);
    await expect(again.update('nope', { name: 'x' })).rejects.toBeInstanceOf(PresetNotFoundError);
  });
});
