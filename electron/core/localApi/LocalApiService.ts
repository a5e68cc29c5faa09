/**
 * The local OpenAI-compatible API, without HTTP: OpenAI requests in, OpenAI objects out, on the
 * engine's model host. A transport (electron/localApi-server) parses bodies, checks the key and
 * streams the chunks this service hands it.
 *
 * - `model` names an installed model; it is loaded on demand when none is loaded, and another
 *   model replaces the app's loaded one only when the switch policy allows it.
 * - Requests queue per model (RequestQueue: one runs, a bounded number wait, the rest get 429).
 * - They run on the API's own context beside the desktop chat's (see ApiModelSlot).
 * - The client's AbortSignal (a closed connection) stops its generation.
 * - `hearth.collections` grounds a chat answer in library collections (see grounding.ts).
 */
import { randomUUID } from 'node:crypto';
import {
  LlamaChat,
  LlamaCompletion,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContextSequence,
  type LlamaGrammar,
} from 'node-llama-cpp';
import type {
  LocalApiLogEntry,
  LocalApiSettings,
  LocalApiState,
  ModelEntry,
  ModelStatus,
} from '../../common/api/contract.js';
import { HearthError } from '../../common/api/errors.js';
import {
  CancelledError,
  EmbeddingModelUnavailableError,
  InvalidParameterError,
  ModelBusyError,
  ModelNotFoundError,
} from '../errors/index.js';
import type { LoadedModel } from '../inference/ModelHost.js';
import type { Embedder } from '../library/embed/Embedder.js';
import { ApiModelSlot, MODEL_WENT_AWAY, type ApiSequence } from './ApiModelSlot.js';
import { parseCitations } from '../grounding/citations.js';
import {
  apiGroundingInfo,
  apiSources,
  groundHistory,
  resolveCollections,
  type ApiGroundingDeps,
} from './grounding.js';
import { toChatHistory } from './history.js';
import type { LocalApiSettingsStore } from './LocalApiSettingsStore.js';
import {
  base64Vector,
  usageOf,
  type ChatCompletion,
  type ChatCompletionChunk,
  type EmbeddingList,
  type FinishReason,
  type HearthGroundedFields,
  type ModelList,
  type TextCompletion,
  type ToolCall,
  type Usage,
} from './openaiShapes.js';
import { RequestLog } from './RequestLog.js';
import { RequestQueue } from './RequestQueue.js';
import {
  ChatCompletionRequest,
  CompletionRequest,
  EmbeddingRequest,
  parseRequest,
  refuseUnsupported,
  type Tool,
} from './requests.js';
import { generationOptions } from './sampling.js';

export interface LocalApiDeps {
  settings: LocalApiSettingsStore;
  host: { readonly loaded: LoadedModel | null; status(): ModelStatus };
  listModels: () => Promise<ModelEntry[]>;
  /** Loads an installed model as the app's model (the same path as `models.load`). */
  loadModel: (modelId: string, signal: AbortSignal) => Promise<void>;
  /** Whether the desktop chat is writing an answer now. */
  chatBusy: () => boolean;
  /** Keeps the idle unloader off while a request runs. */
  holdModel: <T>(work: () => Promise<T>) => Promise<T>;
  /** The document library's embedding model, when one is configured. */
  embedder: () => Embedder | undefined;
  runtime: () => Promise<Llama>;
  /** Settings or server state changed; a request was answered. */
  onChanged: (state: LocalApiState) => void;
  onRequest: (entry: LocalApiLogEntry) => void;
  /** Grounded answers (`hearth.collections`), planned by the desktop chat's Grounder. */
  grounding?: ApiGroundingDeps;
  /** A front's fixed overrides for this run (`hearth serve --api --api-key K --api-port N`). */
  overrides?: { enabled?: boolean; port?: number; key?: string };
  now?: () => number;
}

export type ServerState = LocalApiState['server'];

/** What a finished request reports for the log. */
export interface RequestSummary {
  model: string;
  usage: Usage;
}

export type ChunkSink<C> = (chunk: C) => void;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(address: string): boolean {
  return LOOPBACK.has(address) || address.startsWith('127.');
}

export class LocalApiService {
  private readonly queue: RequestQueue;
  private readonly slot = new ApiModelSlot();
  private readonly log = new RequestLog();
  private server: ServerState = { state: 'off' };
  private overrides: NonNullable<LocalApiDeps['overrides']>;
  private readonly now: () => number;

