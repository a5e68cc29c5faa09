/**
 * The grounding extension of the local API: `hearth: { collections: [...] }` on a chat completion
 * makes the answer retrieval-grounded, planned by the same Grounder as the desktop chat (same
 * retrieval, relevance filter, prompt framing, token budget and honest "nothing found" answer).
 * This module only adapts: it resolves the named collections, hands the Grounder the OpenAI
 * conversation and the API's model, puts the plan into the chat history, and shapes the sources
 * and citations for the response (snake_case, like the rest of the API).
 */
import type { ChatHistoryItem, LlamaChat } from 'node-llama-cpp';
import type { AttachedCollection, Grounding, GroundingSource } from '../../common/api/contract.js';
import { countHistoryTokens, DEFAULT_CONTEXT_POLICY } from '../chats/contextWindow.js';
import {
  CollectionNotFoundError,
  EmbeddingModelUnavailableError,
  InvalidParameterError,
} from '../errors/index.js';
import type { GroundingPlan, GroundingRequest } from '../grounding/Grounder.js';
import type { Turn } from '../grounding/question.js';
import type { LoadedModel } from '../inference/ModelHost.js';
import type { ChatCompletionRequest } from './requests.js';

/** What the API needs from the engine to ground an answer. */
export interface ApiGroundingDeps {
  /** A library collection by id or name (undefined: there is none). */
  findCollection(ref: string): { id: string; name: string } | undefined;
  /** Whether the library has an embedding model (retrieval needs one). */
  hasEmbedder(): boolean;
  /** The desktop chat's grounding planner (Grounder.plan). */
  plan(request: GroundingRequest): Promise<GroundingPlan>;
}

/** One source in a response, as `hearth.sources[i]`; `n` is the number the answer cites as [n]. */
export interface ApiSource {
  n: number;
  document_name: string;
  document_id: string;
  chunk_id: string;
  /** The file on this machine the passage comes from. */
  path: string;
  collection: string;
  collection_id: string;
  page?: number;
  heading_path: string[];
  text: string;
  /** [start, end) into the document's extracted text. */
  char_start: number;
  char_end: number;
  score: number;
}

export interface ApiGroundingInfo {
  /** 'passages', 'whole-document', or 'nothing-found' (the answer says so and cites nothing). */
  mode: Grounding['mode'];
  collections: string[];
  reranked: boolean;
  /** Relevant passages left out because the model's context could not hold them. */
  omitted_sources: number;
}

/**
 * Checks `hearth.collections` before the request queues: an embedding model is needed (503 when
 * there is none), and every collection must exist (404 naming the first unknown one).
 */
export function resolveCollections(
  request: ChatCompletionRequest,
  deps: ApiGroundingDeps | undefined,
): AttachedCollection[] | undefined {
  const refs = request.hearth?.collections;
  if (!refs) return undefined;
  if (!deps || !deps.hasEmbedder()) {
    throw new EmbeddingModelUnavailableError(
      "Grounded answers (hearth.collections) need the document library's embedding model, and none is set up " +
        '(set HEARTH_EMBED_MODEL, or put an embedding model in the models folder).',
    );
  }
  if (request.tools?.length && request.tool_choice !== 'none') {
    throw new InvalidParameterError(
      'hearth.collections cannot be combined with tools.',
      'hearth.collections',
    );
  }
  if (request.response_format && request.response_format.type !== 'text') {
    // The honest "nothing found" answer is plain text, which no JSON format would allow.
    throw new InvalidParameterError(
      'hearth.collections cannot be combined with a JSON response_format.',
      'hearth.collections',
    );
  }
  const collections: AttachedCollection[] = [];
  for (const [index, ref] of refs.entries()) {
    const found = deps.findCollection(ref);
    if (!found) {
      throw new CollectionNotFoundError(
        `The collection '${ref}' does not exist. 'hearth collections list' shows yours.`,
        `hearth.collections[${index}]`,
      );
    }
    if (!collections.some((c) => c.id === found.id))
      collections.push({ id: found.id, name: found.name, available: true, own: false });
  }
  return collections;
}

