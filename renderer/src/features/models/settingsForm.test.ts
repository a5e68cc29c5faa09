import { describe, expect, it } from 'vitest';
import type { ModelSettings } from '../../../../electron/common/api/contract.js';
import { fromForm, toForm, validateSettings } from './settingsForm.js';

const defaults: ModelSettings = {
  contextSize: 'auto',
  gpuLayers: 'auto',
  temperature: 0.8,
  topP: 0.95,
  topK: 40,
  minP: 0.05,
  repeatPenalty: 1.1,
  maxTokens: 2048,
  systemPrompt: '',
  loras: [],
};

describe('per-model settings form', () => {
  it('round-trips the settings through the form, with auto left blank', () => {
    const form = toForm(defaults);
    expect(form.contextSize).toBe('');
    expect(form.gpuLayersMode).toBe('auto');
    expect(validateSettings(form)).toEqual({});
    const { loras: _loras, ...rest } = defaults;
    expect(fromForm(form)).toEqual(rest);
    expect(
      fromForm({ ...form, contextSize: '4096', gpuLayersMode: 'manual', gpuLayers: '12' }),
    ).toMatchObject({
      contextSize: 4096,
      gpuLayers: 12,
    });
  });

  it('refuses a negative temperature and says why', () => {
    expect(validateSettings({ ...toForm(defaults), temperature: '-0.5' })).toEqual({
      temperature: 'Temperature cannot be negative.',
    });
  });

  it('keeps the context within what the model was trained for', () => {
    const errors = validateSettings({ ...toForm(defaults), contextSize: '65536' }, { trainedContext: 8192 });
    expect(errors.contextSize).toBe('This model was trained for at most 8,192 tokens of context.');
    expect(validateSettings({ ...toForm(defaults), contextSize: '8192' }, { trainedContext: 8192 })).toEqual(
      {},
    );
    expect(validateSettings({ ...toForm(defaults), contextSize: '100' }).contextSize).toMatch(/between 256/);
  });

  it('names every field that is not a number in range', () => {
    const errors = validateSettings(
      {
        ...toForm(defaults),
        gpuLayersMode: 'manual',
        gpuLayers: '2.5',
        topP: '1.5',
        topK: 'many',
        minP: '',
        repeatPenalty: '0.5',
        maxTokens: '0',
      },
      { layers: 32 },
    );
    expect(Object.keys(errors).sort()).toEqual([
      'gpuLayers',
      'maxTokens',
      'minP',
      'repeatPenalty',
      'topK',
      'topP',
    ]);
    expect(errors.gpuLayers).toBe('GPU layers must be a whole number.');
    expect(
      validateSettings({ ...toForm(defaults), gpuLayersMode: 'manual', gpuLayers: '40' }, { layers: 32 })
        .gpuLayers,
    ).toBe('GPU layers must be between 0 and 32.');
  });
});