  constructor(private readonly deps: LocalApiDeps) {
    this.queue = new RequestQueue(() => deps.settings.settings.queueLimit);
    this.overrides = deps.overrides ?? {};
    this.now = deps.now ?? Date.now;
  }

  // ---- settings, key, state, log -----------------------------------------------------------------

  /** The settings in effect: the stored ones with this run's overrides. */
  effectiveSettings(): LocalApiSettings {
    const settings = this.deps.settings.settings;
    return {
      ...settings,
      ...(this.overrides.enabled !== undefined ? { enabled: this.overrides.enabled } : {}),
      ...(this.overrides.port !== undefined ? { port: this.overrides.port } : {}),
    };
  }

  get key(): string {
    return this.overrides.key ?? this.deps.settings.key;
  }

  setOverrides(overrides: NonNullable<LocalApiDeps['overrides']>): void {
    this.overrides = { ...overrides };
    this.changed();
  }

  state(): LocalApiState {
    const settings = this.effectiveSettings();
    return {
      settings,
      key: this.key,
      server: { ...this.server },
      ...(isLoopback(settings.bindAddress)
        ? {}
        : {
            warning:
              `The API listens on ${settings.bindAddress}: other machines on your network can reach it. ` +
              'Anyone with the key can use your models.',
          }),
    };
  }

  async set(patch: Partial<LocalApiSettings>): Promise<LocalApiState> {
    await this.deps.settings.set(patch);
    // A setting the user changes wins over this run's override of it.
    for (const name of ['enabled', 'port'] as const) if (name in patch) delete this.overrides[name];
    this.changed();
    return this.state();
  }

  async regenerateKey(): Promise<LocalApiState> {
    await this.deps.settings.regenerateKey();
    delete this.overrides.key;
    this.changed();
    return this.state();
  }

  /** The transport reports what its server is doing. */
  reportServer(server: ServerState): void {
    this.server = { ...server };
    this.changed();
  }

  logEntries(): LocalApiLogEntry[] {
    return this.log.list();
  }

  record(entry: Omit<LocalApiLogEntry, 'id'>): void {
    const full = { id: randomUUID(), ...entry };
    this.log.add(full);
    this.deps.onRequest(full);
  }

  private changed(): void {
    this.deps.onChanged(this.state());
  }

  /** Stops API work on the loaded model and frees the API's context (the model is going away). */
  release(): Promise<void> {
    return this.slot.release();
  }

  // ---- models ------------------------------------------------------------------------------------

  async listModels(): Promise<ModelList> {
    const entries = await this.deps.listModels();
    const data = entries
      .filter((entry) => entry.usable && entry.kind !== 'adapter')
      .map((entry) => ({ id: entry.id, object: 'model' as const, created: 0, owned_by: 'hearth' }));
    const embedding = await this.embeddingModelName();
    if (embedding && !data.some((model) => model.id === embedding)) {
      data.push({ id: embedding, object: 'model', created: 0, owned_by: 'hearth' });
    }
    return { object: 'list', data };
  }

  private async resolveModel(name: string): Promise<string> {
    const entries = await this.deps.listModels();
    const entry = entries.find(
      (candidate) =>
        candidate.usable &&
        candidate.kind !== 'adapter' &&
        (candidate.id === name || candidate.id.replace(/\.gguf$/i, '') === name),
    );
    if (!entry) {
      throw new ModelNotFoundError(
        `The model '${name}' does not exist. GET /v1/models lists the installed ones.`,
      );
    }
    return entry.id;
  }

  private async ensureLoaded(modelId: string, signal: AbortSignal): Promise<LoadedModel> {
    const status = this.deps.host.status();
    if (status.state === 'loading') {
      throw new ModelBusyError(`The model ${status.modelId} is loading. Try again in a moment.`);
    }
    const loaded = this.deps.host.loaded;
    if (loaded?.id === modelId) return loaded;
    if (loaded) {
      if (this.deps.settings.settings.switchPolicy === 'never') {
        throw new ModelBusyError(
          `The app has ${loaded.id} loaded and the API may not switch models ` +
            '(Settings > Local API). Ask for that model, or allow switching when idle.',
        );
      }
      if (this.deps.chatBusy() || this.queue.busyElsewhere(modelId)) {
        throw new ModelBusyError(`${loaded.id} is in use; the API switches models only when it is idle.`);
      }
    }
    await this.deps.loadModel(modelId, signal);
    const now = this.deps.host.loaded;
    if (now?.id !== modelId)
      throw new ModelBusyError(`The model ${modelId} could not be made ready. Try again.`);
    return now;
  }