export interface GroundedTurn {
  plan: GroundingPlan;
  /** The history with the grounding instruction in the system prompt and the sources in the question. */
  history: ChatHistoryItem[];
}

/**
 * Plans the sources for the conversation's last user message and rewrites the history the model
 * sees, the way the desktop chat does (ChatService.planGrounding).
 */
export async function groundHistory(input: {
  deps: ApiGroundingDeps;
  collections: AttachedCollection[];
  history: ChatHistoryItem[];
  chat: LlamaChat;
  loaded: LoadedModel;
  contextSize: number;
  maxTokens: number;
  signal: AbortSignal;
}): Promise<GroundedTurn> {
  const { chat, loaded, contextSize, signal } = input;
  const history = [...input.history];
  // toChatHistory ends with the empty model response to write; the question is just before it.
  const questionIndex = history.length - 2;
  const question = history[questionIndex];
  if (question?.type !== 'user' || history.at(-1)?.type !== 'model') {
    throw new InvalidParameterError(
      'A grounded answer (hearth.collections) needs the conversation to end with a user message.',
      'messages',
    );
  }
  // toChatHistory writes system messages as plain text.
  const leadingSystem =
    history[0]?.type === 'system' && typeof history[0].text === 'string' ? history[0].text : undefined;
  const earlier: Turn[] = history.slice(0, questionIndex).flatMap((item): Turn[] => {
    if (item.type === 'user') return [{ role: 'user', text: item.text }];
    if (item.type === 'model') {
      const text = item.response.filter((part): part is string => typeof part === 'string').join('');
      return text ? [{ role: 'assistant', text }] : [];
    }
    return [];
  });
  const { model } = loaded;
  const plan = await input.deps.plan({
    question: question.text,
    earlier,
    collections: input.collections,
    systemPrompt: leadingSystem ?? '',
    contextSize,
    answerTokens: Math.min(input.maxTokens, Math.floor(contextSize * DEFAULT_CONTEXT_POLICY.answerShare)),
    countHistory: (items) => countHistoryTokens(items, chat.chatWrapper, model),
    tokenize: (text) => model.tokenize(text),
    cutToTokens: (text, tokens) =>
      model.detokenize(model.tokenize(text).slice(0, Math.max(0, tokens))).replace(/\uFFFD+$/u, ''),
    complete: async (items, options) => {
      const response = await chat.generateResponse(items, {
        maxTokens: options.maxTokens,
        signal: options.signal,
        stopOnAbortSignal: true,
      });
      options.signal.throwIfAborted();
      return response.response;
    },
    // The API has no progress channel; a client sees the sources when they are ready.
    progress: () => undefined,
    signal,
  });
  history[questionIndex] = { type: 'user', text: plan.userText };
  if (leadingSystem !== undefined) history[0] = { type: 'system', text: plan.systemPrompt };
  else history.unshift({ type: 'system', text: plan.systemPrompt });
  return { plan, history };
}

export function apiSources(
  sources: readonly GroundingSource[],
  collections: AttachedCollection[],
): ApiSource[] {
  const names = new Map(collections.map((c) => [c.id, c.name]));
  return sources.map((source) => ({
    n: source.n,
    document_name: source.documentName,
    document_id: source.documentId,
    chunk_id: source.chunkId,
    path: source.path,
    collection: names.get(source.collectionId) ?? source.collectionId,
    collection_id: source.collectionId,
    ...(source.page !== undefined ? { page: source.page } : {}),
    heading_path: source.headingPath,
    text: source.text,
    char_start: source.charStart,
    char_end: source.charEnd,
    score: source.score,
  }));
}

export function apiGroundingInfo(plan: GroundingPlan, collections: AttachedCollection[]): ApiGroundingInfo {
  return {
    mode: plan.grounding.mode,
    collections: collections.map((c) => c.name),
    reranked: plan.grounding.reranked,
    omitted_sources: plan.grounding.omittedSources,
  };
}
