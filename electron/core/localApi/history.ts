/**
 * OpenAI chat messages as node-llama-cpp chat history. An assistant message's tool calls become
 * function calls in its model response, and each `tool` message fills in the result of the call
 * it answers (by tool_call_id), which is how node-llama-cpp represents a call and its result.
 */
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import { InvalidParameterError } from '../errors/index.js';
import type { ChatMessage } from './requests.js';

function textOf(content: ChatMessage['content'] | null | undefined, index: number): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, partIndex) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw new InvalidParameterError(
          `Only text content is supported (got a '${part.type}' part).`,
          `messages[${index}].content[${partIndex}]`,
        );
      }
      return part.text;
    })
    .join('');
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface MappedHistory {
  history: ChatHistoryItem[];
  /** The conversation ends with tool results: the model continues its own turn after them. */
  continuesAfterTools: boolean;
}

export function toChatHistory(messages: readonly ChatMessage[]): MappedHistory {
  const history: ChatHistoryItem[] = [];
  /** Calls awaiting a result, by the id the client gave them. */
  const calls = new Map<string, ChatModelFunctionCall>();
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        history.push({ type: 'system', text: textOf(message.content, index) });
        return;
      case 'user':
        history.push({ type: 'user', text: textOf(message.content, index) });
        return;
      case 'assistant': {
        const response: ChatModelResponse['response'] = [];
        const text = textOf(message.content, index);
        if (text) response.push(text);
        for (const call of message.tool_calls ?? []) {
          const functionCall: ChatModelFunctionCall = {
            type: 'functionCall',
            name: call.function.name,
            params: parseJsonOr(call.function.arguments),
            result: '',
          };
          calls.set(call.id, functionCall);
          response.push(functionCall);
        }
        history.push({ type: 'model', response });
        return;
      }
      case 'tool': {
        const call = calls.get(message.tool_call_id);
        if (!call) {
          throw new InvalidParameterError(
            `No assistant tool call has the id '${message.tool_call_id}'.`,
            `messages[${index}].tool_call_id`,
          );
        }
        call.result = parseJsonOr(textOf(message.content, index));
        return;
      }
    }
  });
  const last = history.at(-1);
  const continuesAfterTools =
    last?.type === 'model' &&
    last.response.some((item) => typeof item !== 'string' && item.type === 'functionCall');
  // The answer is generated into an empty model response (or continues the one with tool results).
  if (!continuesAfterTools) history.push({ type: 'model', response: [] });
  return { history, continuesAfterTools };
}
