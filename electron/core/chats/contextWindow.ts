/**
 * Fits a conversation into the model's context by one rule: the system prompt and the newest
 * message always stay; older turns are dropped whole, oldest first, until the rest leaves room
 * for the answer. The newest message itself is cut (keeping its beginning) only when it alone
 * cannot fit. The stored conversation is never changed; only what the model sees.
 */
import type { ChatHistoryItem, ChatWrapper, LlamaModel } from 'node-llama-cpp';
import { fitMessage } from './fitMessage.js';

export interface ContextPolicy {
  /** Share of the context kept free for the answer (capped by the answer's own limit). */
  answerShare: number;
}

export const DEFAULT_CONTEXT_POLICY: ContextPolicy = { answerShare: 0.25 };

/** Slack for re-tokenization differences. */
const MARGIN_TOKENS = 32;

export interface FitHistoryInputs {
  /** [system, ...turns, user, model]: the last model item is the answer to write (empty, or partial to continue). */
  history: ChatHistoryItem[];
  chatWrapper: ChatWrapper;
  model: Pick<LlamaModel, 'tokenize' | 'detokenize' | 'tokenizer'>;
  contextSize: number;
  /** The answer's token limit. */
  maxTokens: number;
  policy?: ContextPolicy;
}

export interface FittedHistory {
  history: ChatHistoryItem[];
  /** Older messages left out. */
  droppedMessages: number;
  /** Tokens of the fitted history as the template renders it. */
  tokens: number;
  notice?: string;
}

export function countHistoryTokens(
  history: ChatHistoryItem[],
  chatWrapper: ChatWrapper,
  model: Pick<LlamaModel, 'tokenizer'>,
): number {
  return chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer)
    .length;
}

const format = (value: number) => value.toLocaleString('en-US');

export function fitHistory(inputs: FitHistoryInputs): FittedHistory {
  const { chatWrapper, model, contextSize } = inputs;
  const policy = inputs.policy ?? DEFAULT_CONTEXT_POLICY;
  const answerTokens = Math.min(inputs.maxTokens, Math.floor(contextSize * policy.answerShare));
  const budget = Math.max(1, contextSize - answerTokens - MARGIN_TOKENS);
  const count = (history: ChatHistoryItem[]) => countHistoryTokens(history, chatWrapper, model);

  const [system, ...rest] = inputs.history;
  const hasSystem = system?.type === 'system';
  const head = hasSystem ? [system] : [];
  const items = hasSystem ? rest : inputs.history;
  // The newest user message and the answer after it always stay.
  const lastUser = items.findLastIndex((item) => item.type === 'user');
  const keptTail = lastUser >= 0 ? items.slice(lastUser) : items.slice(-1);
  const older = lastUser >= 0 ? items.slice(0, lastUser) : items.slice(0, -1);

  const withOlder = (dropped: number) => {
    let start = dropped;
    // A turn starts with the user: never leave an answer without its question.
    while (start < older.length && older[start]?.type !== 'user') start++;
    return [...head, ...older.slice(start), ...keptTail];
  };

  const full = [...head, ...older, ...keptTail];
  const fullTokens = count(full);
  let notice: string | undefined;
  let fitted = full;
  let tokens = fullTokens;
  if (fullTokens > budget) {
    // The fewest older messages to drop: dropping more never makes the history longer.
    let low = 1;
    let high = older.length;
    let best = older.length;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (count(withOlder(middle)) <= budget) {
        best = middle;
        high = middle - 1;
      } else low = middle + 1;
    }
    fitted = withOlder(best);
    tokens = count(fitted);
  }
  const droppedMessages = full.length - fitted.length;
  if (droppedMessages > 0) {
    notice =
      `This conversation is longer than the model's context (${format(contextSize)} tokens), so its ` +
      `${format(droppedMessages)} oldest message${droppedMessages === 1 ? ' was' : 's were'} left out of this answer.`;
  }

  if (tokens > budget) {
    // Even alone the newest message does not fit: keep its beginning.
    const userIndex = fitted.findLastIndex((item) => item.type === 'user');
    const user = fitted[userIndex];
    if (user?.type === 'user') {
      const withoutUser = [...fitted];
      withoutUser[userIndex] = { type: 'user', text: '' };
      const cut = fitMessage({
        model,
        text: user.text,
        contextSize,
        overheadTokens: count(withoutUser),
        answerTokens,
      });
      if (cut.notice) {
        withoutUser[userIndex] = { type: 'user', text: cut.text };
        fitted = withoutUser;
        tokens = count(fitted);
        notice = notice ? `${cut.notice} ${notice}` : cut.notice;
      }
    }
  }
  return { history: fitted, droppedMessages, tokens, ...(notice ? { notice } : {}) };
}
