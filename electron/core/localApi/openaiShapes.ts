/**
 * The response objects of the OpenAI API, built as plain data (the transport only serializes
 * them). Field order and nulls follow OpenAI's own responses, so strict clients parse them.
 */
import type { ApiGroundingInfo, ApiSource } from './grounding.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls';

/**
 * Hearth's grounding extension on a response (only when the request named `hearth.collections`).
 * A completion carries all of it; a stream sends `grounding` and `sources` on its first chunk
 * (before any text) and `citations` on the chunk with the finish reason.
 */
export interface HearthGroundedFields {
  grounding?: ApiGroundingInfo;
  sources?: ApiSource[];
  /** The [n] numbers the answer cites that match a source, in order of first use. */
  citations?: number[];
  /** Why some sources or collections were left out, when that happened. */
  notice?: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: 0;
    message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: ToolCall[] };
    logprobs: null;
    finish_reason: FinishReason;
  }[];
  usage: Usage;
  hearth?: HearthGroundedFields;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: 0;
    delta: {
      role?: 'assistant';
      content?: string | null;
      tool_calls?: (ToolCall & { index: number })[];
    };
    logprobs: null;
    finish_reason: FinishReason | null;
  }[];
  usage?: Usage | null;
  hearth?: HearthGroundedFields;
}

export interface TextCompletion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: { text: string; index: 0; logprobs: null; finish_reason: FinishReason | null }[];
  usage?: Usage | null;
}

export interface EmbeddingList {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export interface ModelList {
  object: 'list';
  data: ModelObject[];
}

export function usageOf(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** A vector as OpenAI's base64 encoding: little-endian float32 bytes. */
export function base64Vector(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}
