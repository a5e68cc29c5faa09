/**
 * OpenAI sampling parameters as node-llama-cpp generation options. What a request leaves out
 * comes from the model's own settings (Models screen), as in the desktop chat.
 */
import type { LLamaContextualRepeatPenalty } from 'node-llama-cpp';
import type { ModelSettings } from '../../common/api/contract.js';
import type { CompletionRequest, ChatCompletionRequest } from './requests.js';

export interface GenerationOptions {
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  seed?: number;
  maxTokens: number;
  repeatPenalty?: false | LLamaContextualRepeatPenalty;
  customStopTriggers?: string[];
}

export function generationOptions(
  request: ChatCompletionRequest | CompletionRequest,
  settings: ModelSettings | undefined,
  contextSize: number,
): GenerationOptions {
  const requested =
    ('max_completion_tokens' in request ? request.max_completion_tokens : undefined) ?? request.max_tokens;
  // Without a limit a model that never ends its answer would run until the context is full.
  const maxTokens = Math.min(requested ?? Math.floor(contextSize / 2), contextSize);
  const presencePenalty = request.presence_penalty ?? 0;
  const frequencyPenalty = request.frequency_penalty ?? 0;
  const penalty = settings?.repeatPenalty ?? 1;
  const stop = request.stop === null || request.stop === undefined ? [] : [request.stop].flat();
  return {
    temperature: request.temperature ?? settings?.temperature,
    topP: request.top_p ?? settings?.topP,
    ...(settings ? { topK: settings.topK, minP: settings.minP } : {}),
    ...(request.seed !== undefined && request.seed !== null ? { seed: request.seed } : {}),
    maxTokens,
    repeatPenalty:
      presencePenalty || frequencyPenalty || penalty !== 1
        ? { penalty, presencePenalty, frequencyPenalty }
        : false,
    ...(stop.filter(Boolean).length ? { customStopTriggers: stop.filter(Boolean) } : {}),
  };
}
