/**
 * The OpenAI request bodies the local API accepts, checked field by field. What Hearth cannot do
 * is refused by name (n > 1, logprobs, logit_bias, audio...), never silently ignored; a field
 * OpenAI does not define either is refused the way OpenAI refuses it ("Unrecognized request
 * argument"). Only `user` (an end-user id for abuse tracking) is accepted and has no effect.
 */
import { z } from 'zod';
import { InvalidParameterError } from '../errors/index.js';

const penalty = z.number().min(-2).max(2);
const stop = z.union([z.string(), z.array(z.string()).max(4)]).nullable();
const maxTokens = z.number().int().min(1).max(131_072).nullable();

const textPart = z.object({ type: z.literal('text'), text: z.string() }).strict();
const content = z.union([z.string(), z.array(z.union([textPart, z.looseObject({ type: z.string() })]))]);

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const ChatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content, name: z.string().optional() }).strict(),
  z.object({ role: z.literal('user'), content, name: z.string().optional() }).strict(),
  z
    .object({
      role: z.literal('assistant'),
      content: content.nullable().optional(),
      name: z.string().optional(),
      tool_calls: z.array(toolCall).optional(),
      refusal: z.string().nullable().optional(),
    })
    .strict(),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string() }).strict(),
]);
export type ChatMessage = z.infer<typeof ChatMessage>;

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const ResponseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).strict(),
  z.object({ type: z.literal('json_object') }).strict(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          name: z.string().min(1).max(64),
          description: z.string().optional(),
          schema: jsonSchemaObject.optional(),
          strict: z.boolean().nullable().optional(),
        })
        .strict(),
    })
    .strict(),
]);
export type ResponseFormat = z.infer<typeof ResponseFormat>;

export const Tool = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and - only, up to 64'),
        description: z.string().optional(),
        parameters: jsonSchemaObject.optional(),
        strict: z.boolean().nullable().optional(),
      })
      .strict(),
  })
  .strict();
export type Tool = z.infer<typeof Tool>;

export const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }).strict() }).strict(),
]);
export type ToolChoice = z.infer<typeof ToolChoice>;

/** Sampling fields shared by chat and text completions. */
const sampling = {
  model: z.string().min(1).max(512),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: maxTokens.optional(),
  stop: stop.optional(),
  seed: z.number().int().nullable().optional(),
  presence_penalty: penalty.nullable().optional(),
  frequency_penalty: penalty.nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullable().optional(),
  user: z.string().optional(),
  // Present so they can be refused clearly (see refuseUnsupported).
  n: z.number().int().nullable().optional(),
  logprobs: z.unknown().optional(),
  top_logprobs: z.unknown().optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
};

export const ChatCompletionRequest = z
  .object({
    ...sampling,
    messages: z.array(ChatMessage).min(1),
    max_completion_tokens: maxTokens.optional(),
    response_format: ResponseFormat.optional(),
    tools: z.array(Tool).max(128).optional(),
    tool_choice: ToolChoice.optional(),
    parallel_tool_calls: z.boolean().optional(),
    // Refused clearly when set (see refuseUnsupported).
    audio: z.unknown().optional(),
    modalities: z.array(z.string()).nullable().optional(),
    prediction: z.unknown().optional(),
    // Hearth's grounding extension (issue 8 part 5): answer from these library collections (see grounding.ts).
    hearth: z
      .object({ collections: z.array(z.string().min(1).max(256)).min(1).max(32) })
      .strict()
      .optional(),
  })
  .strict();
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const CompletionRequest = z
  .object({
    ...sampling,
    prompt: z.union([z.string(), z.array(z.string()).length(1)]),
    echo: z.boolean().nullable().optional(),
    suffix: z.string().nullable().optional(),
    best_of: z.number().int().nullable().optional(),
  })
  .strict();
export type CompletionRequest = z.infer<typeof CompletionRequest>;

export const EmbeddingRequest = z
  .object({
    model: z.string().min(1).max(512),
    input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().optional(),
  })
  .strict();
export type EmbeddingRequest = z.infer<typeof EmbeddingRequest>;

/** The request's body as `schema`, or an InvalidParameterError naming the first bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidParameterError('The request body must be a JSON object.');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    const where = issue.path.length ? ` in ${pathOf(issue.path)}` : '';
    throw new InvalidParameterError(
      `Unrecognized request argument supplied${where}: ${keys.join(', ')}`,
      pathOf([...issue.path, keys[0] ?? '']),
    );
  }
  const param = pathOf(issue.path);
  throw new InvalidParameterError(`Invalid value for '${param || 'body'}': ${issue.message}`, param || null);
}

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`))
    .join('');
}

/** Refuses what a local model served here cannot do, naming the parameter. */
export function refuseUnsupported(request: ChatCompletionRequest | CompletionRequest): void {
  if (request.n !== undefined && request.n !== null && request.n !== 1) {
    throw new InvalidParameterError('Only n = 1 is supported: send one request per choice.', 'n');
  }
  if (request.logprobs !== undefined && request.logprobs !== null && request.logprobs !== false) {
    throw new InvalidParameterError('logprobs is not supported by this server.', 'logprobs');
  }
  if (request.top_logprobs !== undefined && request.top_logprobs !== null) {
    throw new InvalidParameterError('top_logprobs is not supported by this server.', 'top_logprobs');
  }
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) {
    throw new InvalidParameterError('logit_bias is not supported by this server.', 'logit_bias');
  }
  for (const name of ['presence_penalty', 'frequency_penalty'] as const) {
    const value = request[name];
    if (typeof value === 'number' && value < 0) {
      throw new InvalidParameterError(
        `${name} must be 0 or more here (negative penalties are not supported).`,
        name,
      );
    }
  }
  if ('audio' in request && request.audio !== undefined && request.audio !== null) {
    throw new InvalidParameterError('Audio output is not supported.', 'audio');
  }
  if ('modalities' in request && request.modalities && request.modalities.some((m) => m !== 'text')) {
    throw new InvalidParameterError('Only the text modality is supported.', 'modalities');
  }
  if ('prediction' in request && request.prediction !== undefined && request.prediction !== null) {
    throw new InvalidParameterError('Predicted outputs are not supported.', 'prediction');
  }
  if ('echo' in request && request.echo) {
    throw new InvalidParameterError('echo is not supported.', 'echo');
  }
  if ('suffix' in request && request.suffix) {
    throw new InvalidParameterError('suffix (fill in the middle) is not supported.', 'suffix');
  }
  if (
    'best_of' in request &&
    request.best_of !== undefined &&
    request.best_of !== null &&
    request.best_of !== 1
  ) {
    throw new InvalidParameterError('Only best_of = 1 is supported.', 'best_of');
  }
}
