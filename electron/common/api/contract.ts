/**
 * The one API contract between the Hearth core and its fronts (Electron IPC, the headless
 * host's WebSocket, the CLI). Every method and event has a schema; transports validate
 * incoming payloads against it. Nothing here knows about a transport.
 */
import { z } from 'zod';

const empty = z.object({}).strict();
const id = z.string().min(1).max(512);

/** A user's message can be long (a pasted document); beyond this a transport refuses it. */
export const MAX_MESSAGE_CHARS = 1_000_000;

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  modelsDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** A `.gguf` file in the models folder, described from its header without loading it. */
export const ModelEntry = z.object({
  /** Stable id: the file's path relative to the models folder, with forward slashes. */
  id: z.string(),
  fileName: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  /** False when the file is not a usable GGUF; `problem` then says why. */
  usable: z.boolean(),
  problem: z.string().optional(),
  name: z.string().optional(),
  architecture: z.string().optional(),
  parameterCount: z.number().optional(),
  quantization: z.string().optional(),
  contextLength: z.number().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const ModelStatus = z.object({
  state: z.enum(['none', 'loading', 'loaded']),
  modelId: z.string().nullable(),
  /** 0..1 while loading. */
  progress: z.number().optional(),
  contextSize: z.number().optional(),
  /** 'cpu' or the GPU backend in use (metal, cuda, vulkan). */
  backend: z.string().optional(),
  threads: z.number().optional(),
});
export type ModelStatus = z.infer<typeof ModelStatus>;

export const ChatResult = z.object({
  conversationId: z.string(),
  text: z.string(),
  stopReason: z.enum(['end', 'maxTokens', 'cancelled']),
  /** Tokens of the prompt that were evaluated for this turn (history reuse keeps it small). */
  evaluatedPromptTokens: z.number(),
  generatedTokens: z.number(),
  /** Set when the message was cut to fit the model's context. */
  notice: z.string().optional(),
});
export type ChatResult = z.infer<typeof ChatResult>;

function method<P extends z.ZodType, R extends z.ZodType>(def: {
  params: P;
  result: R;
  /** Long work: takes a request id, can be cancelled, may stream events keyed by it. */
  long?: boolean;
}) {
  return { long: false, ...def };
}

export const methods = {
  'app.info': method({ params: empty, result: AppInfo }),
  'models.list': method({ params: empty, result: z.array(ModelEntry) }),
  'models.status': method({ params: empty, result: ModelStatus }),
  'models.load': method({
    params: z.object({ modelId: id }).strict(),
    result: ModelStatus,
    long: true,
  }),
  'models.unload': method({ params: empty, result: ModelStatus }),
  'chat.send': method({
    params: z
      .object({
        conversationId: id,
        text: z.string().max(MAX_MESSAGE_CHARS),
        maxTokens: z.number().int().positive().max(32_768).optional(),
      })
      .strict(),
    result: ChatResult,
    long: true,
  }),
  'chat.reset': method({
    params: z.object({ conversationId: id }).strict(),
    result: z.object({}),
  }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.infer<Methods[M]['params']>;
export type Result<M extends MethodName> = z.infer<Methods[M]['result']>;
export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methods, value);
}

/** Events the core pushes. Those with a `requestId` belong to one call; the rest go to everyone. */
export const events = {
  'chat.delta': z.object({ requestId: z.string(), conversationId: z.string(), text: z.string() }),
  'models.loadProgress': z.object({
    requestId: z.string(),
    modelId: z.string(),
    progress: z.number(),
  }),
  /** The set of models or the loaded model changed; clients refresh. */
  'models.changed': z.object({ status: ModelStatus }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
