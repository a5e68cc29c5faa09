/**
 * The per-model settings form as plain data: what the inputs hold (text, as typed), how it is checked
 * before it goes to the core, and how it becomes the contract's partial ModelSettings. The core checks
 * again (it knows the trained context length for sure); this gives the messages as the user types.
 */
import type { ModelSettings } from '../../../../electron/common/api/contract.js';

export interface SettingsForm {
  contextSize: string;
  /** 'auto' or a whole number of layers. */
  gpuLayersMode: 'auto' | 'manual';
  gpuLayers: string;
  temperature: string;
  topP: string;
  topK: string;
  minP: string;
  repeatPenalty: string;
  maxTokens: string;
  systemPrompt: string;
}

export type SettingsField = keyof SettingsForm;
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export interface SettingsLimits {
  /** The model's trained context length, when its header says. */
  trainedContext?: number;
  /** The model's layer count, when known. */
  layers?: number;
}

export function toForm(settings: ModelSettings): SettingsForm {
  return {
    contextSize: settings.contextSize === 'auto' ? '' : String(settings.contextSize),
    gpuLayersMode: settings.gpuLayers === 'auto' ? 'auto' : 'manual',
    gpuLayers: settings.gpuLayers === 'auto' ? '' : String(settings.gpuLayers),
    temperature: String(settings.temperature),
    topP: String(settings.topP),
    topK: String(settings.topK),
    minP: String(settings.minP),
    repeatPenalty: String(settings.repeatPenalty),
    maxTokens: String(settings.maxTokens),
    systemPrompt: settings.systemPrompt,
  };
}

function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function checkRange(
  text: string,
  { min, max, integer, name }: { min: number; max: number; integer?: boolean; name: string },
): string | null {
  const value = parseNumber(text);
  if (value === null) return `${name} must be a number.`;
  if (integer && !Number.isInteger(value)) return `${name} must be a whole number.`;
  if (value < min || value > max) return `${name} must be between ${min} and ${max.toLocaleString('en-US')}.`;
  return null;
}

/** Messages keyed by field; empty when the form can be saved. */
export function validateSettings(form: SettingsForm, limits: SettingsLimits = {}): SettingsErrors {
  const errors: SettingsErrors = {};
  const add = (field: SettingsField, message: string | null) => {
    if (message) errors[field] = message;
  };

  if (form.contextSize.trim() !== '') {
    const maxContext = limits.trainedContext ?? 1_048_576;
    const value = parseNumber(form.contextSize);
    if (value !== null && limits.trainedContext && value > limits.trainedContext) {
      add(
        'contextSize',
        `This model was trained for at most ${limits.trainedContext.toLocaleString('en-US')} tokens of context.`,
      );
    } else {
      add(
        'contextSize',
        checkRange(form.contextSize, { min: 256, max: maxContext, integer: true, name: 'Context size' }),
      );
    }
  }
  if (form.gpuLayersMode === 'manual') {
    add(
      'gpuLayers',
      checkRange(form.gpuLayers, { min: 0, max: limits.layers ?? 10_000, integer: true, name: 'GPU layers' }),
    );
  }
  const temperature = parseNumber(form.temperature);
  if (temperature !== null && temperature < 0) add('temperature', 'Temperature cannot be negative.');
  else add('temperature', checkRange(form.temperature, { min: 0, max: 2, name: 'Temperature' }));
  add('topP', checkRange(form.topP, { min: 0, max: 1, name: 'Top-p' }));
  add('topK', checkRange(form.topK, { min: 0, max: 1000, integer: true, name: 'Top-k' }));
  add('minP', checkRange(form.minP, { min: 0, max: 1, name: 'Min-p' }));
  add('repeatPenalty', checkRange(form.repeatPenalty, { min: 1, max: 2, name: 'Repeat penalty' }));
  add(
    'maxTokens',
    checkRange(form.maxTokens, { min: 1, max: 32_768, integer: true, name: 'Max answer tokens' }),
  );
  if (form.systemPrompt.length > 100_000)
    add('systemPrompt', 'The system prompt is too long (100,000 characters at most).');
  return errors;
}

/** The form as the contract's settings; call only when `validateSettings` found nothing. */
export function fromForm(form: SettingsForm): Omit<ModelSettings, 'loras'> {
  const number = (text: string) => Number(text.trim());
  return {
    contextSize: form.contextSize.trim() === '' ? 'auto' : number(form.contextSize),
    gpuLayers: form.gpuLayersMode === 'auto' ? 'auto' : number(form.gpuLayers),
    temperature: number(form.temperature),
    topP: number(form.topP),
    topK: number(form.topK),
    minP: number(form.minP),
    repeatPenalty: number(form.repeatPenalty),
    maxTokens: number(form.maxTokens),
    systemPrompt: form.systemPrompt,
  };
}