  /** Queues `work` on `modelId`'s lane, with the model loaded and the API's sequence ready. */
  private onModel<T>(
    modelId: string,
    signal: AbortSignal,
    work: (api: ApiSequence) => Promise<T>,
  ): Promise<T> {
    return this.queue.run(
      modelId,
      () =>
        this.deps.holdModel(async () => {
          const loaded = await this.ensureLoaded(modelId, signal);
          if (signal.aborted) throw new CancelledError('The client went away.');
          return this.slot.use(loaded, signal, work);
        }),
      signal,
    );
  }

  // ---- chat completions --------------------------------------------------------------------------

  /**
   * `POST /v1/chat/completions`. Streaming (`stream: true`) sends every chunk to `onChunk` (the
   * usage chunk last when asked for) and resolves with the summary; otherwise resolves with the
   * completion.
   */
  async chatCompletions(
    body: unknown,
    onChunk: ChunkSink<ChatCompletionChunk> | undefined,
    signal: AbortSignal,
  ): Promise<RequestSummary & { completion?: ChatCompletion }> {
    const request = parseRequest(ChatCompletionRequest, body);
    refuseUnsupported(request);
    const toolChoice = checkTools(request);
    if (toolChoice.mode !== 'none' && request.response_format && request.response_format.type !== 'text') {
      throw new InvalidParameterError(
        'response_format cannot be combined with tools here.',
        'response_format',
      );
    }
    const modelId = await this.resolveModel(request.model);
    // Grounding: unknown collections and a missing embedding model are refused before queueing.
    const collections = resolveCollections(request, this.deps.grounding);
    const llama = await this.deps.runtime();
    // Grammars are built before queueing, so a bad schema is refused at once.
    const grammar = await this.grammarFor(llama, request, toolChoice);
    return this.onModel(modelId, signal, async (api) => {
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(this.now() / 1000);
      const stream = request.stream === true ? onChunk : undefined;
      const includeUsage = request.stream_options?.include_usage === true;
      const chunk = (
        delta: ChatCompletionChunk['choices'][0]['delta'],
        finish: FinishReason | null = null,
      ): ChatCompletionChunk => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model: request.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      });
      const completion = (
        content: string | null,
        finish: FinishReason,
        usage: Usage,
        extra: { toolCalls?: ToolCall[]; hearth?: HearthGroundedFields } = {},
      ): ChatCompletion => ({
        id,
        object: 'chat.completion',
        created,
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content,
              refusal: null,
              ...(extra.toolCalls ? { tool_calls: extra.toolCalls } : {}),
            },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage,
        ...(extra.hearth ? { hearth: extra.hearth } : {}),
      });
      let { history } = toChatHistory(request.messages);
      if (toolChoice.mode === 'forced')
        history.splice(-1, 0, { type: 'system', text: forcedToolPrompt(toolChoice.tools) });
      const functions = toolChoice.mode === 'auto' ? toFunctions(toolChoice.tools) : undefined;
      const options = generationOptions(request, api.loaded.settings, api.contextSize);
      const chat = this.chatFor(api.sequence);
      // Grounded answers: the sources go into the question, as in the desktop chat.
      let grounded: HearthGroundedFields | undefined;
      let groundedSources: { n: number }[] = [];
      let fixedAnswer: string | undefined;
      if (collections && this.deps.grounding) {
        const turn = await groundHistory({
          deps: this.deps.grounding,
          collections,
          history,
          chat,
          loaded: api.loaded,
          contextSize: api.contextSize,
          maxTokens: options.maxTokens,
          signal: api.signal,
        }).catch((error: unknown) => {
          if (api.signal.aborted && !signal.aborted) throw modelWentAway();
          throw error;
        });
        history = turn.history;
        groundedSources = turn.plan.sources;
        fixedAnswer = turn.plan.fixedAnswer;
        grounded = {
          grounding: apiGroundingInfo(turn.plan, collections),
          sources: apiSources(turn.plan.sources, collections),
          ...(turn.plan.notice ? { notice: turn.plan.notice } : {}),
        };
      }
      const first = chunk({ role: 'assistant', content: '' });
      const finishChunk = (finish: FinishReason, content: string | null): ChatCompletionChunk => ({
        ...chunk({}, finish),
        ...(grounded ? { hearth: { citations: citationsIn(content, groundedSources) } } : {}),
      });
      if (fixedAnswer !== undefined) {
        // Nothing relevant was found: the app answers by itself and the model is not asked.
        const usage = usageOf(0, 0);
        if (stream) {
          stream({ ...first, ...(grounded ? { hearth: grounded } : {}) });
          stream(chunk({ content: fixedAnswer }));
          stream(finishChunk('stop', fixedAnswer));
          if (includeUsage) stream({ ...chunk({}), choices: [], usage });
          return { model: request.model, usage };
        }
        return {
          model: request.model,
          usage,
          completion: completion(fixedAnswer, 'stop', usage, { hearth: { ...grounded, citations: [] } }),
        };
      }
      const promptTokens = countPromptTokens(chat, history, functions);
      checkFits(promptTokens, api.contextSize, 'messages');
      {
        const before = api.sequence.tokenMeter.getState();
        stream?.({ ...first, ...(grounded ? { hearth: grounded } : {}) });
        const streamText = toolChoice.mode !== 'forced' && stream;
        const common = {
          ...options,
          signal: api.signal,
          stopOnAbortSignal: true,
          ...(streamText ? { onTextChunk: (text: string) => text && stream(chunk({ content: text })) } : {}),
        };
        const result = functions
          ? await chat.generateResponse(history, {
              ...common,
              functions,
              documentFunctionParams: true,
              ...(request.parallel_tool_calls === false ? { maxParallelFunctionCalls: 1 } : {}),
            })
          : await chat.generateResponse(history, {
              ...common,
              ...(grammar ? { grammar } : {}),
            });
        if (api.signal.aborted && !signal.aborted) throw modelWentAway();
        const completionTokens = api.sequence.tokenMeter.diff(before).usedOutputTokens;
        const usage = usageOf(promptTokens, completionTokens);

        let content: string | null = result.response;
        let toolCalls: ToolCall[] | undefined;
        let finish: FinishReason = result.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
        // Grammar output that is complete JSON is a complete answer, even if the limit was hit
        // while the grammar still allowed trailing whitespace.
        const json = grammar ? parseJson(result.response) : undefined;
        if (json !== undefined) {
          finish = 'stop';
          content = result.response.trim();
        }
        if (toolChoice.mode === 'forced' && json !== undefined) {
          // The grammar made it JSON of this shape.
          const call = json as { name: string; arguments: unknown };
          toolCalls = [toolCallOf(call.name, call.arguments)];
        } else if (result.functionCalls?.length) {
          toolCalls = result.functionCalls.map((call) => toolCallOf(call.functionName, call.params ?? {}));
        }
        if (toolCalls) {
          content = toolChoice.mode === 'forced' ? null : content || null;
          finish = 'tool_calls';
        }
        if (stream) {
          if (toolCalls) stream(chunk({ tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }));
          if (toolChoice.mode === 'forced' && !toolCalls && content) stream(chunk({ content }));
          stream(finishChunk(finish, content));
          if (includeUsage) stream({ ...chunk({}), choices: [], usage });
          return { model: request.model, usage };
        }
        return {
          model: request.model,
          usage,
          completion: completion(content, finish, usage, {
            ...(toolCalls ? { toolCalls } : {}),
            ...(grounded
              ? { hearth: { ...grounded, citations: citationsIn(content, groundedSources) } }
              : {}),
          }),
        };
      }
    });
  }

  /**
   * One LlamaChat per API sequence, kept between requests: creating one resolves the model's chat
   * template each time (measured: ~0.5 s per request with the test model's Jinja template).
   */
  private readonly chats = new WeakMap<LlamaContextSequence, LlamaChat>();
  private chatFor(sequence: LlamaContextSequence): LlamaChat {
    let chat = this.chats.get(sequence);
    if (!chat || chat.disposed) {
      chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
      this.chats.set(sequence, chat);
    }
    return chat;
  }

  private async grammarFor(
    llama: Llama,
    request: ChatCompletionRequest,
    toolChoice: ToolChoicePlan,
  ): Promise<LlamaGrammar | undefined> {
    if (toolChoice.mode === 'forced') {
      return jsonSchemaGrammar(llama, toolCallSchema(toolChoice.tools), 'tools');
    }
    const format = request.response_format;
    if (!format || format.type === 'text') return undefined;
    if (format.type === 'json_object') return llama.getGrammarFor('json');
    if (!format.json_schema.schema) return llama.getGrammarFor('json');
    return jsonSchemaGrammar(llama, format.json_schema.schema, 'response_format.json_schema.schema');
  }

  // ---- text completions --------------------------------------------------------------------------

  async completions(
    body: unknown,
    onChunk: ChunkSink<TextCompletion> | undefined,
    signal: AbortSignal,
  ): Promise<RequestSummary & { completion?: TextCompletion }> {
    const request = parseRequest(CompletionRequest, body);
    refuseUnsupported(request);
    const modelId = await this.resolveModel(request.model);
    const prompt = typeof request.prompt === 'string' ? request.prompt : request.prompt[0]!;
    return this.onModel(modelId, signal, async (api) => {
      const id = `cmpl-${randomUUID()}`;
      const created = Math.floor(this.now() / 1000);
      const stream = request.stream === true ? onChunk : undefined;
      const includeUsage = request.stream_options?.include_usage === true;
      const chunk = (text: string, finish: FinishReason | null = null): TextCompletion => ({
        id,
        object: 'text_completion',
        created,
        model: request.model,
        choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      });
      const promptTokens = api.loaded.model.tokenize(prompt).length;
      checkFits(promptTokens, api.contextSize, 'prompt');
      const completion = new LlamaCompletion({ contextSequence: api.sequence });
      try {
        const before = api.sequence.tokenMeter.getState();
        const options = generationOptions(request, api.loaded.settings, api.contextSize);
        const result = await completion.generateCompletionWithMeta(prompt, {
          ...options,
          signal: api.signal,
          stopOnAbortSignal: true,
          ...(stream ? { onTextChunk: (text: string) => text && stream(chunk(text)) } : {}),
        });
        if (api.signal.aborted && !signal.aborted) throw modelWentAway();
        const usage = usageOf(promptTokens, api.sequence.tokenMeter.diff(before).usedOutputTokens);
        const finish: FinishReason = result.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
        if (stream) {
          stream(chunk('', finish));
          if (includeUsage) stream({ ...chunk(''), choices: [], usage });
          return { model: request.model, usage };
        }
        return { model: request.model, usage, completion: { ...chunk(result.response, finish), usage } };
      } finally {
        completion.dispose({ disposeSequence: false });
      }
    });
  }

  // ---- embeddings --------------------------------------------------------------------------------

  private async embeddingModelName(): Promise<string | undefined> {
    const embedder = this.deps.embedder();
    if (!embedder) return undefined;
    try {
      return (await embedder.info()).name;
    } catch {
      return undefined;
    }
  }

  async embeddings(body: unknown, signal: AbortSignal): Promise<RequestSummary & { list: EmbeddingList }> {
    const request = parseRequest(EmbeddingRequest, body);
    const embedder = this.deps.embedder();
    if (!embedder) {
      throw new EmbeddingModelUnavailableError(
        'No embedding model is set up (the document library uses HEARTH_EMBED_MODEL or an embedding model in the models folder).',
      );
    }
    const info = await embedder.info();
    if (request.model !== info.name && request.model !== info.name.replace(/\.gguf$/i, '')) {
      throw new ModelNotFoundError(
        `The model '${request.model}' is not the embedding model. Use '${info.name}' (the library's embedding model).`,
      );
    }
    if (request.dimensions !== undefined && request.dimensions !== info.dimension) {
      throw new InvalidParameterError(
        `${info.name} gives ${info.dimension} dimensions; other sizes are not supported.`,
        'dimensions',
      );
    }
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    const limit = await embedder.maxTokens();
    let promptTokens = 0;
    for (const [index, text] of inputs.entries()) {
      const tokens = await embedder.countTokens(text);
      if (tokens > limit - 2) {
        throw new InvalidParameterError(
          `input[${index}] is ${tokens} tokens; ${info.name} embeds at most ${limit - 2}.`,
          'input',
        );
      }
      promptTokens += tokens;
    }
    const vectors = await this.queue.run(
      `embeddings:${info.name}`,
      () => embedder.embed(inputs, signal),
      signal,
    );
    const base64 = request.encoding_format === 'base64';
    return {
      model: request.model,
      usage: usageOf(promptTokens, 0),
      list: {
        object: 'list',
        data: vectors.map((vector, index) => ({
          object: 'embedding',
          index,
          embedding: base64 ? base64Vector(vector) : vector,
        })),
        model: request.model,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      },
    };
  }
}

