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

/** A group of documents. Every document belongs to exactly one collection. */
export const Collection = z.object({
  id: z.string(),
  name: z.string(),
  documentCount: z.number(),
  createdAt: z.string(),
});
export type Collection = z.infer<typeof Collection>;

/** Where a file stands in ingestion. `skipped` and `failed` carry a human-readable `reason`. */
export const IngestState = z.enum(['queued', 'reading', 'indexing', 'ready', 'skipped', 'failed']);
export type IngestState = z.infer<typeof IngestState>;

/** One file in the ingestion queue (or just finished). */
export const IngestItem = z.object({
  /** Stable id of this queue entry. */
  id: z.string(),
  /** Absolute path of the source file (for an upload: its stored copy). */
  path: z.string(),
  /** The name to show (the upload's original name, or the file's base name). */
  name: z.string(),
  collectionId: z.string(),
  state: IngestState,
  reason: z.string().optional(),
  /** Set once the file is indexed (or was already, same content). */
  documentId: z.string().optional(),
  /** 0..1 within this file (embedding progress while indexing). */
  progress: z.number(),
  chunkCount: z.number().optional(),
  updatedAt: z.string(),
});
export type IngestItem = z.infer<typeof IngestItem>;

export const IngestOverall = z.object({
  paused: z.boolean(),
  total: z.number(),
  queued: z.number(),
  active: z.number(),
  ready: z.number(),
  skipped: z.number(),
  failed: z.number(),
  /** 0..1 over the whole batch. */
  progress: z.number(),
  /** Estimated seconds left; absent until there is enough to estimate from. */
  etaSeconds: z.number().optional(),
});
export type IngestOverall = z.infer<typeof IngestOverall>;

export const LibraryStatus = z.object({
  overall: IngestOverall,
  /** Files of the current batch (queued, running, and finished since the queue was last idle-cleared). */
  items: z.array(IngestItem),
  /** The embedding model the index is built with. */
  embeddingModel: z.object({ name: z.string(), dimension: z.number(), fingerprint: z.string() }).nullable(),
  watchedFolders: z.array(z.object({ path: z.string(), collectionId: z.string() })),
});
export type LibraryStatus = z.infer<typeof LibraryStatus>;

export const LibraryDocument = z.object({
  id: z.string(),
  collectionId: z.string(),
  /** Original name (upload) or file base name. */
  name: z.string(),
  path: z.string(),
  /** pdf, docx, pptx, xlsx, odt, epub, html, markdown, text, csv, json, code */
  kind: z.string(),
  sizeBytes: z.number(),
  contentHash: z.string(),
  chunkCount: z.number(),
  pageCount: z.number().optional(),
  indexedAt: z.string(),
});
export type LibraryDocument = z.infer<typeof LibraryDocument>;

export const SearchMode = z.enum(['hybrid', 'vector', 'text']);
export type SearchMode = z.infer<typeof SearchMode>;

/** One passage found by library.search. Offsets index the document's extracted text. */
export const Passage = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  documentName: z.string(),
  path: z.string(),
  collectionId: z.string(),
  text: z.string(),
  /** 1-based page for paged formats (PDF). */
  page: z.number().optional(),
  /** Headings above the passage, outermost first. */
  headingPath: z.array(z.string()),
  charStart: z.number(),
  charEnd: z.number(),
  /** Higher is better; RRF score for hybrid, similarity for vector, BM25 for text. */
  score: z.number(),
  /** [start, end) ranges within `text` that match query terms. */
  highlights: z.array(z.tuple([z.number(), z.number()])),
});
export type Passage = z.infer<typeof Passage>;

const collectionRef = z.string().min(1).max(200);

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
  'library.add': method({
    params: z
      .object({
        /** Files or folders on the machine running the core (Electron, CLI). */
        paths: z.array(z.string().min(1).max(4096)).max(10_000).optional(),
        /** Handles returned by the headless host's upload endpoint (browser drops). */
        uploads: z
          .array(z.object({ handle: id, name: z.string().min(1).max(512) }))
          .max(10_000)
          .optional(),
        /** Collection id or name; created when a name is new. Default: "Library". */
        collection: collectionRef.optional(),
        /** Keep the added folders in sync (re-index on change, remove on delete). */
        watch: z.boolean().optional(),
      })
      .strict(),
    result: z.object({ collectionId: z.string(), queued: z.array(IngestItem) }),
  }),
  /** Resolves when the queue has nothing left to do (or when cancelled); returns the final status. */
  'library.waitIdle': method({ params: empty, result: LibraryStatus, long: true }),
  'library.status': method({ params: empty, result: LibraryStatus }),
  'library.pause': method({ params: empty, result: LibraryStatus }),
  'library.resume': method({ params: empty, result: LibraryStatus }),
  /** Cancels one queued or running file, or with no itemId every one. */
  'library.cancel': method({ params: z.object({ itemId: id.optional() }).strict(), result: LibraryStatus }),
  /** Drops finished items (ready/skipped/failed) from the status list. */
  'library.clearFinished': method({ params: empty, result: LibraryStatus }),
  'library.search': method({
    params: z
      .object({
        query: z.string().min(1).max(4096),
        collections: z.array(collectionRef).max(100).optional(),
        mode: SearchMode.optional(),
        limit: z.number().int().positive().max(200).optional(),
      })
      .strict(),
    result: z.array(Passage),
  }),
  'library.documents': method({
    params: z.object({ collection: collectionRef.optional() }).strict(),
    result: z.array(LibraryDocument),
  }),
  'library.removeDocument': method({
    params: z.object({ documentId: id }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  'library.unwatch': method({
    params: z.object({ path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  'collections.list': method({ params: empty, result: z.array(Collection) }),
  'collections.create': method({
    params: z.object({ name: z.string().trim().min(1).max(200) }).strict(),
    result: Collection,
  }),
  'collections.rename': method({
    params: z.object({ collectionId: id, name: z.string().trim().min(1).max(200) }).strict(),
    result: Collection,
  }),
  /** Deletes the collection and every document in it. */
  'collections.delete': method({
    params: z.object({ collectionId: id }).strict(),
    result: z.object({ removed: z.boolean() }),
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
  /** A queue entry changed state or progress (broadcast; throttled while embedding). */
  'library.progress': z.object({ item: IngestItem, overall: IngestOverall }),
  /** Documents or collections changed (added, removed, renamed); clients refresh lists. */
  'library.changed': z.object({ reason: z.string() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
