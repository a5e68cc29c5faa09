/**
 * Cuts a message that cannot fit the model's context, keeping its beginning, and says so.
 * Room = context - chat template overhead (system prompt, role markers) - space for the answer.
 */
import type { LlamaModel } from 'node-llama-cpp';

/** Slack for the template tokens around a message and re-tokenization differences. */
const MARGIN_TOKENS = 32;

export interface FittedMessage {
  text: string;
  notice?: string;
}

export interface FitInputs {
  model: Pick<LlamaModel, 'tokenize' | 'detokenize'>;
  text: string;
  contextSize: number;
  overheadTokens: number;
  answerTokens: number;
}

export function messageRoom({
  contextSize,
  overheadTokens,
  answerTokens,
}: Omit<FitInputs, 'model' | 'text'>): number {
  return Math.max(1, contextSize - overheadTokens - answerTokens - MARGIN_TOKENS);
}

export function fitMessage(inputs: FitInputs): FittedMessage {
  const { model, text } = inputs;
  const room = messageRoom(inputs);
  const tokens = model.tokenize(text);
  if (tokens.length <= room) return { text };
  // A cut inside a multi-byte character leaves a replacement character: drop it.
  const kept = model.detokenize(tokens.slice(0, room)).replace(/\uFFFD+$/u, '');
  const format = (value: number) => value.toLocaleString('en-US');
  return {
    text: kept,
    notice:
      `Your message was too long for this model's context (${format(inputs.contextSize)} tokens), ` +
      `so only its beginning was sent: ${format(kept.length)} of ${format(text.length)} characters ` +
      `(${format(room)} of ${format(tokens.length)} tokens).`,
  };
}