/** Refuses a prompt the API's context cannot hold (rather than silently dropping its start). */
function checkFits(promptTokens: number, contextSize: number, param: string): void {
  if (promptTokens >= contextSize) {
    throw new InvalidParameterError(
      `This prompt is ${promptTokens} tokens; the model's context here holds ${contextSize}. Shorten it.`,
      param,
    );
  }
}

/** The app unloaded or switched its model under a running request: a 503, try again. */
function modelWentAway(): ModelBusyError {
  return new ModelBusyError(MODEL_WENT_AWAY);
}

/** The answer's [n] citations that match a source given for it. */
function citationsIn(content: string | null, sources: readonly { n: number }[]): number[] {
  return content ? parseCitations(content, sources) : [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---- tools ---------------------------------------------------------------------------------------

type ToolChoicePlan =
  | { mode: 'none' }
  /** The model may call a tool (node-llama-cpp function calling). */
  | { mode: 'auto'; tools: Tool[] }
  /** The model must call one of these (a grammar over {name, arguments} makes sure it does). */
  | { mode: 'forced'; tools: Tool[] };

function checkTools(request: ChatCompletionRequest): ToolChoicePlan {
  const tools = request.tools ?? [];
  const choice = request.tool_choice ?? (tools.length ? 'auto' : 'none');
  if (choice !== 'none' && tools.length === 0) {
    throw new InvalidParameterError('tool_choice needs tools.', 'tool_choice');
  }
  if (choice === 'none') return { mode: 'none' };
  if (choice === 'auto') return { mode: 'auto', tools };
  if (choice === 'required') return { mode: 'forced', tools };
  const named = tools.filter((tool) => tool.function.name === choice.function.name);
  if (named.length === 0) {
    throw new InvalidParameterError(
      `tool_choice names '${choice.function.name}', which is not in tools.`,
      'tool_choice',
    );
  }
  return { mode: 'forced', tools: named };
}

const EMPTY_PARAMS = { type: 'object', properties: {} };

function toFunctions(tools: readonly Tool[]): ChatModelFunctions {
  return Object.fromEntries(
    tools.map((tool) => [
      tool.function.name,
      {
        ...(tool.function.description ? { description: tool.function.description } : {}),
        params: (tool.function.parameters ?? EMPTY_PARAMS) as GbnfJsonSchema,
      },
    ]),
  );
}

function toolCallSchema(tools: readonly Tool[]): Record<string, unknown> {
  const variants = tools.map((tool) => ({
    type: 'object',
    properties: {
      name: { const: tool.function.name },
      arguments: tool.function.parameters ?? EMPTY_PARAMS,
    },
    required: ['name', 'arguments'],
    additionalProperties: false,
  }));
  return variants.length === 1 ? variants[0]! : { oneOf: variants };
}

function forcedToolPrompt(tools: readonly Tool[]): string {
  const list = tools
    .map(
      (tool) =>
        `- ${tool.function.name}: ${tool.function.description ?? ''} parameters: ${JSON.stringify(tool.function.parameters ?? EMPTY_PARAMS)}`,
    )
    .join('\n');
  return `Call one of these tools. Reply only with a JSON object {"name": ..., "arguments": {...}}.\n${list}`;
}

function toolCallOf(name: string, args: unknown): ToolCall {
  return {
    id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    type: 'function',
    function: { name, arguments: JSON.stringify(args ?? {}) },
  };
}

async function jsonSchemaGrammar(
  llama: Llama,
  schema: Record<string, unknown>,
  param: string,
): Promise<LlamaGrammar> {
  try {
    return await llama.createGrammarForJsonSchema(
      schema as Parameters<Llama['createGrammarForJsonSchema']>[0],
    );
  } catch (error) {
    if (error instanceof HearthError) throw error;
    throw new InvalidParameterError(`This JSON schema is not supported: ${(error as Error).message}`, param);
  }
}

/** The prompt's length in tokens as the chat template renders it. */
function countPromptTokens(
  chat: LlamaChat,
  history: ChatHistoryItem[],
  functions?: ChatModelFunctions,
): number {
  const state = chat.chatWrapper.generateContextState({
    chatHistory: history,
    ...(functions ? { availableFunctions: functions, documentFunctionParams: true } : {}),
  });
  return state.contextText.tokenize(chat.model.tokenizer).length;
}
