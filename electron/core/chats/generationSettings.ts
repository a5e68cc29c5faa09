/**
 * The settings one answer is generated with, from the two places a user sets them: the
 * conversation (copied from its preset) and the loaded model's own settings (Models screen).
 *
 * A preset value the user changed from the defaults wins, as it was chosen for this kind of chat;
 * otherwise the model's value applies. The model's defaults equal the preset defaults, so an
 * untouched model changes nothing. A model's answer limit is kept within half the context. Both
 * system prompts are kept: the model's first (often what the model needs to behave), then the
 * conversation's. Repeat penalty exists only per model.
 */
import type { ModelSettings, SamplingSettings } from '../../common/api/contract.js';
import { DEFAULT_SAMPLING } from './PresetStore.js';

export type SamplingOptions = Omit<SamplingSettings, 'maxTokens'>;

export interface GenerationSettings {
  sampling: SamplingOptions;
  /** The answer's token limit. */
  maxTokens: number;
  /** The limit the user chose (preset or model), as recorded with the answer; null: none. */
  chosenMaxTokens: number | null;
  /** 1 is off. */
  repeatPenalty: number;
  systemPrompt: string;
}

const samplingKeys = ['temperature', 'topK', 'topP', 'minP'] as const;

export function generationSettings(input: {
  conversation: { settings: SamplingSettings; systemPrompt: string };
  /** The loaded model's settings; absent for a model loaded by path (the CLI's --model). */
  model?: ModelSettings;
  /** Overrides everything (tests, the CLI). */
  override?: Partial<SamplingOptions>;
  contextSize: number;
}): GenerationSettings {
  const { conversation, model, override } = input;
  // Without a limit a model that never emits end-of-generation would run forever.
  const half = Math.floor(input.contextSize / 2);
  const sampling = {} as SamplingOptions;
  for (const key of samplingKeys) {
    const chosen = conversation.settings[key];
    sampling[key] = model && chosen === DEFAULT_SAMPLING[key] ? model[key] : chosen;
  }
  Object.assign(sampling, override);
  const systemPrompt = [model?.systemPrompt.trim() ?? '', conversation.systemPrompt.trim()]
    .filter((part) => part !== '')
    .join('\n\n');
  return {
    sampling,
    maxTokens: conversation.settings.maxTokens ?? Math.min(model?.maxTokens ?? half, half),
    chosenMaxTokens: conversation.settings.maxTokens ?? model?.maxTokens ?? null,
    repeatPenalty: model?.repeatPenalty ?? 1,
    systemPrompt,
  };
}
