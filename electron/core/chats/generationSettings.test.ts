import { describe, expect, it } from 'vitest';
import type { ModelSettings } from '../../common/api/contract.js';
import { DEFAULT_MODEL_SETTINGS } from '../settings/ModelSettingsStore.js';
import { generationSettings } from './generationSettings.js';
import { DEFAULT_SAMPLING } from './PresetStore.js';

const conversation = (settings: Partial<typeof DEFAULT_SAMPLING> = {}, systemPrompt = 'Be helpful.') => ({
  settings: { ...DEFAULT_SAMPLING, ...settings },
  systemPrompt,
});
const model = (settings: Partial<ModelSettings> = {}): ModelSettings => ({
  ...DEFAULT_MODEL_SETTINGS,
  ...settings,
});

describe('the settings of one answer', () => {
  it('are the conversation’s when the model has no settings (a model loaded by path)', () => {
    expect(
      generationSettings({ conversation: conversation({ temperature: 0.3 }), contextSize: 4096 }),
    ).toEqual({
      sampling: { temperature: 0.3, topK: 40, topP: 0.9, minP: 0.05 },
      maxTokens: 2048,
      chosenMaxTokens: null,
      repeatPenalty: 1,
      systemPrompt: 'Be helpful.',
    });
  });

  it('take the model’s values where the preset kept the defaults, and the preset’s where it chose', () => {
    const settings = generationSettings({
      conversation: conversation({ temperature: 1.2 }),
      model: model({ temperature: 0.2, topK: 12, minP: 0.1, repeatPenalty: 1.3 }),
      contextSize: 4096,
    });
    expect(settings.sampling).toEqual({ temperature: 1.2, topK: 12, topP: 0.9, minP: 0.1 });
    expect(settings.repeatPenalty).toBe(1.3);
  });

  it('let the test and CLI override win over both', () => {
    const settings = generationSettings({
      conversation: conversation({ temperature: 1.2 }),
      model: model({ temperature: 0.2 }),
      override: { temperature: 0, topK: 1 },
      contextSize: 4096,
    });
    expect(settings.sampling).toMatchObject({ temperature: 0, topK: 1 });
  });

  it('limit the answer by the preset’s choice, else by the model’s within half the context', () => {
    expect(
      generationSettings({
        conversation: conversation({ maxTokens: 3000 }),
        model: model(),
        contextSize: 2048,
      }),
    ).toMatchObject({ maxTokens: 3000, chosenMaxTokens: 3000 });
    expect(
      generationSettings({
        conversation: conversation(),
        model: model({ maxTokens: 300 }),
        contextSize: 4096,
      }),
    ).toMatchObject({ maxTokens: 300, chosenMaxTokens: 300 });
    expect(
      generationSettings({
        conversation: conversation(),
        model: model({ maxTokens: 4000 }),
        contextSize: 2048,
      }),
    ).toMatchObject({ maxTokens: 1024, chosenMaxTokens: 4000 });
  });

  it('keep both system prompts, the model’s first, and leave out empty ones', () => {
    const both = generationSettings({
      conversation: conversation({}, 'Be helpful.'),
      model: model({ systemPrompt: '  You are Tiny.  ' }),
      contextSize: 4096,
    });
    expect(both.systemPrompt).toBe('You are Tiny.\n\nBe helpful.');
    expect(
      generationSettings({ conversation: conversation({}, ''), model: model(), contextSize: 4096 })
        .systemPrompt,
    ).toBe('');
    expect(
      generationSettings({
        conversation: conversation({}, '   '),
        model: model({ systemPrompt: 'Only mine.' }),
        contextSize: 4096,
      }).systemPrompt,
    ).toBe('Only mine.');
  });
});
